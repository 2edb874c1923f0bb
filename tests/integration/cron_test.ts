// The cron scheduler in the real gateway process, with real time: schedules seconds apart, jobs
// stored in state/openclaw.sqlite across restarts, run by the agent against the fake model.
import assert from "node:assert/strict";
import type { CronJob, CronRunLogEntry } from "../../src/agent/cron_control.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { type OpenclawProcess, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "cron-token-0123456789abcdef";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

function config(upstreamUrl: string, cron: Record<string, unknown> = {}) {
  return {
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: {
      providers: { fake: { baseUrl: upstreamUrl, api: "openai-completions", models: ["m1", "fail"] } },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
    cron,
  };
}

interface Running {
  proc: OpenclawProcess;
  session: ReferenceSession;
  stop(): Promise<void>;
}

async function start(home: TempHome): Promise<Running> {
  const { proc, port } = await startGateway({ home: home.home });
  // The scheduler loads after readiness; its log line says the jobs are loaded and missed runs handled.
  await proc.waitForLine(/cron: (started|disabled|no jobs)/);
  const session = await connectReference({ port, token: TOKEN, scopes: SCOPES });
  return {
    proc,
    session,
    stop: async () => {
      session.stop();
      await proc.stop();
    },
  };
}

type CronEventPayload = { jobId: string; action: string; runAtMs?: number; status?: string; error?: string };

function cronEvents(session: ReferenceSession, jobId: string, action: string): CronEventPayload[] {
  return session.events
    .filter((e) => e.event === "cron")
    .map((e) => e.payload as CronEventPayload)
    .filter((p) => p.jobId === jobId && p.action === action);
}

async function finished(session: ReferenceSession, jobId: string, count = 1): Promise<CronEventPayload> {
  await until(
    () => cronEvents(session, jobId, "finished").length >= count,
    `run ${count} of cron job ${jobId}`,
    30_000,
  );
  return cronEvents(session, jobId, "finished")[count - 1]!;
}

async function add(session: ReferenceSession, params: Record<string, unknown>): Promise<CronJob> {
  const added = await session.request<CronJob & { job?: CronJob }>("cron.add", params);
  return added.job ?? added;
}

function agentTurn(name: string, schedule: Record<string, unknown>, message = "Say hello.") {
  return {
    name,
    schedule,
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message },
    delivery: { mode: "none" },
  };
}

async function getJob(session: ReferenceSession, id: string): Promise<CronJob> {
  const got = await session.request<CronJob & { job?: CronJob }>("cron.get", { id });
  return got.job ?? got;
}

async function runsOf(session: ReferenceSession, id: string): Promise<CronRunLogEntry[]> {
  const page = await session.request<{ entries: CronRunLogEntry[] }>("cron.runs", { id, limit: 50 });
  return page.entries;
}

