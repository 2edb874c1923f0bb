// Re-records tests/fixtures/gateway_start/refusals.json: what the reference OpenClaw 2026.9.6
// (tools/peer_install.sh puts it in /tmp/peer) prints and how it exits when `gateway run` is refused before
// it listens (tests/support/start_refusal_cases.ts), each case on a fresh temp home and state dir.
//
//   deno run -A tools/record_start_refusals.ts [case-name ...]   (only those cases; the rest are kept)
import { type PeerHome, spawnPeer } from "../tests/support/peer.ts";
import { freePort, OpenclawProcess } from "../tests/support/spawn_gateway.ts";
import {
  normalizeStartRefusal,
  START_REFUSAL_CASES,
  START_REFUSALS_FIXTURE,
  type StartRefusalCase,
  type StartRefusalOutcome,
  type StartRefusalRecording,
} from "../tests/support/start_refusal_cases.ts";

const QUIET = { OPENCLAW_DISABLE_BONJOUR: "1", OPENCLAW_NO_AUTO_UPDATE: "1" };

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** The reference's container test (its isContainerEnvironment): a sentinel file or a container cgroup. */
function looksLikeContainer(): boolean {
  for (const path of ["/.dockerenv", "/run/.containerenv", "/var/run/.containerenv"]) {
    try {
      Deno.statSync(path);
      return true;
    } catch { /* absent */ }
  }
  try {
    return /\/docker\/|cri-containerd-[0-9a-f]|containerd\/[0-9a-f]{64}|\/kubepods[/.]|\blxc\b/u
      .test(Deno.readTextFileSync("/proc/1/cgroup"));
  } catch {
    return false;
  }
}

/** Runs one case on a fresh home; a start that came up anyway is stopped and recorded as such. */
async function recordOne(which: StartRefusalCase): Promise<StartRefusalOutcome> {
  const root = await Deno.makeTempDir({ prefix: "oc-start-refusal-" });
  try {
    const port = freePort();
    const stateDir = `${root}/state`;
    await Deno.mkdir(`${root}/home`, { recursive: true });
    await Deno.mkdir(stateDir, { recursive: true });
    const where: PeerHome = { home: `${root}/home`, stateDir, configPath: `${stateDir}/openclaw.json` };
    if (which.config) await Deno.writeTextFile(where.configPath, JSON.stringify(which.config(port)));
    const proc = new OpenclawProcess(spawnPeer(["gateway", "run", ...which.args?.(port) ?? []], where, QUIET));
    const started = await Promise.race([
      proc.waitForLine(/\[gateway\] ready/, 120_000).then(() => true, () => false),
      proc.exited(120_000).then(() => false),
    ]);
    const code = started ? await proc.stop() : await proc.exited(120_000);
    say(`${which.name}: exit ${code}${started ? " (started!)" : ""}`);
    return {
      code,
      stdout: normalizeStartRefusal(proc.stdout.join("\n"), root, port),
      stderr: normalizeStartRefusal(proc.stderr.join("\n"), root, port),
    };
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<void> {
  const only = new Set(Deno.args);
  const previous: StartRefusalRecording | undefined = await Deno.readTextFile(START_REFUSALS_FIXTURE)
    .then(JSON.parse).catch(() => undefined);
  const recording: StartRefusalRecording = {
    reference: "openclaw 2026.9.6",
    container: looksLikeContainer(),
    cases: { ...previous?.cases },
  };
  for (const which of START_REFUSAL_CASES) {
    if (only.size > 0 && !only.has(which.name)) continue;
    recording.cases[which.name] = await recordOne(which);
    // Written after every case, so an interrupted run keeps what it recorded.
    await Deno.writeTextFile(START_REFUSALS_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
  }
}

if (import.meta.main) await main();
