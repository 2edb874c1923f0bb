import assert from "node:assert/strict";
import type { CronControl, CronJob } from "../../../src/agent/cron_control.ts";
import { CronJobNotRunnableHereError } from "../../../src/automation/cron_foreign.ts";
import { cronMethods } from "../../../src/rpc/methods/cron.ts";
import { ProtocolValidators } from "../../../src/rpc/validators.ts";
import { FakeCron } from "../../support/fake_cron.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const NOW = Date.parse("2026-11-30T12:00:00Z");

function tableWith(cron: CronControl | undefined) {
  return cronMethods({
    stateDir: "/state",
    cron: () => cron,
    defaultAgentId: () => "main",
    validators: new ProtocolValidators(),
    processInstanceId: "proc-1",
    now: () => NOW,
  });
}

async function errorOf(table: ReturnType<typeof tableWith>, method: string, params: unknown) {
  const result = await callMethod(table, method, params);
  assert.ok(!result.ok, `${method} should fail`);
  return result.error;
}

type Row = Record<string, unknown>;

Deno.test("cron is off: status disabled with no jobs, empty pages in the reference's shapes", async () => {
  const table = tableWith(undefined);
  assert.deepEqual(await payloadOf(table, "cron.status"), {
    enabled: false,
    triggersEnabled: false,
    storePath: "/state/state/openclaw.sqlite",
    storage: "sqlite",
    sqlitePath: "/state/state/openclaw.sqlite",
    jobs: 0,
    nextWakeAtMs: null,
  });
  // The params the Automations page sends: compact, so no previews.
  const list = await payloadOf(table, "cron.list", {
    agentId: "main",
    includeDisabled: true,
    includeDeliveryPreviews: false,
    compact: true,
    limit: 50,
    offset: 0,
    enabled: "all",
    sortBy: "nextRunAtMs",
    sortDir: "asc",
  });
  assert.deepEqual(list, {
    jobs: [],
    // sha256 of "[]", base64url, as the reference computes an empty snapshot.
    snapshotRevision: "sha256:T1PNoYwrqgwDVLtfmj7L5e0Sq02OEbqHPC8RFhICuUU",
    total: 0,
    offset: 0,
    limit: 50,
    hasMore: false,
    nextOffset: null,
  });
  const full = (await payloadOf(table, "cron.list", { includeDisabled: false, limit: 200, offset: 0 })) as Row;
  assert.deepEqual(full.deliveryPreviews, {}, "a full list carries previews");
  const runs = await payloadOf(table, "cron.runs", {
    scope: "all",
    limit: 50,
    offset: 0,
    status: "all",
    sortDir: "desc",
  });
  assert.deepEqual(runs, { entries: [], total: 0, offset: 0, limit: 50, hasMore: false, nextOffset: null });
  const bad = await callMethod(table, "cron.list", { limit: 500 });
  assert.equal(!bad.ok && bad.error.code, "INVALID_REQUEST");
});

Deno.test("cron.add takes what the reference CLI sends and answers the read view with its delivery preview", async () => {
  const cron = new FakeCron(() => NOW);
  const table = tableWith(cron);
  const added = (await payloadOf(table, "cron.add", {
    name: "t1",
    enabled: true,
    schedule: { kind: "every", everyMs: 600000 },
    sessionTarget: "main",
    wakeMode: "now",
    payload: { kind: "systemEvent", text: "hello" },
  })) as Row;
  assert.deepEqual(added, {
    id: "job-1",
    name: "t1",
    enabled: true,
    createdAtMs: NOW,
    updatedAtMs: NOW,
    schedule: { kind: "every", everyMs: 600000, anchorMs: NOW },
    sessionTarget: "main",
    wakeMode: "now",
    payload: { kind: "systemEvent", text: "hello" },
    state: { nextRunAtMs: NOW + 600000 },
    configRevision: added.configRevision,
    nextRunAtMs: NOW + 600000,
    deliveryPreview: { label: "not requested", detail: "not requested" },
  });
  assert.match(String(added.configRevision), /^sha256:[A-Za-z0-9_-]{43}$/);
});

