// `openclaw config file|get|validate|schema|set|unset|patch`, run as the binary runs, against the
// reference OpenClaw 2026.9.6's recorded words (docs/cli.md). A running gateway picks up a
// `config set` by hot reload, and the reference's own CLI reads the file ours wrote.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import {
  ensureFreshBundle,
  programArgs,
  runOpenclaw,
  RUNTIME_ENV,
  startGateway,
  type TempHome,
  tempHome,
} from "../support/spawn_gateway.ts";

const CONFIG = `{
  // kept by hand
  gateway: { mode: "local", port: 18789, auth: { mode: "token", token: "sekrit-token-123" } },
  agents: { defaults: { workspace: "/tmp/ws", models: { "openai/gpt-5.4": { alias: "g" } } } },
  logging: { level: "info" },
  models: { providers: { openai: { baseUrl: "http://127.0.0.1:1/v1", apiKey: "sk-abcdef", models: [{ id: "gpt-5.4", name: "G" }] } } },
}
`;

function cliIn(home: TempHome, env: Record<string, string> = {}) {
  return (...args: string[]) => runOpenclaw(["config", ...args], { home: home.home, env });
}

const read = (home: TempHome) => Deno.readTextFile(home.configPath);

Deno.test("config file/get/validate/schema print what the reference prints; secrets never print", async () => {
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  try {
    assert.deepEqual(await cli("file"), { code: 0, stdout: home.configPath, stderr: "" });
    assert.deepEqual(JSON.parse((await cli("file", "--json")).stdout), { path: home.configPath });

    assert.deepEqual(await cli("get", "gateway.port"), { code: 0, stdout: "18789", stderr: "" });
    assert.equal((await cli("get", "gateway.port", "--json")).stdout, "18789");
    assert.deepEqual(JSON.parse((await cli("get", "gateway.auth")).stdout), {
      mode: "token",
      token: "__OPENCLAW_REDACTED__",
    });
    assert.equal((await cli("get", "gateway.auth.token")).stdout, "__OPENCLAW_REDACTED__");
    assert.equal((await cli("get", "gateway.auth.token", "--json")).stdout, '"__OPENCLAW_REDACTED__"');
    const all = await cli("get", "models");
    assert.ok(!all.stdout.includes("sk-abcdef"), all.stdout);
    assert.deepEqual(JSON.parse((await cli("get", 'agents.defaults.models["openai/gpt-5.4"]')).stdout), { alias: "g" });
    assert.equal((await cli("get", "models.providers.openai.models[0].id")).stdout, "gpt-5.4");

    const unsetMessage =
      "Config path is valid but unset: gateway.bind. The runtime default applies until you set an authored value with openclaw config set gateway.bind <value>.";
    assert.deepEqual(await cli("get", "gateway.bind"), { code: 1, stdout: "", stderr: unsetMessage });
    const unsetJson = await cli("get", "gateway.bind", "--json");
    assert.equal(unsetJson.code, 1);
    assert.deepEqual(JSON.parse(unsetJson.stdout), { ok: false, error: { type: "cli_error", message: unsetMessage } });
    const unknownMessage = "Unknown config path: nope.whatever. Run openclaw config schema to inspect valid paths.";
    assert.deepEqual(await cli("get", "nope.whatever"), { code: 1, stdout: "", stderr: unknownMessage });
    assert.deepEqual(JSON.parse((await cli("get", "nope.whatever", "--json")).stdout), {
      ok: false,
      error: { type: "cli_error", message: unknownMessage },
    });
    assert.deepEqual(await cli("get", ""), { code: 1, stdout: "", stderr: "Path is empty." });

    assert.deepEqual(await cli("validate"), { code: 0, stdout: "Config valid: ~/.openclaw/openclaw.json", stderr: "" });
    assert.equal(
      (await cli("validate", "--json")).stdout,
      JSON.stringify({ valid: true, path: home.configPath, warnings: [] }),
    );

    const schema = JSON.parse((await cli("schema")).stdout);
    assert.equal(schema.type, "object");
    assert.deepEqual(Object.keys(schema.properties).slice(0, 1), ["$schema"]);
    assert.ok(schema.properties.gateway);
    assert.deepEqual(JSON.parse((await cli("schema", "--json")).stdout), schema);
  } finally {
    await home.cleanup();
  }
});

