// `openclaw sessions export-trajectory` as the binary runs it, replaying
// tests/fixtures/trajectory/reference_export.json over the same seeded session (the rows the reference's
// own agent turn wrote): every recorded case's exit code and output, and the bundles, file for file and
// byte for byte once the generation times are set aside.
import assert from "node:assert/strict";
import { runOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { EXPORT_CASES } from "../support/trajectory_cases.ts";
import {
  seedTrajectorySession,
  toPlaceholders,
  type TrajectoryPlaces,
  type TrajectoryRows,
} from "../support/trajectory_seed.ts";

interface Recorded {
  sessionId: string;
  cases: { name: string; args: string[]; code: number; stdout: string; stderr: string }[];
  bundles: Record<string, Record<string, string>>;
}

async function fixture<T>(name: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(new URL(`../fixtures/trajectory/${name}`, import.meta.url)));
}

/** Sets aside what differs run to run: generation times and the default bundle name's clock. */
function steady(text: string): string {
  return text.replaceAll(/"generatedAt": "[^"]+"/g, '"generatedAt": "<time>"')
    .replaceAll(/(openclaw-trajectory-[0-9a-f]{8})-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d/g, "$1-<time>");
}

/** The reference's stderr without its slow-SQLite warnings (the recording machine was busy). */
function quiet(stderr: string): string {
  return stderr.split("\n").filter((line) => !line.startsWith("[sqlite/")).join("\n");
}

/** Every file under `dir`, by its path relative to it. */
async function readTree(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) Object.assign(out, await readTree(`${dir}/${entry.name}`, `${prefix}${entry.name}/`));
    else out[`${prefix}${entry.name}`] = await Deno.readTextFile(`${dir}/${entry.name}`);
  }
  return out;
}

Deno.test("openclaw sessions export-trajectory replays the reference's cases and writes its bundle", async () => {
  const recorded = await fixture<Recorded>("reference_export.json");
  const rows = await fixture<TrajectoryRows>("session_rows.json");
  const home = await tempHome({ gateway: { mode: "local" } });
  const workspace = await Deno.makeTempDir({ prefix: "oc-trajectory-ws-" });
  try {
    const places: TrajectoryPlaces = { workspace, stateDir: home.stateDir, home: home.home };
    seedTrajectorySession(rows, places);
    assert.equal(recorded.cases.length, EXPORT_CASES.length);
    for (const c of recorded.cases) {
      const args = c.args.map((a) => a.replaceAll("<workspace>", workspace));
      const out = await runOpenclaw(args, { home: home.home });
      assert.equal(out.code, c.code, `${c.name}: ${out.stderr}`);
      assert.equal(steady(toPlaceholders(out.stdout, places)).trimEnd(), steady(c.stdout).trimEnd(), c.name);
      if (c.code !== 0) assert.equal(toPlaceholders(out.stderr, places).trimEnd(), quiet(c.stderr).trimEnd(), c.name);
    }
    const exportsDir = `${workspace}/.openclaw/trajectory-exports`;
    for (const [name, files] of Object.entries(recorded.bundles)) {
      const ours = await readTree(`${exportsDir}/${name}`);
      assert.deepEqual(Object.keys(ours).toSorted(), Object.keys(files).toSorted(), name);
      for (const [file, content] of Object.entries(files)) {
        assert.equal(steady(ours[file]!), steady(content), `${name}/${file}`);
        assert.equal((await Deno.stat(`${exportsDir}/${name}/${file}`)).mode! & 0o777, 0o600, `${name}/${file}`);
      }
      assert.equal((await Deno.stat(`${exportsDir}/${name}`)).mode! & 0o777, 0o700, name);
    }
  } finally {
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
});

Deno.test("openclaw sessions export-trajectory refuses an exports folder that is a symlink out of the workspace", async () => {
  const rows = await fixture<TrajectoryRows>("session_rows.json");
  const home = await tempHome({ gateway: { mode: "local" } });
  const workspace = await Deno.makeTempDir({ prefix: "oc-trajectory-ws-" });
  const elsewhere = await Deno.makeTempDir({ prefix: "oc-trajectory-out-" });
  try {
    seedTrajectorySession(rows, { workspace, stateDir: home.stateDir, home: home.home });
    await Deno.mkdir(`${workspace}/.openclaw`);
    await Deno.symlink(elsewhere, `${workspace}/.openclaw/trajectory-exports`);
    const out = await runOpenclaw(
      ["sessions", "export-trajectory", "--session-key", rows.sessionKey, "--workspace", workspace, "--output", "x"],
      { home: home.home },
    );
    assert.equal(out.code, 1);
    assert.equal(
      out.stderr.trim(),
      "Failed to export trajectory: Trajectory exports directory must be a real directory inside the workspace",
    );
    assert.deepEqual(await Array.fromAsync(Deno.readDir(elsewhere)), []);
  } finally {
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
    await Deno.remove(elsewhere, { recursive: true }).catch(() => {});
  }
});

Deno.test("openclaw sessions export-trajectory takes its whole request as --request-json-base64", async () => {
  const recorded = await fixture<Recorded>("reference_export.json");
  const rows = await fixture<TrajectoryRows>("session_rows.json");
  const home = await tempHome({ gateway: { mode: "local" } });
  const workspace = await Deno.makeTempDir({ prefix: "oc-trajectory-ws-" });
  try {
    seedTrajectorySession(rows, { workspace, stateDir: home.stateDir, home: home.home });
    const request = JSON.stringify({ sessionKey: rows.sessionKey, workspace, output: "bug-1" });
    const encoded = btoa(request).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/u, "");
    const out = await runOpenclaw(["sessions", "export-trajectory", "--request-json-base64", encoded, "--json"], {
      home: home.home,
    });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(JSON.parse(out.stdout).displayPath, ".openclaw/trajectory-exports/bug-1");
    const ours = await readTree(`${workspace}/.openclaw/trajectory-exports/bug-1`);
    for (const [file, content] of Object.entries(recorded.bundles["bug-1"]!)) {
      assert.equal(steady(ours[file]!), steady(content), file);
    }
    // Worded as the reference words it (checked by hand against its CLI, see the fixture README).
    const bad = await runOpenclaw(["sessions", "export-trajectory", "--request-json-base64", "a+b"], {
      home: home.home,
    });
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr.trim(),
      "Failed to decode trajectory export request: Encoded trajectory export request is invalid",
    );
  } finally {
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
});
