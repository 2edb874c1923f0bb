// Re-records tests/fixtures/database/fence_start_order.json: which refusal the reference OpenClaw 2026.9.6
// (tools/peer_install.sh puts it in /tmp/peer) gives when `gateway run` meets a state database an external
// manager claimed and, at once, a config that is not for a local gateway, a non-loopback bind without auth,
// another gateway holding the lock, or an invalid config; each without and with
// OPENCLAW_SUPERVISOR_MODE=external (the fence lifted: the other refusal alone), on a fresh state dir.
//
//   deno run -A tools/record_state_fence_start.ts [case-name ...]   (only those cases; the rest are kept)
import { type PeerHome, spawnPeer } from "../tests/support/peer.ts";
import { freePort, OpenclawProcess } from "../tests/support/spawn_gateway.ts";
import { prepareState } from "../tests/support/database_cli_cases.ts";
import { fenceConfig, fileDigest, type Supervision, supervisionEnv } from "../tests/support/state_fence_cases.ts";
import {
  FENCE_START_CASES,
  FENCE_START_FIXTURE,
  type FenceStartCase,
  type FenceStartOutcome,
  type FenceStartRecording,
  normalizeStartOutput,
  startOutcomeKey,
} from "../tests/support/state_fence_start_cases.ts";

const QUIET = { OPENCLAW_DISABLE_BONJOUR: "1", OPENCLAW_NO_AUTO_UPDATE: "1" };

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Runs one case on a fresh claimed state dir; a holder is started first (as the supervisor) and stopped after. */
async function recordOne(which: FenceStartCase, supervision: Supervision): Promise<FenceStartOutcome> {
  const root = await Deno.makeTempDir({ prefix: "oc-fence-start-" });
  let holder: OpenclawProcess | undefined;
  try {
    const stateDir = prepareState(root, "claimed");
    const port = freePort();
    const where: PeerHome = { home: `${root}/home`, stateDir, configPath: `${stateDir}/openclaw.json` };
    if (which.holder) {
      await Deno.writeTextFile(where.configPath, JSON.stringify(fenceConfig(port)));
      holder = new OpenclawProcess(spawnPeer(["gateway", "run"], where, { ...supervisionEnv("external"), ...QUIET }));
      await holder.waitForLine(/\[gateway\] ready/, 120_000);
    }
    await Deno.writeTextFile(where.configPath, JSON.stringify(which.config(port)));
    const database = `${stateDir}/state/openclaw.sqlite`;
    const before = await fileDigest(database);
    const proc = new OpenclawProcess(
      spawnPeer(["gateway", "run"], where, { ...supervisionEnv(supervision), ...QUIET }),
    );
    // Every case is refused; a start that came up anyway is stopped and recorded as such (exit after SIGTERM).
    const started = await Promise.race([
      proc.waitForLine(/\[gateway\] ready/, 120_000).then(() => true, () => false),
      proc.exited(120_000).then(() => false),
    ]);
    const code = started ? await proc.stop() : await proc.exited(120_000);
    const pid = holder?.child.pid;
    const outcome: FenceStartOutcome = {
      supervision,
      code,
      stdout: normalizeStartOutput(proc.stdout.join("\n"), root, port, pid),
      stderr: normalizeStartOutput(proc.stderr.join("\n"), root, port, pid),
      databaseUnchanged: before === await fileDigest(database),
    };
    say(`${startOutcomeKey(which.name, supervision)}: exit ${code}${started ? " (started!)" : ""}`);
    return outcome;
  } finally {
    if (holder) await holder.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<void> {
  const only = new Set(Deno.args);
  const previous: FenceStartRecording | undefined = await Deno.readTextFile(FENCE_START_FIXTURE).then(JSON.parse)
    .catch(() => undefined);
  const recording: FenceStartRecording = { reference: "openclaw 2026.9.6", cases: { ...previous?.cases } };
  for (const which of FENCE_START_CASES) {
    if (only.size > 0 && !only.has(which.name)) continue;
    for (const supervision of ["unsupervised", "external"] as const) {
      recording.cases[startOutcomeKey(which.name, supervision)] = await recordOne(which, supervision);
      // Written after every case, so an interrupted run keeps what it recorded.
      await Deno.writeTextFile(FENCE_START_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
    }
  }
}

if (import.meta.main) await main();
