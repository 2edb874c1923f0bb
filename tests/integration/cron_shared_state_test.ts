// Two gateways, one state dir (issue 21): a job the reference's gateway stored is listed and run by ours,
// a job ours stored is listed by the reference's gateway, and each shows the other's runs, all through the
// reference's own `openclaw cron` CLI (it talks to whichever gateway holds the configured port).
import assert from "node:assert/strict";
import type { CronJob, CronRunLogEntry } from "../../src/agent/cron_control.ts";
import { type PeerHome, requirePeer, runPeer, spawnPeer } from "../support/peer.ts";
import { freePort, OpenclawProcess, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "cron-shared-token-0123456789";

/** Starts the reference's gateway on the shared state dir and waits for its ready line. */
async function startReference(where: PeerHome, port: number): Promise<OpenclawProcess> {
  const proc = new OpenclawProcess(
    spawnPeer(["gateway", "run", "--port", String(port), "--bind", "loopback"], where, {
      OPENCLAW_DISABLE_BONJOUR: "1",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    }),
  );
  try {
    await proc.waitForLine(/\[gateway\] ready/, 120_000);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return proc;
}

/** `openclaw cron <args> --json` of the reference's CLI against the gateway on the configured port. */
async function cron(where: PeerHome, args: string[]): Promise<Record<string, unknown>> {
  const result = await runPeer(["cron", ...args, "--json"], where, { OPENCLAW_GATEWAY_TOKEN: TOKEN });
  assert.equal(result.code, 0, `openclaw cron ${args.join(" ")}: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout);
}

/** Asks again until `ready` holds (a scheduler starts after its gateway is ready; runs end on their own time). */
async function until<T>(
  ask: () => Promise<T>,
  ready: (value: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} never happened: ${JSON.stringify(value)}`);
  }
}

const jobsOf = (where: PeerHome) => async () => ((await cron(where, ["list", "--all"])) as { jobs: CronJob[] }).jobs;
const runsOf = (where: PeerHome, id: string) => async () =>
  ((await cron(where, ["runs", "--id", id])) as { entries: CronRunLogEntry[] }).entries;

Deno.test("the reference's gateway and ours share cron jobs and run history on one state dir", async () => {
  requirePeer();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } },
  });
  const where: PeerHome = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  let running: OpenclawProcess | undefined;
  try {
    // The reference's gateway stores a job.
    running = await startReference(where, port);
    const refJob = await cron(where, [
      "add",
      "--name",
      "from-ref",
      "--every",
      "10m",
      "--system-event",
      "hi",
      "--session",
      "main",
    ]);
    await running.stop();
    running = undefined;

    // Ours lists it, runs it, and stores one of its own.
    running = (await startGateway({ home: home.home, port })).proc;
    const listed = await until(jobsOf(where), (jobs) => jobs.some((job) => job.id === refJob.id), "our cron list");
    const seen = listed.find((job) => job.id === refJob.id)!;
    assert.equal(seen.name, "from-ref");
    assert.deepEqual(seen.schedule, refJob.schedule);
    assert.deepEqual(seen.payload, refJob.payload);
    await cron(where, ["run", String(refJob.id)]);
    const [ourRun] = await until(runsOf(where, String(refJob.id)), (entries) => entries.length === 1, "our run");
    const ourJob = await cron(where, [
      "add",
      "--name",
      "from-ours",
      "--every",
      "15m",
      "--system-event",
      "yo",
      "--session",
      "main",
    ]);
    assert.equal(await running.stop(), 0);
    running = undefined;

    // The reference's gateway lists our job and shows our run of its job.
    running = await startReference(where, port);
    const theirs = (await jobsOf(where)()).find((job) => job.id === ourJob.id);
    assert.equal(theirs?.name, "from-ours");
    assert.deepEqual(theirs?.payload, { kind: "systemEvent", text: "yo" });
    const history = await runsOf(where, String(refJob.id))();
    assert.equal(history.length, 1);
    assert.equal(history[0]?.runId, ourRun?.runId);
    assert.equal(history[0]?.ts, ourRun?.ts);
    assert.equal(history[0]?.status, ourRun?.status);
  } finally {
    await running?.stop();
    await home.cleanup();
  }
});
