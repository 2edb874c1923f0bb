// `openclaw onboard --non-interactive`, run as the binary runs, against the reference OpenClaw
// 2026.9.6's runs recorded in isolated homes (tests/fixtures/onboard/reference_runs.json): exit
// codes, both outputs and the config left behind. The reference's health probe finds our gateway,
// and the reference's own CLI validates the config ours wrote.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { ensureFreshBundle, spawnOpenclaw, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";

interface Recorded {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  config?: Record<string, unknown> | string;
  env?: Record<string, string>;
  authProfilesStore?: unknown;
  /** The config file the run started from (as text: some are invalid on purpose). */
  before?: string;
}

const FIXTURES = new URL("../fixtures/onboard/", import.meta.url);
const RUNS: Record<string, Recorded> = JSON.parse(await Deno.readTextFile(new URL("reference_runs.json", FIXTURES)));

/** The recorded words with this home in place of the recording's. */
const text = (recorded: string, home: TempHome) => recorded.replaceAll("<HOME>", home.home).replace(/\n$/, "");

/** Runs ours in `home`; the health step may wait its full 15 s, so the run is given 30. */
async function runOurs(args: string[], home: TempHome) {
  const env = { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath };
  const proc = await spawnOpenclaw(args, { home: home.home, env });
  const code = await proc.exited(30_000);
  return { code, stdout: proc.stdout.join("\n"), stderr: proc.stderr.join("\n") };
}

/**
 * The config as compared: the reference's bundled-plugin defaults (`plugins.entries.*.sessionCatalog`)
 * and its writer's `meta` stamp are its own; the token is random and the run stamp a time and version.
 */
function comparable(config: Record<string, unknown>, home: TempHome): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config).replaceAll(home.home, "<HOME>"));
  delete copy.plugins;
  delete copy.meta;
  if (typeof copy.gateway?.auth?.token === "string" && /^[0-9a-f]{48}$/.test(copy.gateway.auth.token)) {
    copy.gateway.auth.token = "<TOKEN>";
  }
  if (copy.wizard) Object.assign(copy.wizard, { lastRunAt: "<TIME>", lastRunVersion: "<VERSION>" });
  return copy;
}

async function replay(name: string): Promise<void> {
  const recorded = RUNS[name]!;
  const home = await tempHome(recorded.before);
  try {
    const result = await runOurs(recorded.args, home);
    let stderr = text(recorded.stderr, home);
    if (name === "brokenjson") {
      // Our config loader names the line of a parse failure (shared with every command); the words are the reference's.
      stderr = stderr.replace("<root>: JSON5 parse failed:", "openclaw.json:2 — <root>: JSON5 parse failed:");
    }
    assert.deepEqual(
      { code: result.code, stdout: result.stdout, stderr: result.stderr },
      { code: recorded.code, stdout: text(recorded.stdout, home), stderr },
      name,
    );
    if (typeof recorded.config === "object") {
      const written = JSON.parse(await Deno.readTextFile(home.configPath));
      const expected = comparable(JSON.parse(JSON.stringify(recorded.config).replaceAll("<HOME>", home.home)), home);
      assert.deepEqual(comparable(written, home), expected, `${name}: config`);
      assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(home.stateDir)).mode! & 0o777, 0o700);
    } else if (recorded.before === undefined) {
      assert.equal(await Deno.stat(home.configPath).then(() => true, () => false), false, `${name}: no config`);
    } else if (typeof recorded.config === "string") {
      // A refused config is left byte for byte as it was.
      assert.equal(await Deno.readTextFile(home.configPath), recorded.config.replaceAll("<HOME>", home.home));
    }
  } finally {
    await home.cleanup();
  }
}

Deno.test("onboard refusals match the reference word for word, nothing written", async () => {
  ensureFreshBundle();
  for (
    const name of ["noaccept", "noacceptjson", "notty", "nottyjson", "badbind", "badbindjson", "badauth"]
  ) await replay(name);
  for (const name of ["badport", "badportjson", "badmode", "pwmissing", "invalid", "brokenjson"]) await replay(name);
});

Deno.test("onboard --non-interactive writes the reference's config, workspace and summary", async () => {
  ensureFreshBundle();
  for (const name of ["basic", "basicjson", "skills", "merge"]) await replay(name);
  const home = await tempHome();
  try {
    const result = await runOurs(RUNS.basic!.args, home);
    assert.equal(result.code, 0);
    const workspace = `${home.stateDir}/workspace`;
    for (const file of ["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md", "BOOTSTRAP.md"]) {
      assert.ok((await Deno.stat(`${workspace}/${file}`)).isFile, file);
    }
    assert.ok((await Deno.stat(`${home.stateDir}/agents/main/sessions`)).isDirectory);
    // The reference's own CLI accepts the config ours wrote.
    const peer = await runPeer(["config", "validate", "--json"], home);
    assert.equal(peer.code, 0, peer.stderr);
    assert.equal(JSON.parse(peer.stdout).valid, true);
  } finally {
    await home.cleanup();
  }
});

/** The profile store row the reference keeps in the global state database. */
async function authProfilesStore(home: TempHome): Promise<unknown> {
  const { DatabaseSync } = await import("node:sqlite");
  const db = new DatabaseSync(`${home.stateDir}/state/openclaw.sqlite`, { readOnly: true });
  try {
    const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = 'authProfiles.store'")
      .get() as
        | { value_json: string }
        | undefined;
    return row ? JSON.parse(row.value_json) : undefined;
  } finally {
    db.close();
  }
}

