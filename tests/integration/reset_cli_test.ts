// `openclaw reset` and `openclaw uninstall`, run as the binary runs, on homes our gateway built
// (started, chatted with once, stopped): the reference's recorded refusals (tests/fixtures/reset/),
// what each scope leaves on disk, the refusal while our gateway owns the state dir, a dry run that
// changes nothing, symlinks and a home-sized workspace left alone, and the reference CLI's own dry
// run on the same home.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { runPeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { runOpenclaw, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reset-cli-token-0123456789abcdef";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

/** Every path under `root`, relative, sorted; symlinks are listed, not followed. */
async function listing(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      out.push(path);
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`, path);
    }
  };
  await walk(root, "");
  return out.sort();
}

/**
 * A home our gateway built: config, a chat in `agent:main:main`, a credentials file, an agent
 * workspace at `workspace`, and a symlink in the state dir to a file outside it.
 */
async function builtHome(workspace?: (home: string) => string): Promise<TempHome> {
  const upstream = startFakeUpstream();
  const home = await tempHome();
  const config = {
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: {
      providers: { fake: { baseUrl: upstream.url, models: [{ id: "m1", name: "Fake", contextWindow: 32000 }] } },
    },
    agents: { defaults: { model: { primary: "fake/m1" }, ...(workspace ? { workspace: workspace(home.home) } : {}) } },
  };
  await Deno.mkdir(`${home.stateDir}/credentials`, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
  await Deno.writeTextFile(`${home.stateDir}/credentials/oauth.json`, "{}");
  await Deno.writeTextFile(`${home.home}/outside.txt`, "keep me");
  await Deno.symlink(`${home.home}/outside.txt`, `${home.stateDir}/link-out`);
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const client = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    try {
      await client.request("chat.send", {
        sessionKey: "agent:main:main",
        message: "hi",
        deliver: false,
        idempotencyKey: "r1",
      });
      await until(
        () => client.events.some((e) => e.event === "chat" && (e.payload as { state?: string }).state === "final"),
        "the chat's final answer",
      );
    } finally {
      client.stop();
    }
  } finally {
    await proc.stop();
    await upstream.stop();
  }
  // A session dir in the legacy per-agent layout, which the reference's config+creds+sessions removes.
  await Deno.mkdir(`${home.stateDir}/agents/ops/sessions`, { recursive: true });
  await Deno.writeTextFile(`${home.stateDir}/agents/ops/sessions/sessions.json`, "{}");
  return home;
}

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/reset/reference_recordings.json", import.meta.url)),
);

Deno.test("reset/uninstall refusals are the reference's recorded words; without a TTY or --yes nothing is removed", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  try {
    for (
      const want of recorded.cases.filter((c: { args: string[] }) =>
        c.args.length <= 3 || c.args[1] === "--scope" && c.args[2] === "bogus"
      )
    ) {
      const got = await runOpenclaw(want.args, { home: home.home });
      assert.equal(got.code, want.code, want.args.join(" "));
      assert.equal(`${got.stderr}\n`.trimStart(), want.stderr, want.args.join(" "));
    }
    // The reference hangs a prompt on a closed stdin (exit 13); ours refuses with its --non-interactive words.
    const noTty = await runOpenclaw(["reset", "--scope", "full"], { home: home.home });
    assert.equal(noTty.code, 1);
    assert.equal(noTty.stderr, "Non-interactive mode requires --yes.");
    const noTtyUninstall = await runOpenclaw(["uninstall", "--all"], { home: home.home });
    assert.equal(noTtyUninstall.code, 1);
    assert.match(noTtyUninstall.stderr, /^Non-interactive uninstall requires --yes\./);
    assert.ok((await Deno.stat(home.configPath)).isFile, "the config survived every refusal");
    const app = await runOpenclaw(["uninstall", "--app", "--yes"], { home: home.home });
    const wantApp = recorded.cases.find((c: { args: string[] }) => c.args.join(" ") === "uninstall --app --yes");
    assert.deepEqual([app.code, `${app.stdout}\n`], [wantApp.code, wantApp.stdout]);
  } finally {
    await home.cleanup();
  }
});

Deno.test("each reset scope on a gateway-built home removes what the reference removes and nothing else", async () => {
  const home = await builtHome();
  try {
    const before = await listing(home.home);
    const sessionDb = ".openclaw/agents/main/agent/openclaw-agent.sqlite";
    assert.ok(before.includes(sessionDb), "the chat left its session database");

    const dry = await runOpenclaw(["reset", "--scope", "full", "--yes", "--dry-run"], { home: home.home });
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(await listing(home.home), before, "a dry run changes nothing");
    const dryState = await runOpenclaw(["uninstall", "--state", "--workspace", "--yes", "--dry-run"], {
      home: home.home,
    });
    assert.equal(dryState.code, 0, dryState.stderr);
    assert.match(dryState.stdout, /^\[dry-run\] remove ~\/\.openclaw$/m);
    assert.deepEqual(await listing(home.home), before, "nor does uninstall's (it takes no lock)");
    const peer = await runPeer(["reset", "--scope", "full", "--yes", "--dry-run"], home);
    assert.equal(peer.code, 0, peer.stderr);
    assert.equal(`${dry.stdout}\n`, peer.stdout, "the reference's dry run on the same home says the same");
    assert.deepEqual(await listing(home.home), before, "nor did the reference's");

    const config = await runOpenclaw(["reset", "--scope", "config", "--yes"], { home: home.home });
    assert.deepEqual([config.code, config.stdout], [0, "Removed ~/.openclaw/openclaw.json"]);
    assert.deepEqual(await listing(home.home), before.filter((p) => p !== ".openclaw/openclaw.json"));

    const mid = await listing(home.home);
    const ccs = await runOpenclaw(["reset", "--scope", "config+creds+sessions", "--yes", "--non-interactive"], {
      home: home.home,
    });
    assert.equal(ccs.code, 0, ccs.stderr);
    assert.match(ccs.stdout, /Removed ~\/\.openclaw\/credentials\nRemoved ~\/\.openclaw\/agents\/main\/sessions\n/);
    assert.match(ccs.stdout, /Removed ~\/\.openclaw\/agents\/ops\/sessions\n/);
    assert.match(ccs.stdout, /Next: openclaw onboard --install-daemon$/);
    const gone = (p: string) => /^\.openclaw\/(credentials|agents\/[^/]+\/sessions)(\/|$)/.test(p);
    assert.deepEqual(await listing(home.home), mid.filter((p) => !gone(p)));
    // As the reference, the per-agent database (sessions and auth profiles) stays: only the session dirs go.
    assert.ok((await listing(home.home)).includes(sessionDb));

    const full = await runOpenclaw(["reset", "--scope", "full", "--yes"], { home: home.home });
    assert.equal(full.code, 0, full.stderr);
    assert.deepEqual(await listing(home.home), ["outside.txt"], "only what lay outside the state dir is left");
    assert.equal(await Deno.readTextFile(`${home.home}/outside.txt`), "keep me", "the symlink's target survived");
  } finally {
    await home.cleanup();
  }
});

Deno.test("reset full and uninstall --state refuse while our gateway owns the state dir", async () => {
  const home = await builtHome();
  const { proc } = await startGateway({ home: home.home });
  // SQLite's -shm/-wal files come and go with the running gateway; everything else must stay put.
  const stable = async () => (await listing(home.stateDir)).filter((p) => !/-(shm|wal)$/.test(p));
  try {
    const before = await stable();
    for (const args of [["reset", "--scope", "full", "--yes"], ["uninstall", "--state", "--yes"]]) {
      const got = await runOpenclaw(args, { home: home.home });
      assert.equal(got.code, 1, args.join(" "));
      assert.match(
        got.stderr,
        /Cannot remove OpenClaw state while the Gateway or another state maintenance command owns this state directory\. Stop the Gateway and retry\./,
      );
    }
    assert.deepEqual(await stable(), before, "nothing was removed");
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("a workspace that is or contains the home is refused; uninstall --state keeps workspaces", async () => {
  const home = await builtHome((h) => h);
  try {
    const full = await runOpenclaw(["reset", "--scope", "full", "--yes"], { home: home.home });
    assert.equal(full.code, 1);
    assert.match(full.stderr, /Refusing to remove unsafe path: ~$/);
    assert.equal(await Deno.readTextFile(`${home.home}/outside.txt`), "keep me");
  } finally {
    await home.cleanup();
  }
  const kept = await builtHome((h) => `${h}/.openclaw/workspace`);
  try {
    await Deno.writeTextFile(`${kept.stateDir}/workspace/AGENTS.md`, "mine");
    const state = await runOpenclaw(["uninstall", "--state", "--yes"], { home: kept.home });
    assert.equal(state.code, 0, state.stderr);
    assert.deepEqual(await listing(kept.home), [
      ".openclaw",
      ".openclaw/workspace",
      ".openclaw/workspace/AGENTS.md",
      "outside.txt",
    ]);
    const ws = await runOpenclaw(["uninstall", "--workspace", "--yes"], { home: kept.home });
    assert.equal(ws.code, 0, ws.stderr);
    assert.deepEqual(await listing(kept.home), [".openclaw", "outside.txt"]);
  } finally {
    await kept.cleanup();
  }
});

Deno.test("uninstall --all stops and removes the installed service (fake systemctl) before the state and workspaces", async () => {
  const home = await builtHome();
  const bin = await Deno.makeTempDir();
  const calls = `${bin}/systemctl.calls`;
  await Deno.writeTextFile(`${bin}/systemctl`, `#!/bin/sh\necho "$@" >> "${calls}"\nexit 0\n`);
  await Deno.writeTextFile(`${bin}/loginctl`, `#!/bin/sh\necho "Linger=no"\n`);
  await Deno.chmod(`${bin}/systemctl`, 0o755);
  await Deno.chmod(`${bin}/loginctl`, 0o755);
  const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`, USER: "alice" };
  try {
    assert.equal((await runOpenclaw(["gateway", "install"], { home: home.home, env })).code, 0);
    const unit = `${home.home}/.config/systemd/user/openclaw-gateway.service`;
    await Deno.writeTextFile(calls, "");
    const reset = await runOpenclaw(["reset", "--scope", "config+creds+sessions", "--yes"], { home: home.home, env });
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual((await Deno.readTextFile(calls)).trim().split("\n"), [
      "--user stop openclaw-gateway.service",
    ], "reset stops the managed service first and leaves it installed");
    await Deno.writeTextFile(calls, "");
    const all = await runOpenclaw(["uninstall", "--all", "--yes"], { home: home.home, env });
    assert.equal(all.code, 0, all.stderr);
    assert.match(
      all.stdout,
      new RegExp(`^Recommended first: openclaw backup create\nRemoved systemd service: ${unit}\n`),
    );
    assert.match(
      all.stdout,
      /macOS app cleanup is not applicable on this platform\.\nCLI removal instructions: https:\/\/docs\.openclaw\.ai\/install\/uninstall$/,
    );
    assert.deepEqual((await Deno.readTextFile(calls)).trim().split("\n"), [
      "--user stop openclaw-gateway.service",
      "--user disable --now openclaw-gateway.service",
      "--user daemon-reload",
    ]);
    assert.deepEqual(await listing(home.home), [".config", ".config/systemd", ".config/systemd/user", "outside.txt"]);
  } finally {
    await Deno.remove(bin, { recursive: true });
    await home.cleanup();
  }
});

Deno.test("a state dir moved for one command never stops or removes the service of the install it does not serve", async () => {
  // Fails without the unit's state-dir check: reset stopped, and uninstall --service removed, the default install's unit.
  const home = await tempHome();
  const bin = await Deno.makeTempDir();
  const calls = `${bin}/systemctl.calls`;
  await Deno.writeTextFile(`${bin}/systemctl`, `#!/bin/sh\necho "$@" >> "${calls}"\nexit 0\n`);
  await Deno.writeTextFile(`${bin}/loginctl`, `#!/bin/sh\necho "Linger=no"\n`);
  await Deno.chmod(`${bin}/systemctl`, 0o755);
  await Deno.chmod(`${bin}/loginctl`, 0o755);
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(home.configPath, JSON.stringify({ gateway: { mode: "local", auth: { token: TOKEN } } }));
  const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`, USER: "alice" };
  const scratch = { ...env, OPENCLAW_STATE_DIR: `${home.home}/scratch` };
  try {
    assert.equal((await runOpenclaw(["gateway", "install"], { home: home.home, env })).code, 0);
    const unit = `${home.home}/.config/systemd/user/openclaw-gateway.service`;
    await Deno.mkdir(`${home.home}/scratch`);
    await Deno.writeTextFile(calls, "");
    const reset = await runOpenclaw(["reset", "--scope", "full", "--yes"], { home: home.home, env: scratch });
    assert.equal(reset.code, 0, reset.stderr);
    const service = await runOpenclaw(["uninstall", "--service", "--yes"], { home: home.home, env: scratch });
    assert.equal(service.code, 1);
    assert.match(service.stderr, /^Gateway uninstall failed: service management skipped: non-default state dir/);
    assert.equal(await Deno.readTextFile(calls), "", "systemctl was never called");
    assert.ok((await Deno.stat(unit)).isFile, "the default install's unit survived");
    const own = await runOpenclaw(["uninstall", "--service", "--yes"], { home: home.home, env });
    assert.equal(own.code, 0, own.stderr);
    assert.match(await Deno.readTextFile(calls), /--user stop openclaw-gateway\.service/);
  } finally {
    await Deno.remove(bin, { recursive: true });
    await home.cleanup();
  }
});
