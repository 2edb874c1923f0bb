// Re-records tests/fixtures/database/fence.json: what the reference OpenClaw 2026.9.6 (tools/peer_install.sh
// puts it in /tmp/peer) does on a state dir whose shared state database an external manager claimed, or whose
// claim row does not parse: `gateway run` (refused, or started and then stopped by SIGTERM) and a few CLI
// commands, each without and with OPENCLAW_SUPERVISOR_MODE=external, each on a fresh copy of the state dir.
// Keeps each exit code, stdout, stderr (root and port masked) and whether the database file stayed the same.
//
//   deno run -A tools/record_state_fence.ts [command-name ...]   (only those commands; the rest are kept)
import { type PeerHome, spawnPeer } from "../tests/support/peer.ts";
import { freePort, OpenclawProcess } from "../tests/support/spawn_gateway.ts";
import { prepareState } from "../tests/support/database_cli_cases.ts";
import {
  FENCE_COMMANDS,
  FENCE_STATES,
  type FenceCommand,
  fenceConfig,
  type FenceOutcome,
  type FenceRecording,
  type FenceState,
  fileDigest,
  normalizeFenceOutput,
  outcomeKey,
  STATE_FENCE_FIXTURE,
  type Supervision,
  supervisionEnv,
} from "../tests/support/state_fence_cases.ts";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Runs one command on a fresh state dir; a gateway that comes up is stopped once it says it is ready. */
async function recordOne(state: FenceState, command: FenceCommand, supervision: Supervision): Promise<FenceOutcome> {
  const root = await Deno.makeTempDir({ prefix: "oc-fence-" });
  try {
    const stateDir = prepareState(root, state);
    const port = freePort();
    const where: PeerHome = { home: `${root}/home`, stateDir, configPath: `${stateDir}/openclaw.json` };
    await Deno.writeTextFile(where.configPath, JSON.stringify(fenceConfig(port)));
    const database = `${stateDir}/state/openclaw.sqlite`;
    const before = await fileDigest(database);
    const args = command.args.map((arg) => arg.replaceAll("<root>", root));
    const proc = new OpenclawProcess(spawnPeer(args, where, {
      ...supervisionEnv(supervision),
      OPENCLAW_DISABLE_BONJOUR: "1",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    }));
    let started = false;
    if (command.kind === "gateway") {
      started = await proc.waitForLine(/\[gateway\] ready/, 120_000).then(() => true, () => false);
    }
    const code = started ? await proc.stop() : await proc.exited(120_000);
    const outcome: FenceOutcome = {
      args: command.args,
      supervision,
      ...(command.kind === "gateway" ? { started } : {}),
      code,
      stdout: normalizeFenceOutput(proc.stdout.join("\n"), root, port),
      stderr: normalizeFenceOutput(proc.stderr.join("\n"), root, port),
      databaseUnchanged: before === await fileDigest(database),
    };
    say(`${state}/${outcomeKey(command, supervision)}: exit ${code}${started ? " (started)" : ""}`);
    return outcome;
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<void> {
  const only = new Set(Deno.args);
  const previous: FenceRecording | undefined = await Deno.readTextFile(STATE_FENCE_FIXTURE).then(JSON.parse).catch(
    () => undefined,
  );
  const recording: FenceRecording = {
    reference: "openclaw 2026.9.6",
    scenarios: {
      "claimed": { ...previous?.scenarios.claimed },
      "bad-ownership": { ...previous?.scenarios["bad-ownership"] },
    },
  };
  for (const state of FENCE_STATES) {
    for (const command of FENCE_COMMANDS) {
      if (only.size > 0 && !only.has(command.name)) continue;
      for (const supervision of ["unsupervised", "external"] as const) {
        recording.scenarios[state][outcomeKey(command, supervision)] = await recordOne(state, command, supervision);
        // Written after every command, so an interrupted run keeps what it recorded.
        await Deno.writeTextFile(STATE_FENCE_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
      }
    }
  }
}

if (import.meta.main) await main();