Deno.test("cron: a one-shot job fires within 1 s of its time, runs the agent, and its run is in cron.runs", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome(config(upstream.url));
  const gw = await start(home);
  try {
    const atMs = Date.now() + 2_000;
    const job = await add(gw.session, agentTurn("soon", { kind: "at", at: new Date(atMs).toISOString() }, "Ping one."));
    assert.equal(job.state.nextRunAtMs, atMs);
    const done = await finished(gw.session, job.id);
    const started = cronEvents(gw.session, job.id, "started")[0]!;
    const lateness = started.runAtMs! - atMs;
    assert.ok(lateness >= 0 && lateness < 1_000, `fired ${lateness} ms after its time`);
    assert.equal(done.status, "ok", JSON.stringify(done));
    assert.ok(
      upstream.requests.some((body) => JSON.stringify(body).includes("Ping one.")),
      "the agent ran the message",
    );
    const [entry] = await runsOf(gw.session, job.id);
    assert.equal(entry?.status, "ok");
    assert.equal(entry?.runAtMs, started.runAtMs);
  } finally {
    await gw.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("cron: a job survives a gateway restart between schedule and fire and fires on time", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome(config(upstream.url));
  const first = await start(home);
  let second: Running | undefined;
  try {
    const atMs = Date.now() + 6_000;
    const job = await add(first.session, agentTurn("after restart", { kind: "at", at: new Date(atMs).toISOString() }));
    await first.stop();
    second = await start(home);
    const listed = await second.session.request<{ jobs: CronJob[] }>("cron.list", {});
    assert.ok(listed.jobs.some((j) => j.id === job.id), "the job is still there");
    assert.ok(Date.now() < atMs, "the restart finished before the job's time (else this tests catch-up)");
    await finished(second.session, job.id);
    const started = cronEvents(second.session, job.id, "started")[0]!;
    const lateness = started.runAtMs! - atMs;
    assert.ok(lateness >= 0 && lateness < 1_000, `fired ${lateness} ms after its time`);
  } finally {
    await second?.stop();
    await first.stop().catch(() => {});
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("cron: a failing job backs off (30 s after the first error) and its error shows in cron.get, cron.list and cron.runs", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    ...config(upstream.url),
    agents: { defaults: { model: { primary: "fake/fail" } } },
  });
  const gw = await start(home);
  try {
    const job = await add(gw.session, agentTurn("failing", { kind: "every", everyMs: 2_000 }));
    const done = await finished(gw.session, job.id);
    assert.equal(done.status, "error");
    assert.ok(done.error, "the finished event names the error");
    const state = (await getJob(gw.session, job.id)).state;
    assert.equal(state.lastRunStatus, "error");
    assert.equal(state.lastError, done.error);
    assert.equal(state.consecutiveErrors, 1);
    const endedAt = state.lastRunAtMs! + (state.lastDurationMs ?? 0);
    assert.ok(state.nextRunAtMs! >= endedAt + 30_000, "the 2 s interval is pushed back by the 30 s backoff");
    const listed = await gw.session.request<{ jobs: CronJob[] }>("cron.list", {});
    assert.equal(listed.jobs.find((j) => j.id === job.id)?.state.lastError, done.error);
    const [entry] = await runsOf(gw.session, job.id);
    assert.equal(entry?.status, "error");
    assert.equal(entry?.error, done.error);
    const status = await gw.session.request<{ enabled: boolean; jobs: number; nextWakeAtMs: number }>("cron.status");
    assert.equal(status.enabled, true);
    assert.equal(status.jobs, 1);
    assert.equal(status.nextWakeAtMs, state.nextRunAtMs);
  } finally {
    await gw.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("cron: runs missed while the gateway was down follow the documented policy (catch-up, agent turns deferred, skipMissedJobs)", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome(config(upstream.url));
  const first = await start(home);
  let second: Running | undefined;
  let third: Running | undefined;
  try {
    const system = await add(first.session, {
      name: "missed reminder",
      schedule: { kind: "every", everyMs: 3_000 },
      sessionTarget: "main",
      wakeMode: "next-heartbeat",
      payload: { kind: "systemEvent", text: "Reminder: stretch." },
    });
    const agent = await add(first.session, agentTurn("missed digest", { kind: "every", everyMs: 3_000 }));
    await first.stop();
    // Let both jobs' times pass while no gateway runs.
    const due = Math.max(system.state.nextRunAtMs!, agent.state.nextRunAtMs!);
    await until(() => Date.now() > due + 200, "the jobs' times to pass with the gateway down");
    const restartedAt = Date.now();
    second = await start(home);
    // A main-session system event catches up at start, before any client could connect (whatever the
    // heartbeat makes of it): its run is in the history.
    const caughtUp = (await runsOf(second.session, system.id)).find((entry) => entry.runAtMs! >= restartedAt);
    assert.ok(caughtUp, "the missed system event ran at start");
    assert.match(second.proc.output, /cron: running missed jobs after restart/);
    // An agent turn is not replayed at start: it is deferred two minutes, not lost.
    const deferred = (await getJob(second.session, agent.id)).state;
    assert.ok(
      deferred.nextRunAtMs! >= restartedAt + 120_000 && deferred.nextRunAtMs! < Date.now() + 121_000,
      `agent turn deferred to ${deferred.nextRunAtMs! - restartedAt} ms after the restart`,
    );
    assert.equal(cronEvents(second.session, agent.id, "started").length, 0);
    // With cron.skipMissedJobs a recurring job skips its missed slots and waits for the next one.
    const skipper = await add(second.session, agentTurn("skipped digest", { kind: "every", everyMs: 3_000 }));
    await second.stop();
    second = undefined;
    await Deno.writeTextFile(home.configPath, JSON.stringify(config(upstream.url, { skipMissedJobs: true })));
    await until(() => Date.now() > skipper.state.nextRunAtMs! + 200, "the job's time to pass with the gateway down");
    const skippedAt = Date.now();
    third = await start(home);
    const skipped = (await getJob(third.session, skipper.id)).state;
    assert.ok(skipped.nextRunAtMs! > skippedAt, "advanced to a future slot");
    assert.equal(skipped.lastRunAtMs, undefined, "the missed slot was not run");
    assert.match(third.proc.output, /cron: skipped missed recurring jobs after restart/);
    assert.equal(cronEvents(third.session, skipper.id, "started").length, 0, "not run at start");
  } finally {
    await third?.stop();
    await second?.stop();
    await first.stop().catch(() => {});
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("cron: a run cut short by a crash is recorded as interrupted at the next start, and the one-shot runs again", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({ ...config(upstream.url), agents: { defaults: { model: { primary: "fake/stall" } } } });
  const first = await start(home);
  let second: Running | undefined;
  try {
    const atMs = Date.now() + 1_000;
    const job = await add(first.session, agentTurn("crashes", { kind: "at", at: new Date(atMs).toISOString() }));
    await until(() => cronEvents(first.session, job.id, "started").length > 0, "the run to start");
    first.session.stop();
    first.proc.kill("SIGKILL");
    await first.proc.exited();
    second = await start(home);
    const [entry] = await runsOf(second.session, job.id);
    assert.equal(entry?.status, "error");
    assert.equal(entry?.error, "cron: job interrupted by gateway restart");
    const state = (await getJob(second.session, job.id)).state;
    assert.equal(state.lastError, "cron: job interrupted by gateway restart");
    assert.equal(state.runningAtMs, undefined);
    // The one-shot is not lost: it is still due and runs again.
    await until(
      () => cronEvents(second!.session, job.id, "started").length > 0,
      "the interrupted one-shot to run again",
    );
  } finally {
    await second?.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("cron: cron.enabled applies hot: switched off, jobs stay and nothing runs; switched on, the scheduler arms again", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome(config(upstream.url));
  const gw = await start(home);
  try {
    const job = await add(gw.session, agentTurn("paused", { kind: "every", everyMs: 60_000 }));
    await Deno.writeTextFile(home.configPath, JSON.stringify(config(upstream.url, { enabled: false })));
    await gw.proc.waitForLine(/config hot reload applied \(cron\.enabled\)/);
    const off = await gw.session.request<{ enabled: boolean; jobs: number; nextWakeAtMs: number | null }>(
      "cron.status",
    );
    assert.deepEqual([off.enabled, off.jobs, off.nextWakeAtMs], [false, 1, null]);
    await Deno.writeTextFile(home.configPath, JSON.stringify(config(upstream.url, { enabled: true })));
    await until(async () => (await gw.session.request<{ enabled: boolean }>("cron.status")).enabled, "cron back on");
    const on = await gw.session.request<{ nextWakeAtMs: number | null }>("cron.status");
    assert.equal(on.nextWakeAtMs, job.state.nextRunAtMs);
  } finally {
    await gw.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