Deno.test("cron.add fills the reference's defaults: isolated agent turns announce, trusted tools, top-of-hour stagger", async () => {
  const table = tableWith(new FakeCron(() => NOW));
  const added = (await payloadOf(table, "cron.add", {
    schedule: { kind: "cron", expr: "0 * * * *", tz: " UTC " },
    payload: { kind: "AGENTTURN", message: "  Summarize the news\nsecond line " },
    delivery: { mode: "deliver", channel: " IRC ", to: "#ops" },
  })) as Row;
  assert.equal(added.name, "Summarize the news");
  assert.equal(added.sessionTarget, "isolated", "no session to keep: current falls back to isolated");
  assert.equal(added.wakeMode, "now");
  assert.deepEqual(added.schedule, { kind: "cron", expr: "0 * * * *", tz: "UTC", staggerMs: 300000 });
  assert.deepEqual(added.payload, { kind: "agentTurn", message: "Summarize the news\nsecond line", toolsAllow: ["*"] });
  assert.deepEqual(added.delivery, { mode: "announce", channel: "irc", to: "#ops" });
  assert.deepEqual(added.scheduledToolPolicy, { version: 1, mode: "trusted" });
  assert.deepEqual(added.deliveryPreview, { label: "announce -> irc:#ops", detail: "explicit" });
  const oneShot = (await payloadOf(table, "cron.add", {
    name: "once",
    schedule: { kind: "at", at: "2026-11-30T13:00:00" },
    payload: { kind: "systemEvent", text: "x" },
  })) as Row;
  assert.deepEqual(oneShot.schedule, { kind: "at", at: "2026-11-30T13:00:00.000Z" });
  assert.equal(oneShot.deleteAfterRun, true);
  assert.equal(oneShot.sessionTarget, "main");
});

Deno.test("cron.add refuses input with the reference's words", async () => {
  const table = tableWith(new FakeCron(() => NOW));
  const base = { name: "x", schedule: { kind: "every", everyMs: 1000 }, payload: { kind: "systemEvent", text: "x" } };
  assert.equal(
    (await errorOf(table, "cron.add", { ...base, displayName: "  " })).message,
    "invalid cron.add params: displayName must not be blank",
  );
  assert.equal(
    (await errorOf(table, "cron.add", { ...base, enabled: "maybe" })).message,
    "invalid cron.add params: enabled must be a boolean",
  );
  assert.equal(
    (await errorOf(table, "cron.add", { ...base, schedule: { kind: "at", at: "2026-11-30T10:00:00Z" } })).message,
    "schedule.at is in the past: 2026-11-30T10:00:00.000Z (120 minutes ago). Current time: 2026-11-30T12:00:00.000Z",
  );
  assert.equal(
    (await errorOf(table, "cron.add", { ...base, schedule: { kind: "at", at: "tomorrow" } })).message,
    "Invalid schedule.at: expected ISO-8601 timestamp (got tomorrow)",
  );
  assert.match(
    (await errorOf(table, "cron.add", { ...base, payload: { kind: "nope" } })).message,
    /^invalid cron\.add params: /,
  );
  assert.equal(
    (await errorOf(table, "cron.add", { ...base, sessionTarget: "session:  " })).message,
    "invalid cron.add params: invalid cron sessionTarget session id",
  );
});

