// `openclaw mcp` registry commands run as the binary runs them, each on a fresh copy of its
// case's config, compared with what the reference printed and wrote for the same command
// (tests/fixtures/mcp_cli/, recorded by tools/record_reference_mcp_cli.ts).
import assert from "node:assert/strict";
import JSON5 from "json5";
import { runOpenclaw } from "../support/spawn_gateway.ts";
import {
  denoCacheHome,
  MCP_CLI_CASES,
  MCP_CLI_FIXTURE,
  mcpCliConfig,
  type McpCliPlaces,
  type McpCliRecording,
  normalizeMcpCliText,
} from "../support/mcp_cli_cases.ts";

const recording: McpCliRecording = JSON.parse(await Deno.readTextFile(MCP_CLI_FIXTURE));

/**
 * A `mcp probe --json` answer as compared: its `generatedAt` (the time of the run) and each diagnostic's
 * message (the transport's own error text) as one token; any other output as it is.
 */
function comparableProbe(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof value !== "object" || value === null || !("generatedAt" in value)) return text;
  const probe = value as { generatedAt: unknown; diagnostics?: { message?: unknown }[] };
  probe.generatedAt = "<time>";
  for (const diagnostic of probe.diagnostics ?? []) diagnostic.message = "<reason>";
  return JSON.stringify(probe, null, 2);
}

/**
 * Output as compared: without the reference's help banner (`OpenClaw 2026.9.6 (<build>) — <tagline>`:
 * our `--help` prints none, docs/compatibility.md), its SQLite notes (slow-transaction timings, its
 * state database's snapshot size: a state database this gateway does not have), and with a failed
 * probe's reason (the transport's own error text, which differs between Node's fetch and Deno's) as one token.
 */
function comparable(text: string): string {
  return comparableProbe(text).replace(/^\nOpenClaw \d+\.\d+\.\d+ \([0-9a-f]+\) — [^\n]*\n\n/, "").split("\n")
    .filter((line) => !line.startsWith("[sqlite/") && !line.startsWith("[state/sqlite]")).join("\n")
    .replace(/probe failed: .*$/gm, "probe failed: <reason>")
    .replace(/^(\[bundle-mcp\] failed to start server "[^"]+" \([^)]*\)): .*$/gm, "$1: <reason>")
    .replace(/^(MCP probe failed for "[^"]+" in \S+): .*$/gm, "$1: <reason>")
    .trimEnd();
}

/** The reference's config as written, without the writer stamp (`meta`) its writes add and ours do not. */
function withoutWriterStamp(config: unknown): unknown {
  if (typeof config !== "object" || config === null) return config;
  const { meta: _stamp, ...rest } = config as Record<string, unknown>;
  return rest;
}

for (const testCase of MCP_CLI_CASES) {
  Deno.test(`openclaw ${testCase.args.join(" ")} prints and writes what the reference does (${testCase.name})`, async () => {
    const expected = recording.cases[testCase.name];
    assert.ok(expected, `no recording of ${testCase.name}: run deno run -A tools/record_reference_mcp_cli.ts`);
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-mcp-cli-" }));
    try {
      const places: McpCliPlaces = { home: root, deno: Deno.execPath(), cache: denoCacheHome(Deno.env.toObject()) };
      const configPath = `${root}/state/openclaw.json`;
      await Deno.mkdir(`${root}/state`, { recursive: true });
      const before = mcpCliConfig(testCase.config, places);
      await Deno.writeTextFile(configPath, before);
      const out = await runOpenclaw(testCase.args, {
        home: root,
        cwd: root,
        env: { OPENCLAW_STATE_DIR: `${root}/state`, OPENCLAW_CONFIG_PATH: configPath },
      });
      const stdout = normalizeMcpCliText(out.stdout, places);
      const stderr = normalizeMcpCliText(out.stderr, places);
      assert.equal(comparable(stdout), comparable(expected.stdout), `stdout of ${testCase.name}`);
      assert.equal(comparable(stderr), comparable(expected.stderr), `stderr of ${testCase.name}`);
      assert.equal(out.code, expected.code, `exit code of ${testCase.name}`);
      const text = await Deno.readTextFile(configPath);
      if (expected.after === undefined) assert.equal(text, before, `${testCase.name} left the config alone`);
      else assert.deepEqual(JSON5.parse(normalizeMcpCliText(text, places)), withoutWriterStamp(expected.after));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
