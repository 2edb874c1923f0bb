// `openclaw models set|set-image|aliases|fallbacks|image-fallbacks`, run as the binary runs, against
// the reference OpenClaw 2026.9.6's recorded words and exit codes (docs/cli.md). The reference's own
// CLI reads the aliases and fallbacks ours wrote, and a running gateway picks up `models set` by
// hot reload (its `models.list` tags the new default).
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { ensureFreshBundle, runOpenclaw, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "models-cli-token";
const CONFIG = {
  gateway: { mode: "local", auth: { mode: "token", token: TOKEN } },
  models: {
    providers: {
      local: {
        baseUrl: "http://127.0.0.1:9/v1",
        api: "openai-completions",
        apiKey: "x",
        models: [{ id: "m1", name: "M1" }, { id: "m2", name: "M2" }],
      },
    },
  },
  agents: { defaults: { model: { primary: "local/m1" } } },
};

function cliIn(home: TempHome) {
  const env = { OPENCLAW_STATE_DIR: home.stateDir };
  return (...args: string[]) => runOpenclaw(["models", ...args], { home: home.home, env });
}

const defaults = async (home: TempHome) => JSON.parse(await Deno.readTextFile(home.configPath)).agents.defaults;
const UPDATED = "Updated config: ~/.openclaw/openclaw.json\n  Backup: ~/.openclaw/openclaw.json.bak";

Deno.test("models set/set-image/aliases/fallbacks write what the reference writes and print its words", async () => {
  ensureFreshBundle();
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  try {
    assert.deepEqual(await cli("set", "local/m2"), {
      code: 0,
      stdout: `${UPDATED}\nDefault model: local/m2`,
      stderr: "",
    });
    assert.deepEqual(await cli("set-image", "local/m1"), {
      code: 0,
      stdout: `${UPDATED}\nImage model: local/m1`,
      stderr: "",
    });
    assert.deepEqual(await cli("aliases", "add", "fast", "local/m2"), {
      code: 0,
      stdout: `${UPDATED}\nAlias fast -> local/m2`,
      stderr: "",
    });
    // Aliasing an alias repoints it (the model's old alias goes), as recorded.
    assert.equal((await cli("aliases", "add", "quick", "fast")).stdout, `${UPDATED}\nAlias quick -> local/m2`);
    assert.deepEqual(await cli("aliases", "list"), {
      code: 0,
      stdout: "Aliases (1):\n- quick -> local/m2",
      stderr: "",
    });
    assert.deepEqual(JSON.parse((await cli("aliases", "list", "--json")).stdout), { aliases: { quick: "local/m2" } });
    assert.equal((await cli("aliases", "list", "--plain")).stdout, "quick local/m2");
    assert.equal((await cli("fallbacks", "add", "quick")).stdout, `${UPDATED}\nFallbacks: local/m2`);
    assert.equal((await cli("fallbacks", "add", "local/m1")).stdout, `${UPDATED}\nFallbacks: local/m2, local/m1`);
    assert.equal((await cli("fallbacks", "add", "local/m1")).stdout, `${UPDATED}\nFallbacks: local/m2, local/m1`);
    assert.deepEqual(await cli("fallbacks", "list"), {
      code: 0,
      stdout: "Fallbacks (2):\n- local/m2\n- local/m1",
      stderr: "",
    });
    assert.equal((await cli("fallbacks", "remove", "quick")).stdout, `${UPDATED}\nFallbacks: local/m1`);
    assert.equal((await cli("image-fallbacks", "add", "local/m2")).stdout, `${UPDATED}\nImage fallbacks: local/m2`);
    assert.equal((await cli("image-fallbacks", "clear")).stdout, `${UPDATED}\nImage fallback list cleared.`);
    assert.deepEqual(await defaults(home), {
      model: { primary: "local/m2", fallbacks: ["local/m1"] },
      imageModel: { primary: "local/m1", fallbacks: [] },
      models: { "local/m2": { alias: "quick" }, "local/m1": {} },
    });
  } finally {
    await home.cleanup();
  }
});

Deno.test("models refusals: the reference's words, exit 1, the config left byte for byte", async () => {
  ensureFreshBundle();
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  try {
    const before = await Deno.readTextFile(home.configPath);
    assert.deepEqual(await cli("set", "nope/x"), {
      code: 1,
      stdout: "",
      stderr:
        'Unknown model provider "nope". Install a plugin that declares it or configure it under models.providers before selecting "nope/x". Config was not changed.',
    });
    assert.deepEqual(await cli("set", ""), { code: 1, stdout: "", stderr: "Invalid model reference: " });
    assert.deepEqual(await cli("aliases", "remove", "nope"), {
      code: 1,
      stdout: "",
      stderr: "Alias not found: nope. Run openclaw models aliases list to see configured aliases.",
    });
    assert.deepEqual(await cli("fallbacks", "remove", "local/zz"), {
      code: 1,
      stdout: "",
      stderr: "Fallback not found: local/zz. Run openclaw models fallbacks list to see configured fallbacks.",
    });
    // Recorded: after the subcommand `--agent` is an unknown option; given to `models` it is refused
    // through the reference's generic failure block (and its envelope with --json).
    assert.equal((await cli("set", "--agent", "main", "local/m2")).code, 1);
    const refusal =
      "openclaw models set does not support --agent; it is global and never agent-scoped. Remove --agent, or run openclaw agents list and set the per-agent model in agent config.";
    const generic = (reason: string) =>
      `[openclaw] The CLI command failed.\n[openclaw] Reason: ${reason}\n[openclaw] Debug: set OPENCLAW_DEBUG=1 to include the stack trace.\n[openclaw] Try: openclaw doctor\n[openclaw] Help: openclaw --help`;
    assert.deepEqual(await cli("--agent", "main", "set", "local/m2"), {
      code: 1,
      stdout: "",
      stderr: generic(refusal),
    });
    const listed = await cli("--agent", "main", "aliases", "list", "--json");
    assert.equal(listed.code, 1);
    assert.equal(JSON.parse(listed.stdout).error.message, refusal.replace("models set", "models aliases list"));
    assert.equal(listed.stderr, generic(refusal.replace("models set", "models aliases list")));
    const both = await cli("aliases", "list", "--json", "--plain");
    assert.equal(both.code, 1);
    assert.deepEqual(JSON.parse(both.stdout), {
      ok: false,
      error: { type: "cli_error", message: "Choose either --json or --plain, not both." },
    });
    assert.match(both.stderr, /^\[openclaw\] The CLI command failed\.\n\[openclaw\] Reason: Choose either/);
    // Not served: fails as an unknown command does, never pretends.
    assert.equal((await cli("scan")).code, 1);
    assert.equal(await Deno.readTextFile(home.configPath), before);
  } finally {
    await home.cleanup();
  }
});

Deno.test("the reference's CLI reads the fallbacks and aliases our models commands wrote", async () => {
  ensureFreshBundle();
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  try {
    assert.equal((await cli("aliases", "add", "fast", "local/m2")).code, 0);
    assert.equal((await cli("fallbacks", "add", "fast")).code, 0);
    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const fallbacks = await runPeer(["models", "fallbacks", "list", "--json"], where);
    assert.equal(fallbacks.code, 0, fallbacks.stderr);
    assert.deepEqual(JSON.parse(fallbacks.stdout), { fallbacks: ["local/m2"] });
    const aliases = await runPeer(["models", "aliases", "list", "--json"], where);
    assert.deepEqual(JSON.parse(aliases.stdout), { aliases: { fast: "local/m2" } });
  } finally {
    await home.cleanup();
  }
});

Deno.test("a running gateway picks up `models set` by hot reload: models.list tags the new default", async () => {
  ensureFreshBundle();
  const home = await tempHome(CONFIG);
  const env = { OPENCLAW_STATE_DIR: home.stateDir };
  const { proc, port } = await startGateway({ home: home.home, env });
  const call = async () => {
    const listed = await runOpenclaw(
      ["gateway", "call", "models.list", "--json", "--port", String(port), "--token", TOKEN],
      { home: home.home, env },
    );
    assert.equal(listed.code, 0, listed.stderr);
    const models = JSON.parse(listed.stdout).models as { id: string; tags?: string[] }[];
    return models.filter((model) => model.tags?.includes("default")).map((model) => model.id);
  };
  try {
    assert.deepEqual(await call(), ["m1"]);
    assert.equal((await cliIn(home)("set", "local/m2")).code, 0);
    await proc.waitForLine(/config hot reload applied \(.*agents\.defaults/);
    assert.deepEqual(await call(), ["m2"]);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("an invalid config is refused in the reference's words: its text block, or with --json its envelope", async () => {
  ensureFreshBundle();
  const home = await tempHome(
    '{\n  gateway: { mode: "local", bogus: 1 },\n  agents: { defaults: { model: "local/m1" } },\n}\n',
  );
  const cli = cliIn(home);
  try {
    const before = await Deno.readTextFile(home.configPath);
    const problem = 'Problem:\n  - openclaw.json:2 — gateway: Unrecognized key: "bogus"\n';
    const audit = "Audit, status, health, logs, tasks list/audit, and doctor commands still run with invalid config.";
    // Recorded from the reference (`models set`, `fallbacks add`, `aliases list|remove` alike).
    assert.deepEqual(await cli("set", "local/m2"), {
      code: 1,
      stdout: "",
      stderr: `OpenClaw config is invalid\nFile: ~/.openclaw/openclaw.json\n${problem}\n` +
        `Inspect: openclaw config validate\n${audit}\nRun "openclaw doctor --fix" to repair the config, then retry.`,
    });
    const json = await cli("fallbacks", "list", "--json");
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      error: { type: "cli_error", message: "OpenClaw config is invalid: ~/.openclaw/openclaw.json" },
      issues: [{ path: "gateway", message: 'Unrecognized key: "bogus"' }],
    });
    assert.equal(
      json.stderr,
      `OpenClaw config is invalid\nFile: ~/.openclaw/openclaw.json\n${problem}\n` +
        `Fix: openclaw doctor --fix\nInspect: openclaw config validate\n${audit}`,
    );
    assert.equal(await Deno.readTextFile(home.configPath), before);
  } finally {
    await home.cleanup();
  }
});
