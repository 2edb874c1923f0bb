// Re-records tests/fixtures/mcp_cli/recordings.json: runs the reference OpenClaw 2026.9.6 CLI's
// `openclaw mcp` subcommands but `serve` (tools/peer_install.sh puts it in /tmp/peer) on a
// private home whose config is one of tests/support/mcp_cli_cases.ts's, fresh for every command, and
// writes each command's exit code, stdout, stderr and, when it changed the file, the config after it.
// Paths of the run are written as `$HOME`, `$REPO`, `$DENO`, `$CACHE`. No gateway runs.
//
//   deno run -A tools/record_reference_mcp_cli.ts [case-name ...]
import JSON5 from "json5";
import { type PeerHome, runPeer } from "../tests/support/peer.ts";
import {
  denoCacheHome,
  MCP_CLI_CASES,
  MCP_CLI_FIXTURE,
  type McpCliCase,
  mcpCliConfig,
  type McpCliPlaces,
  type McpCliRecording,
  normalizeMcpCliText,
} from "../tests/support/mcp_cli_cases.ts";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

async function main(): Promise<void> {
  const only = new Set(Deno.args);
  const previous: McpCliRecording = await Deno.readTextFile(MCP_CLI_FIXTURE).then(JSON.parse).catch(() => ({
    cases: {},
  }));
  const recording: McpCliRecording = { reference: "openclaw 2026.9.6", cases: { ...previous.cases } };
  const record = async (testCase: McpCliCase) => {
    const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-mcp-cli-" }));
    const where: PeerHome = { home: root, stateDir: `${root}/state`, configPath: `${root}/state/openclaw.json` };
    const places: McpCliPlaces = { home: root, deno: Deno.execPath(), cache: denoCacheHome(Deno.env.toObject()) };
    await Deno.mkdir(where.stateDir, { recursive: true });
    const before = mcpCliConfig(testCase.config, places);
    await Deno.writeTextFile(where.configPath, before);
    const out = await runPeer(testCase.args, where);
    const text = await Deno.readTextFile(where.configPath);
    recording.cases[testCase.name] = {
      args: testCase.args,
      code: out.code,
      stdout: normalizeMcpCliText(out.stdout, places),
      stderr: normalizeMcpCliText(out.stderr, places),
      ...(text === before ? {} : { after: JSON5.parse(normalizeMcpCliText(text, places)) }),
    };
    // Written after every command, so an interrupted run keeps what it recorded.
    await Deno.writeTextFile(MCP_CLI_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
    say(`${testCase.name}: exit ${out.code}`);
    await Deno.remove(root, { recursive: true });
  };
  // Three at a time: the reference takes some twenty seconds a command, mostly its start.
  const queue = MCP_CLI_CASES.filter((testCase) => only.size === 0 || only.has(testCase.name));
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await record(next);
  };
  await Promise.all([worker(), worker(), worker()]);
  const ordered: McpCliRecording = { reference: recording.reference, cases: {} };
  for (const testCase of MCP_CLI_CASES) {
    const outcome = recording.cases[testCase.name];
    if (outcome) ordered.cases[testCase.name] = outcome;
  }
  await Deno.writeTextFile(MCP_CLI_FIXTURE, `${JSON.stringify(ordered, null, 2)}\n`);
}

if (import.meta.main) await main();