Deno.test("onboard --auth-choice apiKey stores the Anthropic key where the reference does, never printed", async () => {
  ensureFreshBundle();
  for (const name of ["anthjson", "anthtext", "anthnokey"]) await replay(name);
  const home = await tempHome();
  try {
    const plain = await runOurs(RUNS.anthjson!.args, home);
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(!plain.stdout.includes("sk-ant-test123") && !plain.stderr.includes("sk-ant-test123"));
    assert.deepEqual(await authProfilesStore(home), RUNS.anthjson!.authProfilesStore);
    // The reference's own CLI finds the key ours stored (masked, as it shows keys).
    const status = await runPeer(["models", "status", "--json"], home);
    assert.equal(status.code, 0, status.stderr);
    const anthropic = JSON.parse(status.stdout).auth.providers.find((p: { provider: string }) =>
      p.provider === "anthropic"
    );
    assert.deepEqual(anthropic?.profiles?.labels, ["anthropic:default=sk...23"]);
    assert.equal((await Deno.stat(`${home.stateDir}/state/openclaw.sqlite`)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${home.stateDir}/state`)).mode! & 0o777, 0o700);
  } finally {
    await home.cleanup();
  }
  const refHome = await tempHome();
  try {
    const env = {
      OPENCLAW_STATE_DIR: refHome.stateDir,
      OPENCLAW_CONFIG_PATH: refHome.configPath,
      ...RUNS.anthref!.env,
    };
    // The gateway token follows ref mode too: with OPENCLAW_GATEWAY_TOKEN exported it becomes an env ref.
    const proc = await spawnOpenclaw(RUNS.anthref!.args, {
      home: refHome.home,
      env: { ...env, OPENCLAW_GATEWAY_TOKEN: "ref-mode-token" },
    });
    assert.equal(await proc.exited(30_000), 0, proc.stderr.join("\n"));
    assert.deepEqual(await authProfilesStore(refHome), RUNS.anthref!.authProfilesStore);
    const config = JSON.parse(await Deno.readTextFile(refHome.configPath));
    assert.deepEqual(config.gateway.auth.token, { source: "env", provider: "default", id: "OPENCLAW_GATEWAY_TOKEN" });
    assert.ok(!JSON.stringify(config).includes("sk-ant-env456"));
  } finally {
    await refHome.cleanup();
  }
});

Deno.test("onboard's health step: an absent gateway as the reference reports it, ours when it runs", async () => {
  ensureFreshBundle();
  for (const name of ["health", "healthndjson"]) await replay(name);
  const gatewayHome = await tempHome();
  const { proc, port } = await startGateway({
    home: gatewayHome.home,
    env: { OPENCLAW_STATE_DIR: gatewayHome.stateDir },
    args: ["--auth", "token", "--token", "onboard-health-token", "--allow-unconfigured"],
  });
  const home = await tempHome();
  try {
    const args = ["--skip-daemon", "--skip-skills", "--gateway-port", String(port), "--gateway-token"];
    const ours = await runOurs(
      ["onboard", "--non-interactive", "--accept-risk", ...args, "onboard-health-token"],
      home,
    );
    assert.equal(ours.code, 0, ours.stderr);
    assert.match(ours.stdout, /^Gateway event loop: ok /m);
    assert.match(ours.stdout, /^Agents: main \(default\)$/m);
    const json = await runOurs([
      "onboard",
      "--non-interactive",
      "--accept-risk",
      ...args,
      "onboard-health-token",
      "--json",
    ], home);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).gateway.reachable, undefined);
    // The reference's onboarding, on its own home, finds our gateway healthy too.
    const peerHome = await tempHome();
    try {
      const peer = await runPeer(
        ["onboard", "--non-interactive", "--accept-risk", ...args, "onboard-health-token"],
        peerHome,
      );
      assert.equal(peer.code, 0, peer.stderr);
      assert.match(peer.stdout, /^Agents: main \(default\)$/m);
    } finally {
      await peerHome.cleanup();
    }
  } finally {
    await proc.stop();
    await home.cleanup();
    await gatewayHome.cleanup();
  }
});

Deno.test("onboard over a state database that does not open: the reference's failure, nothing written", async () => {
  ensureFreshBundle();
  const cases = [
    ["onboard", "--non-interactive", "--accept-risk", "--skip-health"],
    ["onboard", "--non-interactive", "--accept-risk", "--skip-health", "--json"],
    ["onboard", "--non-interactive", "--accept-risk", "--skip-health", "--anthropic-api-key", "sk-ant-damaged1"],
  ];
  for (const args of cases) {
    const results = [];
    for (const runner of ["ours", "peer"] as const) {
      const home = await tempHome();
      try {
        const db = `${home.stateDir}/state/openclaw.sqlite`;
        await Deno.mkdir(`${home.stateDir}/state`, { recursive: true });
        await Deno.writeTextFile(db, "not a database ".repeat(20));
        const result = runner === "ours" ? await runOurs(args, home) : await runPeer(args, home);
        assert.equal(await Deno.readTextFile(db), "not a database ".repeat(20));
        for (const left of [home.configPath, `${home.stateDir}/workspace`]) {
          await assert.rejects(Deno.stat(left), Deno.errors.NotFound, `${runner} wrote ${left}`);
        }
        results.push({ code: result.code, stdout: result.stdout.trim(), stderr: result.stderr.trim() });
      } finally {
        await home.cleanup();
      }
    }
    assert.deepEqual(results[0], results[1], args.join(" "));
    assert.ok(!JSON.stringify(results).includes("sk-ant-damaged1"));
  }
});