Deno.test("config validate/get on an invalid or missing file: the reference's lines and JSON failure envelopes", async () => {
  const bad = await tempHome('{ gateway: { port: "x" } }');
  const missing = await tempHome();
  try {
    const message = "OpenClaw config is invalid: ~/.openclaw/openclaw.json";
    const issue = "openclaw.json:1 — gateway.port: Invalid input: expected number, received string";
    const human = await cliIn(bad)("validate");
    assert.equal(human.code, 1);
    assert.equal(
      human.stderr,
      `${message}\n  × ${issue}\n\nRun \`openclaw doctor --fix\` to repair, or fix the keys above manually.\nInspect with openclaw config validate.`,
    );
    const json = await cliIn(bad)("validate", "--json");
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      error: { type: "cli_error", message },
      valid: false,
      path: bad.configPath,
      issues: [{ path: "gateway.port", message: "Invalid input: expected number, received string" }],
    });
    const get = await cliIn(bad)("get", "gateway.port");
    assert.deepEqual(get, {
      code: 1,
      stdout: "",
      stderr: `${message}\n- ${issue}\nRun \`openclaw doctor --fix\` to repair, then retry.`,
    });

    const none = await cliIn(missing)("validate");
    assert.deepEqual(none, {
      code: 1,
      stdout: "",
      stderr:
        "Config file not found: ~/.openclaw/openclaw.json\nCreate one with openclaw onboard or run openclaw doctor --fix.",
    });
    assert.equal(
      (await cliIn(missing)("validate", "--json")).stdout,
      JSON.stringify({
        ok: false,
        error: { type: "cli_error", message: "file not found" },
        valid: false,
        path: missing.configPath,
      }),
    );
  } finally {
    await bad.cleanup();
    await missing.cleanup();
  }
});

