// Re-records tests/fixtures/database/recordings.json: runs the reference OpenClaw 2026.9.6 CLI's
// `openclaw database` commands (tools/peer_install.sh puts it in /tmp/peer) on private state dirs in the
// states tests/support/database_cli_cases.ts builds (empty, our database and standalone copies of it in
// the states `preflight` tells apart, corrupt, claimed by another supervisor, bad ownership metadata),
// plus a state dir the reference gateway ran on once and one this gateway ran on once. Each command's
// exit code, stdout and stderr are kept with the scenario root written as `<root>`.
//
//   deno run -A tools/record_database_cli.ts [scenario-name ...]
import { type PeerHome, runPeer } from "../tests/support/peer.ts";
import { startReferenceGateway } from "../tests/support/reference_gateway.ts";
import { freePort, startGateway } from "../tests/support/spawn_gateway.ts";
import {
  backupCopy,
  DATABASE_CLI_FIXTURE,
  DATABASE_SCENARIOS,
  type DatabaseRecording,
  type DatabaseScenario,
  dumpSchema,
  normalizeOutput,
  prepareState,
  REFERENCE_STATE_DUMP,
  withRoot,
} from "../tests/support/database_cli_cases.ts";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

function homeAt(root: string): PeerHome {
  return { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/state/openclaw.json` };
}

/** Runs the reference gateway once on `<root>/state` and stops it (its state stays). */
async function referenceGatewayOnce(root: string): Promise<void> {
  const port = freePort();
  const gateway = await startReferenceGateway({
    root,
    port,
    config: { gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: "db-record-token" } } },
  });
  await gateway.proc.stop();
  const live = `${root}/state/state/openclaw.sqlite`;
  await Deno.writeTextFile(REFERENCE_STATE_DUMP, `${JSON.stringify(dumpSchema(live), null, 2)}\n`);
  // Copied beside the live file before any command runs, so the live sidecars stay as the gateway left them.
  await Deno.copyFile(live, `${root}/live-copy.sqlite`);
  for (const suffix of ["-wal", "-shm"]) {
    await Deno.copyFile(`${live}${suffix}`, `${root}/live-copy.sqlite${suffix}`).catch(() => {});
  }
  backupCopy(`${root}/live-copy.sqlite`, root);
}

/** Runs this gateway once on `<root>/state` and stops it (its state stays). */
async function ourGatewayOnce(root: string): Promise<void> {
  const stateDir = `${root}/state`;
  await Deno.writeTextFile(
    `${stateDir}/openclaw.json`,
    JSON.stringify({ gateway: { mode: "local", auth: { mode: "token", token: "db-record-token" } } }),
  );
  const { proc } = await startGateway({
    home: `${root}/home`,
    env: { OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: `${stateDir}/openclaw.json` },
  });
  await proc.stop();
}

async function record(scenario: DatabaseScenario): Promise<DatabaseRecording["scenarios"][string]> {
  const root = await Deno.makeTempDir({ prefix: "oc-database-" });
  try {
    prepareState(root, scenario.state);
    if (scenario.state === "reference-gateway") await referenceGatewayOnce(root);
    if (scenario.state === "our-gateway") await ourGatewayOnce(root);
    await Deno.mkdir(`${root}/home`, { recursive: true });
    const commands: DatabaseRecording["scenarios"][string]["commands"] = {};
    for (const command of scenario.commands) {
      const out = await runPeer(withRoot(command.args, root), homeAt(root), command.env ?? {});
      commands[command.name] = {
        args: command.args,
        ...(command.env ? { env: command.env } : {}),
        code: out.code,
        stdout: normalizeOutput(out.stdout, root),
        stderr: normalizeOutput(out.stderr, root),
      };
      say(`${scenario.name}/${command.name}: exit ${out.code}`);
    }
    return { state: scenario.state, commands };
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<void> {
  const only = new Set(Deno.args);
  const previous: DatabaseRecording = await Deno.readTextFile(DATABASE_CLI_FIXTURE).then(JSON.parse).catch(() => ({
    scenarios: {},
  }));
  const recording: DatabaseRecording = { reference: "openclaw 2026.9.6", scenarios: { ...previous.scenarios } };
  await Deno.mkdir(new URL(".", `file://${DATABASE_CLI_FIXTURE}`).pathname, { recursive: true });
  for (const scenario of DATABASE_SCENARIOS) {
    if (only.size > 0 && !only.has(scenario.name)) continue;
    recording.scenarios[scenario.name] = await record(scenario);
    // Written after every scenario, so an interrupted run keeps what it recorded.
    await Deno.writeTextFile(DATABASE_CLI_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
  }
}

if (import.meta.main) await main();
