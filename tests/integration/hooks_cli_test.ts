// `openclaw hooks` against the reference's recordings (tests/fixtures/hooks_cli/, README there): our
// program run as the binary runs, with a throwaway HOME, compared on stdout, stderr and exit code.
// Normalized, because they must differ: the state dir (each run's temp dir for the recorded one);
// the bundled hooks' folder (ours are embedded and named `openclaw:bundled/<name>`, the reference's
// sit in its install tree); and in the config written, the reference writer's own stamp (`meta`)
// and its bundled-plugin defaults (`plugins.entries`), which our writer does not add (docs/compatibility.md).
import assert from "node:assert/strict";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const FIXTURES = new URL("../fixtures/hooks_cli/", import.meta.url).pathname;
const REFERENCE_BUNDLED = "/tmp/peer/oc/node_modules/openclaw/dist/bundled";
const RECORDED_STATE_DIRS = ["/tmp/hk/state", "/tmp/hookscli/state"];

const fixture = (name: string) => Deno.readTextFileSync(`${FIXTURES}${name}`);
/** A recording as our runner collects output: lines joined, no final newline. */
const recorded = (name: string) => fixture(name).replace(/\n$/, "");

/** Each recorded case: the fixture name and the command line it recorded. */
const CASES: [string, string[]][] = [
  ["list", ["hooks", "list"]],
  ["bare", ["hooks"]],
  ["parent_json", ["hooks", "--json"]],
  ["list_eligible", ["hooks", "list", "--eligible"]],
  ["list_verbose", ["hooks", "list", "-v"]],
  ["info_command_logger", ["hooks", "info", "command-logger"]],
  ["info_command_logger_json", ["hooks", "info", "command-logger", "--json"]],
  ["info_unknown", ["hooks", "info", "nope"]],
  ["info_unknown_json", ["hooks", "info", "nope", "--json"]],
  ["info_json_parent", ["hooks", "--json", "info", "nope"]],
  ["check", ["hooks", "check"]],
  ["check_json", ["hooks", "check", "--json"]],
  ["agent_unknown", ["hooks", "list", "--agent", "nope"]],
  ["agent_unknown_json", ["hooks", "list", "--json", "--agent", "nope"]],
  ["agent_blank", ["hooks", "check", "--agent", " "]],
  ["install_agent", ["hooks", "--agent", "main", "install", "x"]],
  ["update_all", ["hooks", "update", "--all"]],
  ["update_id", ["hooks", "update", "foo"]],
  ["update_none", ["hooks", "update"]],
  ["enable_unknown", ["hooks", "enable", "nope"]],
  ["unknown_subcommand", ["hooks", "frob"]],
];

Deno.test("openclaw hooks list/info/check/update answer as the reference's recordings (no gateway running)", async () => {
  const home = await tempHome();
  const normalize = (text: string) => {
    let out = text.replaceAll(REFERENCE_BUNDLED, "openclaw:bundled");
    for (const dir of RECORDED_STATE_DIRS) out = out.replaceAll(dir, home.stateDir);
    return out;
  };
  try {
    for (const [name, args] of CASES) {
      const result = await runOpenclaw(args, { home: home.home });
      const label = `${name}: openclaw ${args.join(" ")}`;
      assert.equal(result.stdout, normalize(recorded(`${name}.stdout`)), label);
      assert.equal(result.stderr, normalize(recorded(`${name}.stderr`)), label);
      assert.equal(result.code, Number(fixture(`${name}.rc`)), label);
    }
    // `list.json` was recorded as stdout alone (exit 0, nothing on stderr).
    const listJson = await runOpenclaw(["hooks", "list", "--json"], { home: home.home });
    assert.deepEqual([listJson.code, listJson.stderr], [0, ""]);
    assert.equal(listJson.stdout, normalize(recorded("list.json")));
  } finally {
    await home.cleanup();
  }
});

Deno.test("openclaw hooks install refuses a missing path and an unforced local path as the reference does", async () => {
  const home = await tempHome();
  const pack = `${home.home}/pack`;
  await Deno.mkdir(pack);
  try {
    const missing = await runOpenclaw(["hooks", "install", `${home.home}/nonexistent`], { home: home.home });
    assert.equal(missing.stdout, recorded("install_missing.stdout"));
    assert.equal(missing.stderr, recorded("install_missing.stderr").replace("/tmp/hookscli", home.home));
    assert.equal(missing.code, 1);
    const unforced = await runOpenclaw(["hooks", "install", pack], { home: home.home });
    assert.equal(unforced.stdout, recorded("install_emptydir.stdout"));
    assert.equal(unforced.stderr, recorded("install_emptydir.stderr").replace("/tmp/hookscli", home.home));
    assert.equal(unforced.code, 1);
  } finally {
    await home.cleanup();
  }
});

/** Cases recorded with the managed hooks of `managed_hooks/` (missing requirements, an unknown event, no events). */
const NEEDY_CASES: [string, string[]][] = [
  ["needy_list_verbose", ["hooks", "list", "-v"]],
  ["needy_check", ["hooks", "check"]],
  ["needy_check_json", ["hooks", "check", "--json"]],
  ["needy_info", ["hooks", "info", "needy-hook"]],
  ["needy_info_noevents", ["hooks", "info", "no-events"]],
  ["needy_enable", ["hooks", "enable", "needy-hook"]],
  ["needy_list_eligible_json", ["hooks", "list", "--eligible", "--json"]],
];

