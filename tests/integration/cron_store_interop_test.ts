// One cron store with the reference (issue 21): a job our store wrote (in a state database our store
// created) is listed and run by the reference's gateway; a job the reference stored and ran is loaded, with
// its run, by our store; our run of it and our edit of ours show in the reference's `cron runs`/`cron list`.
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
  /** Opens our store on the shared state dir (creating the database when it is not there yet). */
  const withOurStore = (body: (store: SqliteCronStore) => void) => {
    const db = openStateDb(where.stateDir);
    try {
      body(new SqliteCronStore(db, { stateDir: where.stateDir }));
    } finally {
      db.close();
    }
  };
  let reference: OpenclawProcess | undefined;
  try {
    // 1. Our store creates the state database and stores a job.
    withOurStore((store) => store.saveJob(ourJob));

    // 2. The reference lists our job and runs it; it stores a job of its own and runs that (no model is
    // configured: the runs end in errors, which is all this needs).
    reference = await startReference(where);
    const listedFirst = await cli(where, ["list", "--all"]) as { jobs: CronJob[] };
    const seen = listedFirst.jobs.find((job) => job.id === ourJob.id);
    assert.equal(seen?.name, "from-ours");
    assert.deepEqual(seen?.payload, ourJob.payload);
    assert.deepEqual(seen?.schedule, ourJob.schedule);
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
    await cli(where, ["run", ourJob.id]);
    const [refRun] = await runsUntil(where, refJobId, (entries) => entries.length === 1);
    const [theirRunOfOurs] = await runsUntil(where, ourJob.id, (entries) => entries.length === 1);
    await reference.stop();
    reference = undefined;

    // 3. Our store loads the reference's job as it returned it and both runs as its `cron runs` showed
    // them; it records a run of the reference's job and edits its own.
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
    /** An entry as the gateway sends it: the CLI adds ISO renderings of its times. */
    const wire = (entry: CronRunLogEntry) => {
      const { tsIso: _t, runAtIso: _r, nextRunAtIso: _x, ...rest } = entry as Record<string, unknown>;
      return rest;
    };
    withOurStore((store) => {
      const loaded = store.loadJobs().find((job) => job.id === refJobId);
      assert.equal(loaded?.name, "from-ref");
      assert.deepEqual(loaded?.payload, { kind: "systemEvent", text: "hi" });
      assert.deepEqual(loaded?.schedule, added.schedule);
      assert.deepEqual(store.listRuns({ jobId: refJobId, limit: 50, offset: 0 }).entries, [wire(refRun!)]);
      assert.deepEqual(store.listRuns({ jobId: ourJob.id, limit: 50, offset: 0 }).entries, [wire(theirRunOfOurs!)]);
      assert.match(String(theirRunOfOurs?.runId), /^manual:/);
      assert.deepEqual(store.takeInterruptedRuns(), [], "the reference stopped cleanly");
      store.startRun({ runId: ourRun.runId!, jobId: refJobId, agentId: "main", startedAtMs: ourRun.runAtMs! });
      store.finishRun(ourRun.runId!, ourRun);
      const mine = store.loadJobs().find((job) => job.id === ourJob.id)!;
      store.saveJob({ ...mine, name: "from-ours, renamed", updatedAtMs: Date.now() });
    });

    // 4. The reference shows our edit and our run in the history of its own job.
    reference = await startReference(where);
    const listed = await cli(where, ["list", "--all"]) as { jobs: CronJob[] };
    assert.equal(listed.jobs.find((job) => job.id === ourJob.id)?.name, "from-ours, renamed");
    const history = await runsUntil(where, refJobId, (entries) => entries.length === 2);
    assert.equal(history[0]?.runId, "manual:ours:1");
    assert.equal(history[0]?.summary, "our run");
    assert.equal(history[0]?.status, "ok");
  } finally {
    await reference?.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
