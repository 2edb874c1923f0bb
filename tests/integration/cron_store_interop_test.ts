// One cron store with the reference (issue 21): a job the reference's gateway stored and ran is loaded,
// with its run, by our store, and our run of it joins its history; a job our store wrote is listed by the
// reference's `openclaw cron list` and run by its gateway, and our run shows in its `openclaw cron runs`.
// The reference is slow (20-40 s to start, ~2 s a CLI call): each step has its own deadline.
import assert from "node:assert/strict";
import type { CronJob, CronRunLogEntry } from "../../src/agent/cron_control.ts";
import { SqliteCronStore } from "../../src/automation/sqlite_cron_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { type PeerHome, requirePeer, runPeer, spawnPeer } from "../support/peer.ts";
import { OpenclawProcess } from "../support/spawn_gateway.ts";

const TOKEN = "cron-interop-token-0123456789";
/** The port the reference's gateway listens on in this test. */
const PEER_PORT = 19611;

/** Starts the reference's gateway on `where` (kept between starts) and waits for its ready line. */
async function startReference(where: PeerHome): Promise<OpenclawProcess> {
  const proc = new OpenclawProcess(
    spawnPeer(["gateway", "run", "--port", String(PEER_PORT), "--bind", "loopback"], where, {
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

/** Runs the reference's CLI against its gateway and parses its JSON answer. */
async function cli(where: PeerHome, args: string[]): Promise<Record<string, unknown>> {
  const result = await runPeer(["cron", ...args, "--json"], where, { OPENCLAW_GATEWAY_TOKEN: TOKEN });
  assert.equal(result.code, 0, `openclaw cron ${args.join(" ")}: ${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout);
}

/** Polls `cron runs` until `predicate` holds (the reference's run finishes on its own time), bounded. */
async function runsUntil(
  where: PeerHome,
  jobId: string,
  predicate: (entries: CronRunLogEntry[]) => boolean,
  timeoutMs = 60_000,
): Promise<CronRunLogEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { entries } = await cli(where, ["runs", "--id", jobId]) as { entries: CronRunLogEntry[] };
    if (predicate(entries)) return entries;
    if (Date.now() > deadline) throw new Error(`cron runs for ${jobId} never matched: ${JSON.stringify(entries)}`);
  }
}

Deno.test("the reference and our cron store share jobs and run history in both directions", async () => {
  requirePeer();
  const root = await Deno.makeTempDir({ prefix: "oc-cron-interop-" });
  const where: PeerHome = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.writeTextFile(
    where.configPath,
    JSON.stringify({
      gateway: { mode: "local", port: PEER_PORT, bind: "loopback", auth: { mode: "token", token: TOKEN } },
      discovery: { mdns: { mode: "off" } },
      update: { checkOnStart: false },
      models: { catalogRefresh: { enabled: false } },
    }),
  );
  let reference: OpenclawProcess | undefined;
  try {
    // 1. The reference stores a job and runs it (no model is configured: the run ends in an error).
    reference = await startReference(where);
    const added = await cli(where, [
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
    const refJobId = String(added.id);
    await cli(where, ["run", refJobId]);
    const [refRun] = await runsUntil(where, refJobId, (entries) => entries.length === 1);
    await reference.stop();
    reference = undefined;

    // 2. Our store lists that job as the reference returned it and its run as `cron runs` showed it;
    // our run of it and a job of ours are written.
    const ourJob: CronJob = {
      id: "0b7f0c4e-5d3a-4c1e-9a2b-ours00000001",
      name: "from-ours",
      enabled: true,
      createdAtMs: Date.now(),
      updatedAtMs: Date.now(),
      schedule: { kind: "every", everyMs: 900_000, anchorMs: Date.now() },
      sessionTarget: "main",
      wakeMode: "now",
      payload: { kind: "systemEvent", text: "from our gateway" },
      state: { nextRunAtMs: Date.now() + 900_000 },
    };
    const ourRun: CronRunLogEntry = {
      ts: Date.now() + 5,
      jobId: refJobId,
      action: "finished",
      status: "ok",
      summary: "our run",
      runId: "manual:ours:1",
      runAtMs: Date.now(),
      durationMs: 5,
      deliveryStatus: "not-requested",
    };
    const db = openStateDb(where.stateDir);
    try {
      const store = new SqliteCronStore(db, { stateDir: where.stateDir });
      const loaded = store.loadJobs().find((job) => job.id === refJobId);
      assert.equal(loaded?.name, "from-ref");
      assert.deepEqual(loaded?.payload, { kind: "systemEvent", text: "hi" });
      assert.deepEqual(loaded?.schedule, added.schedule);
      // The CLI adds ISO renderings of the times to the gateway's entries.
      const { jobName: _name, tsIso: _t, runAtIso: _r, nextRunAtIso: _x, ...refRunWire } = refRun as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        store.listRuns({ jobId: refJobId, limit: 50, offset: 0 }).entries.map(({ jobName: _n, ...e }) => e),
        [refRunWire],
      );
      assert.deepEqual(store.takeInterruptedRuns(), [], "the reference stopped cleanly");
      store.startRun({ runId: ourRun.runId!, jobId: refJobId, agentId: "main", startedAtMs: ourRun.runAtMs! });
      store.finishRun(ourRun.runId!, ourRun);
      store.saveJob(ourJob);
    } finally {
      db.close();
    }

    // 3. The reference lists our job, shows our run in the history of its own job, and runs our job.
    reference = await startReference(where);
    const listed = await cli(where, ["list", "--all"]) as { jobs: CronJob[] };
    const theirs = listed.jobs.find((job) => job.id === ourJob.id);
    assert.equal(theirs?.name, "from-ours");
    assert.deepEqual(theirs?.payload, ourJob.payload);
    assert.deepEqual(theirs?.schedule, ourJob.schedule);
    const history = await runsUntil(where, refJobId, (entries) => entries.length === 2);
    assert.equal(history[0]?.runId, "manual:ours:1");
    assert.equal(history[0]?.summary, "our run");
    assert.equal(history[0]?.status, "ok");
    await cli(where, ["run", ourJob.id]);
    const [theirRunOfOurs] = await runsUntil(where, ourJob.id, (entries) => entries.length === 1);
    assert.equal(theirRunOfOurs?.jobId, ourJob.id);
    assert.match(String(theirRunOfOurs?.runId), /^manual:/);
  } finally {
    await reference?.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
