// `openclaw config set|patch` on paths and refusals where our first version differed from the
// reference OpenClaw 2026.9.6 (recorded with its CLI): dotted indices, huge indices, and how a
// refused write names the schema's issues.
import assert from "node:assert/strict";
import { runOpenclaw, type TempHome, tempHome } from "../support/spawn_gateway.ts";

const CONFIG = {
  gateway: { mode: "local", port: 18789 },
  models: { providers: { openai: { baseUrl: "http://127.0.0.1:1/v1", models: [{ id: "gpt-5.4", name: "G" }] } } },
};

function cliIn(home: TempHome) {
  return (...args: string[]) => runOpenclaw(["config", ...args], { home: home.home });
}

const read = async (home: TempHome) => JSON.parse(await Deno.readTextFile(home.configPath));

Deno.test("config set: a dotted index makes an array where the schema wants a list, an object key where it wants a map", async () => {
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  try {
    assert.deepEqual(await cli("set", "channels.telegram.allowFrom.0", "123"), {
      code: 0,
      stdout: "Updated channels.telegram.allowFrom[0]. Change will apply without restarting the gateway.",
      stderr: "",
    });
    assert.deepEqual((await read(home)).channels.telegram.allowFrom, [123]);
    assert.equal((await cli("set", "agents.defaults.models.0.alias", "x")).code, 0);
    assert.deepEqual((await read(home)).agents.defaults.models, { 0: { alias: "x" } });
  } finally {
    await home.cleanup();
  }
});

Deno.test("config set: an index above 100000 is refused at once, in the reference's words, the file untouched", async () => {
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  try {
    const before = await Deno.readTextFile(home.configPath);
    const started = performance.now();
    assert.deepEqual(await cli("set", "models.providers.openai.models[50000000]", '{"id":"x","name":"y"}'), {
      code: 1,
      stdout: "",
      stderr: 'Expected numeric index for array segment "50000000"',
    });
    // Before the bound, this built a 50-million-slot array and died of its JSON text (~7 s, 1 GB).
    assert.ok(performance.now() - started < 5_000);
    assert.equal(await Deno.readTextFile(home.configPath), before);
  } finally {
    await home.cleanup();
  }
});

Deno.test("a refused write names the first schema issue; a dry run lists each one", async () => {
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  const patch = `${home.home}/two.json5`;
  await Deno.writeTextFile(patch, '{gateway: {port: "x"}, logging: {level: 5}}');
  try {
    const before = await Deno.readTextFile(home.configPath);
    const refused = await cli("patch", "--file", patch);
    assert.equal(refused.code, 1);
    // The first issue in the reference's order (its root schema lists logging before gateway).
    assert.match(refused.stderr, /^Config validation failed: logging\.level: [^\n;]+$/);
    assert.equal(await Deno.readTextFile(home.configPath), before);

    const dry = await cli("patch", "--file", patch, "--dry-run");
    assert.equal(dry.code, 1);
    const lines = dry.stderr.split("\n");
    assert.equal(lines[0], "Dry run failed: config schema validation failed.");
    assert.deepEqual(lines.slice(1).map((line) => line.split(":")[0]), ["- - logging.level", "- - gateway.port"]);
    const json = JSON.parse((await cli("patch", "--file", patch, "--dry-run", "--json")).stdout);
    assert.deepEqual(json.errors.map((error: { kind: string }) => error.kind), ["schema", "schema"]);
  } finally {
    await home.cleanup();
  }
});

Deno.test("an immutable config (OPENCLAW_CONFIG_READONLY/NIX_MODE) refuses only a write: dry runs, No change and a missing path answer as usual", async () => {
  const home = await tempHome(CONFIG);
  try {
    const before = await Deno.readTextFile(home.configPath);
    const envs: Record<string, string>[] = [{ OPENCLAW_CONFIG_READONLY: "1" }, { OPENCLAW_NIX_MODE: "1" }];
    for (const env of envs) {
      const cli = (...args: string[]) => runOpenclaw(["config", ...args], { home: home.home, env });
      const dry = await cli("set", "gateway.port", "19001", "--strict-json", "--dry-run");
      assert.deepEqual(dry, {
        code: 0,
        stdout: "Dry run successful: 1 update(s) validated against ~/.openclaw/openclaw.json.",
        stderr: "",
      });
      assert.equal(JSON.parse((await cli("unset", "gateway.port", "--dry-run", "--json")).stdout).ok, true);
      assert.deepEqual(await cli("set", "gateway.port", "18789"), { code: 0, stdout: "No change", stderr: "" });
      assert.equal(
        (await cli("unset", "gateway.bind")).stderr,
        "Config path not found: gateway.bind. Nothing was changed. Run openclaw config get <path> first if you are unsure of the path.",
      );
      const write = await cli("set", "gateway.port", "19001");
      assert.equal(write.code, 1);
      assert.match(write.stderr, /^Config is (externally managed|managed by Nix)/);
    }
    assert.equal(await Deno.readTextFile(home.configPath), before);
  } finally {
    await home.cleanup();
  }
});