Deno.test("cron.list filters, sorts, pages and previews like the reference; compact rows for the Automations page", async () => {
  const cron = new FakeCron(() => NOW);
  const table = tableWith(cron);
  for (const [name, everyMs] of [["b", 3000], ["a", 1000], ["c", 2000]] as const) {
    await payloadOf(table, "cron.add", {
      name,
      schedule: { kind: "every", everyMs },
      payload: { kind: "systemEvent", text: name },
    });
  }
  await payloadOf(table, "cron.update", { id: "job-3", patch: { enabled: false } });
  const enabled = (await payloadOf(table, "cron.list", { limit: 200, offset: 0 })) as { jobs: Row[]; total: number };
  assert.deepEqual(enabled.jobs.map((job) => job.name), ["a", "b"], "enabled only, by next run");
  assert.equal(enabled.total, 2);
  const all =
    (await payloadOf(table, "cron.list", { includeDisabled: true, sortBy: "name", sortDir: "desc", limit: 2 })) as Row;
  assert.deepEqual((all.jobs as Row[]).map((job) => job.name), ["c", "b"]);
  assert.equal(all.hasMore, true);
  assert.equal(all.nextOffset, 2);
  assert.deepEqual(Object.keys(all.deliveryPreviews as Row), ["job-3", "job-1"]);
  const compact = (await payloadOf(table, "cron.list", { compact: true, enabled: "all", query: "A" })) as {
    jobs: Row[];
  };
  assert.deepEqual(compact.jobs, [{
    id: "job-2",
    name: "a",
    updatedAtMs: NOW,
    enabled: true,
    nextRunAt: new Date(NOW + 1000).toISOString(),
    nextRunAtMs: NOW + 1000,
    scheduleKind: "every",
    schedule: { kind: "every", everyMs: 1000, anchorMs: NOW },
    lastRunAt: null,
    lastRunAtMs: null,
    lastRunStatus: null,
    lastRunError: null,
    effectiveAgentId: "main",
  }]);
  const first = (await payloadOf(table, "cron.list", { enabled: "all" })) as Row;
  await payloadOf(table, "cron.update", { id: "job-1", patch: { name: "b2" } });
  const second = (await payloadOf(table, "cron.list", { enabled: "all" })) as Row;
  assert.notEqual(first.snapshotRevision, second.snapshotRevision, "a changed job changes the snapshot");
});

Deno.test("cron.update merges a patch as the reference does and re-enabling resets the failure streak", async () => {
  const cron = new FakeCron(() => NOW);
  const table = tableWith(cron);
  await payloadOf(table, "cron.add", {
    name: "job",
    schedule: { kind: "every", everyMs: 60000 },
    sessionTarget: "isolated",
    payload: { kind: "agentTurn", message: "hi", model: "fake/m1", timeoutSeconds: 30 },
    delivery: { mode: "announce", channel: "irc", to: "#a" },
  });
  cron.jobs.get("job-1")!.state.consecutiveErrors = 3;
  const updated = (await payloadOf(table, "cron.update", {
    id: "job-1",
    patch: { enabled: true, payload: { kind: "agentTurn", model: null, message: "bye" }, delivery: { to: "#b" } },
  })) as Row;
  assert.deepEqual(updated.payload, { kind: "agentTurn", message: "bye", timeoutSeconds: 30, toolsAllow: ["*"] });
  assert.deepEqual(updated.delivery, { mode: "announce", channel: "irc", to: "#b" });
  assert.equal((updated.state as Row).consecutiveErrors, 0);
  assert.equal(
    (await errorOf(table, "cron.update", { id: "job-1", patch: { payload: { kind: "systemEvent" } } })).message,
    'invalid cron.update params: cron.update payload.kind="systemEvent" requires text',
  );
  // The Control UI edits against the revision it loaded: a stale one is refused, the current one applies.
  const stale = await errorOf(table, "cron.update", {
    id: "job-1",
    expectedConfigRevision: "sha256:old",
    patch: { enabled: false },
  });
  assert.equal(
    stale.message,
    "cron job definition no longer matches the loaded version; review the latest version before retrying",
  );
  assert.deepEqual(stale.details, {
    code: "CRON_JOB_CHANGED",
    expectedConfigRevision: "sha256:old",
    actualConfigRevision: updated.configRevision,
  });
  const paused = (await payloadOf(table, "cron.update", {
    id: "job-1",
    expectedConfigRevision: updated.configRevision,
    patch: { enabled: false },
  })) as Row;
  assert.equal(paused.enabled, false);
  const missing = await errorOf(table, "cron.update", { id: "nope", patch: { name: "x" } });
  assert.match(missing.message, /^Automation not found: nope\. List automations and retry with a current job id\./);
  assert.deepEqual(missing.details, { code: "CRON_JOB_NOT_FOUND", jobId: "nope" });
});