Deno.test("config set: values, no-change, protected maps, dry runs, expectations, hints and write safety", async () => {
  const home = await tempHome(CONFIG);
  const cli = cliIn(home);
  try {
    // No effective change: "No change", and the file is byte for byte what it was (comments kept).
    assert.deepEqual(await cli("set", "gateway.port", "18789"), { code: 0, stdout: "No change", stderr: "" });
    assert.equal(await read(home), CONFIG);
    // The marker `config get` prints for a secret writes the stored secret back: no change either.
    assert.deepEqual(await cli("set", "gateway.auth.token", "__OPENCLAW_REDACTED__"), {
      code: 0,
      stdout: "No change",
      stderr: "",
    });
    assert.equal(await read(home), CONFIG);

    const refusals: [string[], string][] = [
      [
        ["set", "agents.defaults.models", '{"x/y":{}}', "--strict-json"],
        "Refusing to replace agents.defaults.models; it would remove existing entries: openai/gpt-5.4. Use --merge to merge object values or --replace to replace intentionally.",
      ],
      [
        ["set", "models.providers.openai.models", '[{"id":"other"}]', "--strict-json"],
        "Refusing to replace models.providers.openai.models; it would remove existing entries: gpt-5.4. Use --merge to merge by id or --replace to replace intentionally.",
      ],
      [
        ["set", "gateway.port", "notanumber"],
        "Config validation failed: gateway.port: Invalid input: expected number, received string",
      ],
      [["set", "gateway.__proto__", "x"], "Invalid path segment: __proto__"],
      [
        ["set", "gateway.port", "19001", "--merge", "--replace"],
        "config set mode error: choose either --merge or --replace, not both.",
      ],
      [
        ["set", "gateway.port", "19001", "--expect-current-json", "1"],
        "The config file changed while this command was writing (conditional config set expectation did not match the authored config), so nothing was changed. Re-run the same command to pick up the new file and try again.",
      ],
      [
        ["set", "gateway.port", "19001", "--expect-current-absent"],
        "The config file changed while this command was writing (conditional config set expectation did not match the authored config), so nothing was changed. Re-run the same command to pick up the new file and try again.",
      ],
      [
        ["set", "gateway.port", "1", "--dry-run", "--expect-current-absent"],
        "config set mode error: conditional expectations cannot be combined with --dry-run.",
      ],
      [
        ["set", "gateway.port", '"x"', "--strict-json", "--dry-run"],
        "Dry run failed: config schema validation failed.\n- - gateway.port: Invalid input: expected number, received string",
      ],
      [
        ["unset", "ui.nothing"],
        "Config path not found: ui.nothing. Nothing was changed. Run openclaw config get <path> first if you are unsure of the path.",
      ],
      [["unset", "ui.seamColor", "--json"], "--json can only be used with --dry-run."],
    ];
    for (const [args, message] of refusals) {
      assert.deepEqual(await cli(...args), { code: 1, stdout: "", stderr: message }, args.join(" "));
    }
    assert.equal(await read(home), CONFIG, "a refused write leaves the file untouched");

    const note =
      "Dry run note: value mode does not run schema/resolvability checks. Use --strict-json, builder flags, or batch mode to enable validation checks.";
    assert.deepEqual(await cli("set", "gateway.port", "19001", "--dry-run"), {
      code: 0,
      stdout: `${note}\nDry run successful: 1 update(s) validated against ~/.openclaw/openclaw.json.`,
      stderr: "",
    });
    const checks = { schema: true, resolvability: true, resolvabilityComplete: true };
    assert.deepEqual(JSON.parse((await cli("set", "gateway.port", "19001", "--dry-run", "--json")).stdout), {
      ok: true,
      operations: 1,
      configPath: home.configPath,
      inputModes: ["json"],
      checks,
      refsChecked: 0,
      skippedExecRefs: 0,
    });
    const ref = ["--ref-provider", "default", "--ref-source", "env", "--ref-id", "GW_TOKEN"];
    const unresolved = await cli("set", "gateway.auth.token", ...ref, "--dry-run", "--json");
    assert.equal(unresolved.code, 1);
    assert.deepEqual(JSON.parse(unresolved.stdout).errors, [{
      kind: "resolvability",
      message: 'Environment variable "GW_TOKEN" is missing or empty.',
      ref: "env:default:GW_TOKEN",
    }]);
    const missingJson = await cli("unset", "ui.nothing", "--dry-run", "--json");
    assert.equal(missingJson.code, 1);
    assert.deepEqual(JSON.parse(missingJson.stdout).errors, [
      { kind: "missing-path", message: "Config path not found: ui.nothing. Nothing was changed." },
    ]);
    assert.equal(await read(home), CONFIG, "dry runs write nothing");

    const commentWarning = `Config write will strip JSON5 comments from ${home.configPath}.`;
    assert.deepEqual(await cli("set", "gateway.port", "19001", "--expect-current-json", "18789"), {
      code: 0,
      stdout: "Updated gateway.port. Restart the gateway to apply.",
      stderr: commentWarning,
    });
    assert.equal(await Deno.readTextFile(`${home.configPath}.bak`), CONFIG, "the previous file is kept as .bak");
    assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
    assert.deepEqual(await cli("set", "logging.level", "debug"), {
      code: 0,
      stdout: "Updated logging.level. Change will apply without restarting the gateway.",
      stderr: "",
    });
    assert.equal(
      (await cli("set", "ui.seamColor", '"#ff0000"', "--strict-json")).stdout,
      "Updated ui.seamColor. No gateway restart needed.",
    );
    assert.equal((await cli("set", "gateway.bind", "lan", "--expect-current-absent")).code, 0);
    assert.equal(
      (await cli("set", "agents.defaults.models", '{"x/y":{}}', "--strict-json", "--merge")).code,
      0,
    );
    assert.equal(
      (await cli("set", 'agents.defaults.models["a/b.c"].alias', "x")).stdout,
      'Updated agents.defaults.models["a/b.c"].alias. Change will apply without restarting the gateway.',
    );
    assert.equal(
      (await cli("unset", "ui.seamColor")).stdout,
      "Removed ui.seamColor. No gateway restart needed.",
    );
    // The token now names an unset variable: the running gateway cannot resolve the new file in place.
    assert.equal(
      (await cli("set", "gateway.auth.token", ...ref)).stdout,
      "Updated gateway.auth.token. Restart the gateway to apply.",
    );
    const written = JSON.parse(await read(home));
    assert.deepEqual(written.gateway, {
      mode: "local",
      port: 19001,
      auth: { mode: "token", token: { source: "env", provider: "default", id: "GW_TOKEN" } },
      bind: "lan",
    });
    assert.deepEqual(written.agents.defaults.models, {
      "openai/gpt-5.4": { alias: "g" },
      "x/y": {},
      "a/b.c": { alias: "x" },
    });
    assert.deepEqual(written.ui, {});

    // A write that drops gateway.mode is a clobber: refused, its payload kept beside the file.
    const before = await read(home);
    const clobber = await cli("unset", "gateway.mode");
    assert.equal(clobber.code, 1);
    const rejected = (await Array.fromAsync(Deno.readDir(home.stateDir))).map((entry) => entry.name)
      .filter((name) => name.startsWith("openclaw.json.rejected."));
    assert.equal(rejected.length, 1);
    assert.equal(
      clobber.stderr,
      `Config write rejected: ${home.configPath} (gateway-mode-removed). Rejected payload saved to ${home.stateDir}/${
        rejected[0]
      }.`,
    );
    assert.equal(JSON.parse(await Deno.readTextFile(`${home.stateDir}/${rejected[0]}`)).gateway.mode, undefined);
    assert.equal(await read(home), before);

    const readOnly = await cliIn(home, { OPENCLAW_CONFIG_READONLY: "1" })("set", "gateway.port", "1");
    assert.deepEqual(readOnly, {
      code: 1,
      stdout: "",
      stderr:
        `Config is externally managed (\`OPENCLAW_CONFIG_READONLY=1\`), so OpenClaw treats openclaw.json as immutable.\nConfig path: ${home.configPath}\nEdit the config in your external deployment source, then redeploy or restart OpenClaw as needed.`,
    });
    assert.equal((await cliIn(home, { OPENCLAW_CONFIG_READONLY: "1" })("get", "gateway.port")).stdout, "19001");
    const nix = await cliIn(home, { OPENCLAW_NIX_MODE: "1" })("unset", "gateway.bind");
    assert.equal(nix.code, 1);
    assert.equal(
      nix.stderr.split("\n")[0],
      "Config is managed by Nix (`OPENCLAW_NIX_MODE=1`), so OpenClaw treats openclaw.json as immutable.",
    );
    assert.equal(await read(home), before);
  } finally {
    await home.cleanup();
  }
});

