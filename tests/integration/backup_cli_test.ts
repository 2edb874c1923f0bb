// `openclaw backup create|verify|restore`, run as the binary runs, against the reference
// OpenClaw 2026.9.6: its archive of a state dir our gateway wrote passes our verify and restores
// with ours to a tree our gateway starts on (the session is there), our words match its recorded
// ones (tests/fixtures/backup/reference_cli.json), and its CLI verifies and restores our archive;
// the same both ways for `backup sqlite` snapshots.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { REPO_ROOT, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { VERSION } from "../../src/version.ts";

const TOKEN = "backup-cli-token-0123456789abcdef";
type Recorded = Record<string, { args: string[]; code: number; stdout: string; stderr: string }>;
const FIXTURE = JSON.parse(await Deno.readTextFile(`${REPO_ROOT}/tests/fixtures/backup/reference_cli.json`)) as {
  cases: Recorded;
  sqliteCases: Recorded;
};

/** Entry counts depend on what the state dir held; everything else must match word for word. */
const normalize = (text: string) =>
  text.trimEnd().replace(/(entries scanned|entries restored): \d+/g, "$1: N").replace(
    /"entryCount": \d+/,
    '"entryCount": N',
  );

async function sessionLabels(env: Record<string, string>, home: string): Promise<string> {
  const { proc, port } = await startGateway({ home, env });
  try {
    const listed = await runOpenclaw(
      ["gateway", "call", "sessions.list", "--port", String(port), "--json", "--params", "{}"],
      { home, env },
    );
    assert.equal(listed.code, 0, listed.stderr);
    return listed.stdout;
  } finally {
    assert.equal(await proc.stop(), 0);
  }
}

Deno.test("backup: the reference's archive verifies and restores with ours, and the reference reads ours", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const scratch = await Deno.makeTempDir({ prefix: "oc-backup-cli-" });
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  try {
    const { proc, port } = await startGateway({ home: home.home });
    try {
      const created = await runOpenclaw([
        "gateway",
        "call",
        "sessions.create",
        "--port",
        String(port),
        "--json",
        "--params",
        JSON.stringify({ agentId: "main", label: "Before backup" }),
      ], { home: home.home });
      assert.equal(created.code, 0, created.stderr);
    } finally {
      assert.equal(await proc.stop(), 0);
    }

    // The reference archives the state dir our gateway wrote.
    const peerCreate = await runPeer(["backup", "create", "--json", "--output", `${scratch}/ref/`], where);
    assert.equal(peerCreate.code, 0, peerCreate.stderr);
    const ref = JSON.parse(peerCreate.stdout) as { archivePath: string; archiveRoot: string; createdAt: string };
    await Deno.writeTextFile(`${scratch}/garbage.tar.gz`, "garbage\n");
    await Deno.mkdir(`${scratch}/nonempty`);
    await Deno.writeTextFile(`${scratch}/nonempty/x`, "");
    let restoredTo = "";
    for (const [name, recorded] of Object.entries(FIXTURE.cases)) {
      const target = `${scratch}/restored-${name}`;
      if (name === "restore_ok_json") restoredTo = target;
      const fill = (text: string) =>
        text.replaceAll("{archive}", ref.archivePath).replaceAll("{missing}", `${scratch}/nope.tar.gz`)
          .replaceAll("{garbage}", `${scratch}/garbage.tar.gz`).replaceAll("{target}", target)
          .replaceAll("{nonempty}", `${scratch}/nonempty`).replaceAll("{home}", home.home)
          .replaceAll("{root}", ref.archiveRoot).replaceAll("{createdAt}", ref.createdAt);
      const ours = await runOpenclaw(recorded.args.map(fill), { home: home.home });
      assert.equal(ours.code, recorded.code, `${name}: ${ours.stderr}`);
      assert.equal(normalize(ours.stdout), normalize(fill(recorded.stdout)), name);
      assert.equal(normalize(ours.stderr), normalize(fill(recorded.stderr)), name);
    }

    // Our gateway starts on the state the reference archived and we restored: the session is there.
    const restoredState = `${restoredTo}/${ref.archiveRoot}/payload/posix${home.stateDir}`;
    const labels = await sessionLabels(
      { OPENCLAW_STATE_DIR: restoredState, OPENCLAW_CONFIG_PATH: `${restoredState}/openclaw.json` },
      home.home,
    );
    assert.match(labels, /"label": "Before backup"/);

    // Our archive of the same state: verified by us, then by the reference, which restores it.
    const ours = await runOpenclaw(["backup", "create", "--json", "--verify", "--output", `${scratch}/ours/`], {
      home: home.home,
    });
    assert.equal(ours.code, 0, ours.stderr);
    const result = JSON.parse(ours.stdout) as { archivePath: string; verified: boolean; archiveRoot: string };
    assert.equal(result.verified, true);
    const peerVerify = await runPeer(["backup", "verify", result.archivePath, "--json"], where);
    assert.equal(peerVerify.code, 0, peerVerify.stderr);
    assert.deepEqual(
      [JSON.parse(peerVerify.stdout).ok, JSON.parse(peerVerify.stdout).runtimeVersion],
      [true, VERSION],
    );
    const peerRestore = await runPeer(["backup", "restore", result.archivePath, "--target", `${scratch}/peer`], where);
    assert.equal(peerRestore.code, 0, peerRestore.stderr);
    const peerState = `${scratch}/peer/${result.archiveRoot}/payload/posix${home.stateDir}`;
    assert.ok((await Deno.stat(`${peerState}/state/openclaw.sqlite`)).isFile);
    assert.throws(() => Deno.statSync(`${peerState}/state/openclaw.sqlite-wal`), Deno.errors.NotFound);
    assert.match(
      await sessionLabels(
        { OPENCLAW_STATE_DIR: peerState, OPENCLAW_CONFIG_PATH: `${peerState}/openclaw.json` },
        home.home,
      ),
      /"label": "Before backup"/,
    );
  } finally {
    await home.cleanup();
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
});