Deno.test("cron.get, cron.remove, cron.run and cron.runs answer in the reference's shapes", async () => {
  const cron = new FakeCron(() => NOW);
  const table = tableWith(cron);
  await payloadOf(table, "cron.add", {
    name: "j",
    schedule: { kind: "every", everyMs: 1000 },
    payload: { kind: "systemEvent", text: "x" },
  });
  assert.equal(((await payloadOf(table, "cron.get", { id: "job-1" })) as Row).name, "j");
  const notFound = await errorOf(table, "cron.get", { id: "nope" });
  assert.match(notFound.message, /^cron job not found: nope\. /);
  assert.deepEqual(await payloadOf(table, "cron.run", { id: "job-1", mode: "force" }), {
    ok: true,
    enqueued: true,
    runId: `manual:job-1:${NOW}:1`,
    processInstanceId: "proc-1",
  });
  assert.deepEqual(await payloadOf(table, "cron.run", { id: "job-1", mode: "due" }), {
    ok: true,
    ran: false,
    reason: "not-due",
    processInstanceId: "proc-1",
  });
  cron.entries.push({ ts: NOW, jobId: "job-1", action: "finished", status: "error", error: "boom", runId: "r1" });
  const runs = (await payloadOf(table, "cron.runs", { id: "job-1", limit: 50 })) as Row;
  assert.deepEqual(runs, {
    entries: [{ ts: NOW, jobId: "job-1", action: "finished", status: "error", error: "boom", runId: "r1" }],
    total: 1,
    offset: 0,
    limit: 50,
    hasMore: false,
    nextOffset: null,
  });
  cron.entries.push({ ts: NOW + 1, jobId: "job-1", action: "finished", status: "ok", runId: "r2" });
  const one = (await payloadOf(table, "cron.runs", { id: "job-1", runId: "r1", limit: 1 })) as {
    entries: Row[];
    total: number;
  };
  assert.deepEqual(
    [one.entries.map((entry) => entry.runId), one.total],
    [["r1"], 1],
    "one run by its id, as run --wait polls",
  );
  assert.match((await errorOf(table, "cron.runs", { id: "nope" })).message, /^Automation not found: nope/);
  assert.deepEqual(await payloadOf(table, "cron.remove", { id: "job-1" }), { ok: true, removed: true });
  assert.match((await errorOf(table, "cron.remove", { id: "job-1" })).message, /^Automation not found: job-1/);
  assert.equal((await errorOf(table, "cron.remove", {})).message.startsWith("invalid cron.remove params"), true);
});

Deno.test("the cron mutations need operator.admin, reading needs operator.read", async () => {
  const table = tableWith(new FakeCron(() => NOW));
  const add = await callMethod(table, "cron.add", {}, ["operator.read", "operator.write"]);
  assert.equal(!add.ok && add.error.message, "missing scope: operator.admin");
  const list = await callMethod(table, "cron.list", {}, ["operator.read"]);
  assert.ok(list.ok);
});

Deno.test("a last-route delivery is previewed from the chat its session last talked on, or as fail-closed", async () => {
  const routes: Record<string, { channel: string; to: string }> = {
    "agent:main:main": { channel: "telegram", to: "42" },
    "agent:main:irc:#ops": { channel: "irc", to: "#ops" },
  };
  const table = cronMethods({
    stateDir: "/state",
    cron: () => cron,
    defaultAgentId: () => "main",
    validators: new ProtocolValidators(),
    processInstanceId: "proc-1",
    now: () => NOW,
    lastRoute: (key) => Promise.resolve(routes[key]),
  });
  const cron = new FakeCron(() => NOW);
  const base = { schedule: { kind: "every", everyMs: 60000 }, payload: { kind: "agentTurn", message: "hi" } };
  const bound =
    (await payloadOf(table, "cron.add", { ...base, name: "a", sessionTarget: "session:agent:main:irc:#ops" })) as Row;
  assert.deepEqual(bound.deliveryPreview, {
    label: "announce -> irc:#ops",
    detail: "resolved from last, session agent:main:irc:#ops",
  });
  const isolated = (await payloadOf(table, "cron.add", { ...base, name: "b", sessionTarget: "isolated" })) as Row;
  assert.deepEqual(isolated.deliveryPreview, {
    label: "announce -> last",
    detail: "last -> no route, will fail-closed",
  });
  const list = (await payloadOf(table, "cron.list", {})) as { deliveryPreviews: Record<string, unknown> };
  assert.deepEqual(list.deliveryPreviews[String(bound.id)], bound.deliveryPreview);
});