async function patchFromStdin(home: TempHome, patch: string, ...args: string[]) {
  ensureFreshBundle();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...programArgs(), "config", "patch", "--stdin", ...args],
    cwd: home.home,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home.home,
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      NO_COLOR: "1",
      ...RUNTIME_ENV,
    },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(patch)).catch(() => {});
  await writer.close().catch(() => {});
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout).trim(), stderr: text.decode(out.stderr).trim() };
}

Deno.test("config patch: objects merge, arrays and scalars replace, null deletes, --replace-path, limits", async () => {
  const home = await tempHome({
    gateway: { mode: "local", port: 18789 },
    logging: { level: "info" },
    ui: { seamColor: "#00ff00" },
    channels: { telegram: { enabled: false, botToken: "123:abc", groups: { "-1": { requireMention: true } } } },
  });
  const cli = cliIn(home);
  const patchFile = `${home.home}/patch.json5`;
  try {
    await Deno.writeTextFile(
      patchFile,
      '{ logging: { level: "debug" }, ui: null, channels: { telegram: { groups: { "-2": { requireMention: false } } } } }',
    );
    const original = await read(home);
    assert.deepEqual(await cli("patch", "--file", patchFile, "--dry-run"), {
      code: 0,
      stdout: "Dry run successful: 3 update(s) validated against ~/.openclaw/openclaw.json.",
      stderr: "",
    });
    assert.equal(JSON.parse((await cli("patch", "--file", patchFile, "--dry-run", "--json")).stdout).operations, 3);
    assert.equal(await read(home), original);
    assert.deepEqual(await cli("patch", "--file", patchFile), {
      code: 0,
      stdout: "Applied 3 config update(s). Change will apply without restarting the gateway.",
      stderr: "",
    });
    const patched = JSON.parse(await read(home));
    assert.equal(patched.ui, undefined);
    assert.equal(patched.logging.level, "debug");
    assert.deepEqual(Object.keys(patched.channels.telegram.groups), ["-1", "-2"]);

    await Deno.writeTextFile(patchFile, '{ channels: { telegram: { groups: { "-3": {} } } } }');
    assert.equal((await cli("patch", "--file", patchFile, "--replace-path", "channels.telegram.groups")).code, 0);
    assert.deepEqual(JSON.parse(await read(home)).channels.telegram.groups, { "-3": {} });

    const piped = await patchFromStdin(home, '{ ui: { seamColor: "#123456" } }');
    assert.deepEqual(piped, { code: 0, stdout: "Applied 1 config update(s). No gateway restart needed.", stderr: "" });
    assert.equal(JSON.parse(await read(home)).ui.seamColor, "#123456");
    const tooBig = await patchFromStdin(home, `{ ui: { seamColor: "${"x".repeat(1024 * 1024)}" } }`);
    assert.deepEqual(tooBig, {
      code: 1,
      stdout: "",
      stderr: "config patch mode error: --stdin input exceeds 1048576 bytes; use --file <path> for larger patches.",
    });

    const after = await read(home);
    await Deno.writeTextFile(`${home.home}/list.json5`, "[1]");
    const refusals: [string[], string][] = [
      [["patch"], "config patch mode error: provide exactly one of --file <path> or --stdin."],
      [["patch", "--file", `${home.home}/list.json5`], "config patch mode error: input must be a JSON5 object patch."],
      [
        ["patch", "--file", patchFile, "--replace-path", "gateway.port"],
        "config patch mode error: --replace-path gateway.port did not match any value in the input patch.",
      ],
      [["patch", "--file", patchFile, "--json"], "config patch mode error: --json requires --dry-run."],
    ];
    for (const [args, message] of refusals) {
      assert.deepEqual(await cli(...args), { code: 1, stdout: "", stderr: message }, args.join(" "));
    }
    assert.equal(await read(home), after);
  } finally {
    await home.cleanup();
  }
});