Deno.test("openclaw hooks reports blocked managed hooks and refuses to enable one as the reference does", async () => {
  const home = await tempHome();
  for (const name of ["needy-hook", "no-events"]) {
    const dir = `${home.stateDir}/hooks/${name}`;
    await Deno.mkdir(dir, { recursive: true });
    // Stored as HOOK.md.txt so the formatter leaves the front matter as the reference read it.
    await Deno.copyFile(`${FIXTURES}managed_hooks/${name}/HOOK.md.txt`, `${dir}/HOOK.md`);
    await Deno.copyFile(`${FIXTURES}managed_hooks/${name}/handler.js`, `${dir}/handler.js`);
  }
  // Our state dir lies under HOME, so `info` shows it as `~/.openclaw`, as the reference shortens a home path.
  const normalize = (text: string, name: string) =>
    text.replaceAll("/tmp/hookscli/state3", name.startsWith("needy_info") ? "~/.openclaw" : home.stateDir);
  try {
    for (const [name, args] of NEEDY_CASES) {
      const result = await runOpenclaw(args, { home: home.home });
      assert.deepEqual(
        [result.stdout, result.stderr, result.code],
        [normalize(recorded(`${name}.stdout`), name), recorded(`${name}.stderr`), Number(fixture(`${name}.rc`))],
        name,
      );
    }
    // The refused enable wrote nothing.
    assert.equal(await Deno.stat(home.configPath).then(() => true, () => false), false);
  } finally {
    await home.cleanup();
  }
});

/** Cases recorded with `command-logger` disabled in the config. */
const DISABLED_CASES: [string, string[]][] = [
  ["disabled_check", ["hooks", "check"]],
  ["disabled_list", ["hooks", "list"]],
  ["disabled_info_command_logger", ["hooks", "info", "command-logger"]],
];

const bundledNamed = (text: string) => text.replaceAll(REFERENCE_BUNDLED, "openclaw:bundled");

/** The config as written, without what only the reference's writer adds. */
function comparable(config: Record<string, unknown>): Record<string, unknown> {
  const { meta: _stamp, plugins: _defaults, ...rest } = config;
  return rest;
}

Deno.test("openclaw hooks enable/disable write hooks.internal.entries as the reference, keeping the rest", async () => {
  const home = await tempHome();
  try {
    const enabled = await runOpenclaw(["hooks", "enable", "command-logger"], { home: home.home });
    assert.deepEqual(
      [enabled.stdout, enabled.stderr, enabled.code],
      [recorded("enable.stdout"), recorded("enable.stderr"), Number(fixture("enable.rc"))],
    );
    const afterEnable = JSON.parse(await Deno.readTextFile(home.configPath));
    assert.deepEqual(afterEnable, comparable(JSON.parse(fixture("config_after_enable.json"))));
    const disabled = await runOpenclaw(["hooks", "disable", "command-logger"], { home: home.home });
    assert.deepEqual(
      [disabled.stdout, disabled.stderr, disabled.code],
      [recorded("disable.stdout"), recorded("disable.stderr"), Number(fixture("disable.rc"))],
    );
    assert.deepEqual(
      JSON.parse(await Deno.readTextFile(home.configPath)),
      comparable(JSON.parse(fixture("config_after_disable.json"))),
    );
    // A disabled hook reads as the reference reads it (recorded with config_disabled.json).
    for (const [name, args] of DISABLED_CASES) {
      const result = await runOpenclaw(args, { home: home.home });
      assert.deepEqual(
        [result.stdout, result.stderr, result.code],
        [bundledNamed(recorded(`${name}.stdout`)), recorded(`${name}.stderr`), Number(fixture(`${name}.rc`))],
        name,
      );
    }

    // Other keys stay as they were, in their place.
    const config = { gateway: { mode: "local" }, hooks: { internal: { entries: { "boot-md": { enabled: false } } } } };
    await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
    assert.equal((await runOpenclaw(["hooks", "disable", "session-memory"], { home: home.home })).code, 0);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(home.configPath)), {
      gateway: { mode: "local" },
      hooks: { internal: { entries: { "boot-md": { enabled: false }, "session-memory": { enabled: false } } } },
    });
  } finally {
    await home.cleanup();
  }
});

Deno.test("openclaw hooks asks a running gateway's hooks.status, and reports locally once it is gone", async () => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port } });
  // A managed hook that needs an env var only the gateway's process has: the two reports differ.
  const hookDir = `${home.stateDir}/hooks/probe-hook`;
  await Deno.mkdir(hookDir, { recursive: true });
  await Deno.writeTextFile(
    `${hookDir}/HOOK.md`,
    '---\nname: probe-hook\ndescription: "Probe"\nmetadata: { "openclaw": { "events": ["command"], "requires": { "env": ["HOOKS_CLI_PROBE"] } } }\n---\n',
  );
  await Deno.writeTextFile(`${hookDir}/handler.js`, "export default async function handler() {}\n");
  const { proc } = await startGateway({ home: home.home, port, env: { HOOKS_CLI_PROBE: "1" } });
  const check = () => runOpenclaw(["hooks", "check", "--json"], { home: home.home });
  try {
    const viaGateway = await check();
    assert.equal(viaGateway.code, 0, viaGateway.stderr);
    assert.deepEqual(JSON.parse(viaGateway.stdout).hooks.notEligible, []);
    assert.ok(JSON.parse(viaGateway.stdout).hooks.eligible.includes("probe-hook"));
  } finally {
    await proc.stop();
  }
  try {
    const local = await check();
    assert.equal(local.code, 0, local.stderr);
    assert.deepEqual(JSON.parse(local.stdout).hooks.notEligible, [
      {
        name: "probe-hook",
        blockedReason: "missing requirements",
        missing: { bins: [], anyBins: [], env: ["HOOKS_CLI_PROBE"], config: [], os: [] },
      },
    ]);
  } finally {
    await home.cleanup();
  }
});