Deno.test("backup sqlite: the reference's snapshot verifies and restores with ours, and it verifies ours", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const scratch = await Deno.makeTempDir({ prefix: "oc-backup-sqlite-" });
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const cli = (...args: string[]) => runOpenclaw(["backup", "sqlite", ...args], { home: home.home });
  try {
    const { proc, port } = await startGateway({ home: home.home });
    try {
      const params = JSON.stringify({ agentId: "main", label: "Snapshot me" });
      const created = await runOpenclaw(
        ["gateway", "call", "sessions.create", "--port", String(port), "--json", "--params", params],
        { home: home.home },
      );
      assert.equal(created.code, 0, created.stderr);
    } finally {
      assert.equal(await proc.stop(), 0);
    }
    const peer = await runPeer(
      ["backup", "sqlite", "create", "--agent", "main", "--repository", `${scratch}/ref`, "--json"],
      where,
    );
    assert.equal(peer.code, 0, peer.stderr);
    const theirs = JSON.parse(peer.stdout) as { snapshotPath: string };
    const verified = await cli("verify", theirs.snapshotPath, "--json");
    assert.equal(verified.code, 0, verified.stderr);
    assert.deepEqual(JSON.parse(verified.stdout).manifest.database.agentId, "main");
    const restored = await cli("restore", theirs.snapshotPath, "--target", `${scratch}/restored/agent.sqlite`);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(restored.stdout, `SQLite snapshot restored: ${scratch}/restored/agent.sqlite (agent:main)`);
    const bytes = new TextDecoder().decode(await Deno.readFile(`${scratch}/restored/agent.sqlite`));
    assert.ok(bytes.includes("Snapshot me"));

    const ours = await cli("create", "--global", "--repository", `${scratch}/ours`, "--json");
    assert.equal(ours.code, 0, ours.stderr);
    const mine = JSON.parse(ours.stdout) as { snapshotPath: string; manifest: { database: { role: string } } };
    assert.equal(mine.manifest.database.role, "global");
    const peerVerify = await runPeer(["backup", "sqlite", "verify", mine.snapshotPath, "--json"], where);
    assert.equal(peerVerify.code, 0, peerVerify.stderr);
    assert.equal(JSON.parse(peerVerify.stdout).ok, true);

    for (const [name, recorded] of Object.entries(FIXTURE.sqliteCases)) {
      const fill = (text: string) =>
        text.replaceAll("{emptyRepo}", `${scratch}/none`).replaceAll("{repo}", `${scratch}/ref`);
      const out = await runOpenclaw(recorded.args.map(fill), { home: home.home });
      assert.deepEqual(
        [out.code, out.stdout.trimEnd(), out.stderr.trimEnd()],
        [recorded.code, fill(recorded.stdout).trimEnd(), fill(recorded.stderr).trimEnd()],
        name,
      );
    }
  } finally {
    await home.cleanup();
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
});

Deno.test("backup create: dry run writes nothing, --only-config takes the config alone, git is not served", async () => {
  const outside = await Deno.makeTempDir({ prefix: "oc-backup-ws-" });
  const home = await tempHome({ gateway: { mode: "local" }, agents: { defaults: { workspace: outside } } });
  try {
    await Deno.writeTextFile(`${outside}/notes.md`, "hi\n");
    const dry = await runOpenclaw(["backup", "create", "--dry-run", "--json", "--output", `${home.home}/o/`], {
      home: home.home,
    });
    assert.equal(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout);
    assert.deepEqual(plan.assets.map((a: { kind: string }) => a.kind).sort(), ["state", "workspace"]);
    assert.throws(() => Deno.statSync(`${home.home}/o`), Deno.errors.NotFound);
    const noWorkspace = JSON.parse(
      (await runOpenclaw(["backup", "create", "--dry-run", "--json", "--no-include-workspace"], { home: home.home }))
        .stdout,
    );
    assert.deepEqual(noWorkspace.assets.map((a: { kind: string }) => a.kind), ["state"]);
    assert.equal(noWorkspace.includeWorkspace, false);
    const only = await runOpenclaw(["backup", "create", "--only-config", "--output", `${home.home}/only.tar.gz`], {
      home: home.home,
    });
    assert.equal(only.code, 0, only.stderr);
    assert.match(only.stdout, /^Included 1 path:\n- config: ~\/\.openclaw\/openclaw\.json$/m);
    for (const args of [["backup", "git", "log"], ["backup", "enable"], ["backup", "disable"]]) {
      const out = await runOpenclaw(args, { home: home.home });
      assert.equal(out.code, 1, args.join(" "));
      assert.match(
        out.stderr,
        new RegExp(`^OpenClaw backup has no command "${args[1]}"\\.\nTry: openclaw backup --help`),
      );
    }
  } finally {
    await home.cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});