Deno.test("a running gateway applies a `config set` by hot reload, as the CLI's hint says", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: "config-cli-token" } } });
  const { proc } = await startGateway({ home: home.home, port: 43017 });
  try {
    const set = await cliIn(home)("set", "logging.level", "debug");
    assert.deepEqual(set, {
      code: 0,
      stdout: "Updated logging.level. Change will apply without restarting the gateway.",
      stderr: "",
    });
    await proc.waitForLine(/config hot reload applied \(logging\.level\)/);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("the reference's CLI reads and validates the file our config set wrote", async () => {
  const home = await tempHome({ gateway: { mode: "local", port: 18789 } });
  const cli = cliIn(home);
  try {
    assert.equal((await cli("set", "ui.seamColor", "#ff0000")).code, 0);
    assert.equal((await cli("set", "agents.defaults.models", '{"openai/gpt-5.4":{"alias":"g"}}', "--merge")).code, 0);
    assert.equal(
      (await cli(
        "set",
        "gateway.auth.token",
        "--ref-provider",
        "default",
        "--ref-source",
        "env",
        "--ref-id",
        "GW_TOKEN",
      )).code,
      0,
    );
    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const color = await runPeer(["config", "get", "ui.seamColor"], where);
    assert.equal(color.code, 0, color.stderr);
    assert.equal(color.stdout, "#ff0000\n");
    const alias = await runPeer(["config", "get", 'agents.defaults.models["openai/gpt-5.4"].alias'], where);
    assert.equal(alias.stdout, "g\n");
    const valid = await runPeer(["config", "validate", "--json"], where);
    assert.equal(valid.code, 0, valid.stdout);
    assert.equal(JSON.parse(valid.stdout).valid, true);
  } finally {
    await home.cleanup();
  }
});

Deno.test("config set --batch-json/--batch-file: every entry in one validated write, refusals in the reference's words", async () => {
  const home = await tempHome({ gateway: { mode: "local", port: 18789 }, logging: { level: "info" } });
  const cli = cliIn(home);
  const batch = '[{"path":"ui.seamColor","value":"#ff0000"},{"path":"logging.level","value":"debug"}]';
  try {
    const dry = await cli("set", "--batch-json", batch, "--dry-run", "--json");
    assert.equal(dry.code, 0);
    assert.deepEqual([JSON.parse(dry.stdout).operations, JSON.parse(dry.stdout).inputModes], [2, ["json"]]);
    const refusals: [string[], string][] = [
      [["set", "--batch-json", "[]"], "--batch-json must contain at least one config update."],
      [
        ["set", "x", "--batch-json", batch],
        "config set mode error: batch mode does not accept <path> or <value> arguments.",
      ],
      [
        ["set", "--batch-json", batch, "--expect-current-absent"],
        "config set mode error: conditional expectations require one path operation and cannot be combined with batch mode.",
      ],
      [["set", "--batch-json", batch, "--batch-file", "/x"], "Use either --batch-json or --batch-file, not both."],
      [
        ["set", "--batch-json", '[{"path":"logging.level","value":"debug"},{"path":"gateway.port","value":"x"}]'],
        "Config validation failed: gateway.port: Invalid input: expected number, received string",
      ],
    ];
    const before = await read(home);
    for (const [args, message] of refusals) {
      const result = await cli(...args);
      assert.equal(result.code, 1, args.join(" "));
      assert.equal(result.stderr, message, args.join(" "));
    }
    assert.equal(await read(home), before, "a refused batch writes none of its entries");

    await Deno.writeTextFile(`${home.home}/batch.json`, batch);
    assert.deepEqual(await cli("set", "--batch-file", `${home.home}/batch.json`), {
      code: 0,
      stdout: "Updated 2 config paths. Change will apply without restarting the gateway.",
      stderr: "",
    });
    const written = JSON.parse(await read(home));
    assert.deepEqual([written.ui.seamColor, written.logging.level], ["#ff0000", "debug"]);
  } finally {
    await home.cleanup();
  }
});