Deno.test("an every job is anchored by the scheduler at its creation time, whatever the method's clock says", async () => {
  // The scheduler's clock runs a little later than the method's (a preview awaited in between).
  const cron = new FakeCron(() => NOW + 7);
  const added = (await payloadOf(tableWith(cron), "cron.add", {
    name: "tick",
    schedule: { kind: "every", everyMs: 60000 },
    payload: { kind: "systemEvent", text: "x" },
  })) as Row;
  assert.deepEqual(added.schedule, { kind: "every", everyMs: 60000, anchorMs: added.createdAtMs });
  assert.equal(added.createdAtMs, NOW + 7);
});

Deno.test("cron.add on a gateway whose scheduler is unloaded (no jobs yet) loads it first and stores the job", async () => {
  /** A stand-in that refuses `add` until `ready()` loaded the scheduler (as the gateway's dormant control does). */
  class Unloaded extends FakeCron {
    loaded = false;
    override add(draft: Parameters<FakeCron["add"]>[0]) {
      if (!this.loaded) throw new Error("not loaded");
      return super.add(draft);
    }
    ready(): Promise<void> {
      this.loaded = true;
      return Promise.resolve();
    }
  }
  const loaded = new Unloaded(() => NOW);
  const current: CronControl = loaded;
  const table = cronMethods({
    stateDir: "/state",
    cron: () => current,
    defaultAgentId: () => "main",
    validators: new ProtocolValidators(),
    processInstanceId: "proc-1",
    now: () => NOW,
  });
  const added = (await payloadOf(table, "cron.add", {
    name: "first",
    schedule: { kind: "every", everyMs: 600000 },
    sessionTarget: "main",
    wakeMode: "now",
    payload: { kind: "systemEvent", text: "hello" },
  })) as Row;
  assert.equal(added.id, "job-1");
  assert.equal(loaded.jobs.size, 1);
});

Deno.test("cron.run of a job this gateway does not run (the reference's managed jobs) is refused as a bad request", async () => {
  const cron = new FakeCron(() => NOW);
  cron.run = (id) => {
    throw new CronJobNotRunnableHereError(
      id,
      'its payload kind "heartbeat" is run only by the gateway that created it',
    );
  };
  cron.jobs.set("hb", { id: "hb" } as CronJob);
  const error = await errorOf(tableWith(cron), "cron.run", { id: "hb", mode: "force" });
  assert.equal(error.code, "INVALID_REQUEST");
  assert.match(error.message, /^invalid cron\.run params: cron job hb was not run: its payload kind "heartbeat"/);
});

Deno.test("cron.list sessionKey/sessionAgentId lists the jobs bound to that session, as recorded on the reference", async () => {
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../../fixtures/reference_cron/session_scoped_list.json", import.meta.url)),
  ) as {
    jobs: { params: Record<string, unknown> }[];
    lists: { params: Record<string, string>; names?: string[]; answer?: { error: { message: string } } }[];
  };
  const cron = new FakeCron(() => NOW);
  const table = tableWith(cron);
  const ids: string[] = [];
  for (const { params } of recorded.jobs) ids.push((await payloadOf(table, "cron.add", params) as { id: string }).id);
  // The reference's own jobs (heartbeat, dreaming, skill review) are not here; its isolated job had another id.
  const ours = new Set(recorded.jobs.map((j) => j.params.name));
  const recordedIsolatedId = /cron:(.+)$/.exec(
    recorded.lists.find((l) => l.params.sessionKey?.includes(":cron:"))!
      .params.sessionKey!,
  )![1]!;
  assert.ok(recorded.lists.length >= 10);
  for (const { params, names, answer } of recorded.lists) {
    const sessionKey = params.sessionKey?.replace(recordedIsolatedId, ids[1]!);
    const asked = { ...params, ...(sessionKey !== undefined ? { sessionKey } : {}), includeDeliveryPreviews: false };
    const result = await callMethod(table, "cron.list", asked);
    if (answer) {
      assert.ok(!result.ok);
      assert.equal(result.error.message, answer.error.message);
      continue;
    }
    assert.ok(result.ok, JSON.stringify(params));
    const listed = (result.payload as { jobs: { name: string }[] }).jobs.map((j) => j.name).sort();
    assert.deepEqual(listed, names!.filter((name) => ours.has(name)).sort(), JSON.stringify(params));
  }
});