Deno.test("a builder dry run checks the ref, not the whole schema (checks.schema false), as the reference reports it", async () => {
  const home = await tempHome(CONFIG);
  try {
    const ref = ["--ref-provider", "default", "--ref-source", "env", "--ref-id", "GW_TOKEN"];
    const dry = await runOpenclaw(["config", "set", "gateway.auth.token", ...ref, "--dry-run", "--json"], {
      home: home.home,
      env: { GW_TOKEN: "set" },
    });
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(JSON.parse(dry.stdout), {
      ok: true,
      operations: 1,
      configPath: home.configPath,
      inputModes: ["builder"],
      checks: { schema: false, resolvability: true, resolvabilityComplete: true },
      refsChecked: 1,
      skippedExecRefs: 0,
    });
  } finally {
    await home.cleanup();
  }
});

Deno.test("config set of an equal value in another key order is No change: the file and its comments stay as they are", async () => {
  const text = '{\n  // hand comment\n  gateway: { mode: "local", port: 18789 },\n}\n';
  const home = await tempHome(text);
  const cli = cliIn(home);
  try {
    assert.deepEqual(await cli("set", "gateway", '{"port":18789,"mode":"local"}'), {
      code: 0,
      stdout: "No change",
      stderr: "",
    });
    assert.equal(await Deno.readTextFile(home.configPath), text);
    // An expectation is met by an equal value in any key order too.
    const set = await cli(
      "set",
      "gateway",
      '{"port":1,"mode":"local"}',
      "--expect-current-json",
      '{"port":18789,"mode":"local"}',
    );
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual((await read(home)).gateway, { port: 1, mode: "local" });
  } finally {
    await home.cleanup();
  }
});

Deno.test("config get hides a credential-bearing baseUrl whole, as the reference does; the marker writes it back", async () => {
  const home = await tempHome({
    ...CONFIG,
    models: {
      providers: { openai: { ...CONFIG.models.providers.openai, baseUrl: "https://u:secretpw@h.example/v1" } },
    },
  });
  const cli = cliIn(home);
  try {
    const shown = await cli("get", "models.providers.openai", "--json");
    assert.ok(!shown.stdout.includes("secretpw"), shown.stdout);
    assert.equal(JSON.parse(shown.stdout).baseUrl, "__OPENCLAW_REDACTED__");
    assert.deepEqual(await cli("set", "models.providers.openai.baseUrl", "__OPENCLAW_REDACTED__"), {
      code: 0,
      stdout: "No change",
      stderr: "",
    });
  } finally {
    await home.cleanup();
  }
});

Deno.test("config get hides a secret's SecretRef id, as the reference does; the ref copied back changes nothing", async () => {
  const token = { source: "env", provider: "default", id: "GW_TOKEN" };
  const home = await tempHome({ ...CONFIG, gateway: { ...CONFIG.gateway, auth: { mode: "token", token } } });
  const cli = (...args: string[]) => runOpenclaw(["config", ...args], { home: home.home, env: { GW_TOKEN: "t" } });
  try {
    const shown = await cli("get", "gateway.auth.token");
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(JSON.parse(shown.stdout), { ...token, id: "__OPENCLAW_REDACTED__" });
    assert.deepEqual(await cli("set", "gateway.auth.token", shown.stdout), {
      code: 0,
      stdout: "No change",
      stderr: "",
    });
    // A dry run resolves the stored id, not the marker.
    assert.deepEqual(await cli("set", "gateway.auth.token", shown.stdout, "--strict-json", "--dry-run"), {
      code: 0,
      stdout: "Dry run successful: 1 update(s) validated against ~/.openclaw/openclaw.json.",
      stderr: "",
    });
  } finally {
    await home.cleanup();
  }
});
