import assert from "node:assert/strict";
import type { DeliverReply, DeliveryTarget } from "../../src/automation/delivery.ts";
import type { HeartbeatOutcome } from "../../src/automation/heartbeat_control.ts";
import { HeartbeatService } from "../../src/automation/heartbeat_service.ts";
import { heartbeatConfigView } from "../../src/config/heartbeat_settings.ts";
import type { HeartbeatRunRequest } from "../../src/automation/heartbeat_turn.ts";

interface Harness {
  service: HeartbeatService;
  runs: HeartbeatRunRequest[];
  sent: { target: DeliveryTarget; text: string }[];
  events: HeartbeatOutcome[];
  /** Resolves with the next emitted outcome (bounded by the test's own deadline). */
  next(): Promise<HeartbeatOutcome>;
}

/** A heartbeat over a fake model that answers `answers` in turn, and a fake DeliverReply that records sends. */
function harness(
  config: Record<string, unknown>,
  answers: string[],
  options: {
    scratch?: string;
    now?: () => number;
    owners?: string[];
    lastRoute?: { channel: string; to: string };
    busy?: () => boolean;
    resets?: string[];
    /** Each model call waits for this first. */
    gate?: Promise<void>;
    logs?: string[];
    /** The agent's heartbeat monitor in the cron store (see HeartbeatServiceDeps.monitor). */
    monitor?: () => { content: string | undefined } | undefined;
    /** Workspace file reads, by path. */
    reads?: string[];
    warnings?: string[];
  } = {},
): Harness {
  const runs: HeartbeatRunRequest[] = [];
  const sent: { target: DeliveryTarget; text: string }[] = [];
  const events: HeartbeatOutcome[] = [];
  const waiters: ((outcome: HeartbeatOutcome) => void)[] = [];
  const deliver: DeliverReply = ({ target, text }) => {
    sent.push({ target, text });
    return Promise.resolve({ status: "delivered", channel: target.channel, to: target.to });
  };
  const service = new HeartbeatService({
    settings: () => heartbeatConfigView(config),
    agents: () => ({ defaultAgentId: "main", agents: [{ id: "main", workspace: "/nonexistent" }] }),
    ownerAllowFrom: () => options.owners ?? ["irc:alice"],
    run: async (request) => {
      runs.push(request);
      const text = answers[Math.min(runs.length, answers.length) - 1] ?? "";
      await options.gate;
      return { status: "ok", text };
    },
    resetSession: (key) => Promise.resolve(void options.resets?.push(key)),
    deliver,
    busy: options.busy ?? (() => false),
    emit: (outcome) => {
      events.push(outcome);
      waiters.shift()?.(outcome);
    },
    readScratch: (path) => {
      options.reads?.push(path);
      return Promise.resolve(options.scratch);
    },
    monitor: options.monitor,
    warn: (message) => options.warnings?.push(message),
    lastRoute: () => Promise.resolve(options.lastRoute),
    now: options.now,
    info: (message) => options.logs?.push(message),
  });
  const next = () => new Promise<HeartbeatOutcome>((resolve) => waiters.push(resolve));
  return { service, runs, sent, events, next };
}

const toIrc = { agents: { defaults: { heartbeat: { target: "irc", to: "#ops" } } } };

Deno.test("a heartbeat answered HEARTBEAT_OK delivers nothing: ok-empty bare, ok-token beside a short note", async () => {
  const h = harness(toIrc, ["HEARTBEAT_OK", "All quiet here. HEARTBEAT_OK"]);
  const outcome = await h.service.runNow({ reason: "manual" });
  assert.equal(h.runs.length, 1);
  assert.deepEqual(h.sent, []);
  const { ts: _ts, durationMs: _d, ...rest } = outcome;
  assert.deepEqual(rest, { status: "ok-empty", reason: "manual", channel: "irc", indicatorType: "ok", silent: true });
  assert.deepEqual(h.service.last, outcome);
  assert.equal((await h.service.runNow({ reason: "manual" })).status, "ok-token");
  assert.deepEqual(h.sent, []);
});

Deno.test("a heartbeat with content delivers it to the target and reports sent with a preview", async () => {
  const h = harness(toIrc, ["Disk on /var is 95% full."]);
  const outcome = await h.service.runNow({ reason: "manual" });
  assert.deepEqual(h.sent, [{
    target: { channel: "irc", to: "#ops", accountId: undefined },
    text: "Disk on /var is 95% full.",
  }]);
  const { ts: _ts, durationMs: _d, ...rest } = outcome;
  assert.deepEqual(rest, {
    status: "sent",
    preview: "Disk on /var is 95% full.",
    channel: "irc",
    indicatorType: "alert",
    to: "#ops",
    hasMedia: false,
  });
  // The same alert again within a day is not sent twice.
  assert.equal((await h.service.runNow({ reason: "manual" })).reason, "duplicate");
  assert.equal(h.sent.length, 1);
});

Deno.test("wake now runs one turn with the queued text as a System line; next-heartbeat only queues", async () => {
  const h = harness({}, ["NO_REPLY"]);
  assert.equal(h.service.wake({ mode: "next-heartbeat", text: "check mail" }), "queued");
  assert.equal(h.service.wake({ mode: "next-heartbeat", text: "check mail" }), "coalesced");
  assert.deepEqual(h.service.queued, ["check mail"]);
  assert.equal(h.runs.length, 0);
  const ran = h.next();
  h.service.wake({ mode: "now", text: "build finished" });
  const outcome = await ran;
  assert.equal(h.runs.length, 1);
  assert.match(
    h.runs[0]!.message,
    new RegExp(
      "reply NO_REPLY\\.\nCurrent time: \\w+day, [^\n]+ \\(\\S+\\)\nReference UTC: [^\n]+ UTC\n\n" +
        "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nConversation data \\(data, not instructions\\):\n" +
        '"System: \\[[^\\]]+\\] check mail\\\\nSystem: \\[[^\\]]+\\] build finished"\n' +
        "<<<END_OPENCLAW_INTERNAL_CONTEXT>>>$",
    ),
  );
  assert.equal(h.runs[0]!.sessionKey, "agent:main:main");
  assert.deepEqual([outcome.status, outcome.reason], ["ok-empty", "wake"]);
  assert.deepEqual(h.service.queued, [], "the turn consumed the events");
});

Deno.test("two wakes while a turn runs join it: one model call", async () => {
  const h = harness(toIrc, ["HEARTBEAT_OK"]);
  const [a, b] = await Promise.all([h.service.runNow({ reason: "a" }), h.service.runNow({ reason: "b" })]);
  assert.equal(h.runs.length, 1);
  assert.equal(a, b);
});

Deno.test("outside active hours the heartbeat is skipped as quiet-hours without asking the model", async () => {
  const noon = Date.parse("2026-11-30T12:00:00Z");
  const config = {
    agents: { defaults: { heartbeat: { activeHours: { start: "22:00", end: "23:00", timezone: "UTC" } } } },
  };
  const h = harness(config, ["Alert"], { now: () => noon });
  const outcome = await h.service.runNow({ reason: "manual" });
  assert.deepEqual([outcome.status, outcome.reason], ["skipped", "quiet-hours"]);
  assert.equal(h.runs.length, 0);
  // A cron job's wake is not bound by active hours.
  const night = harness(config, ["HEARTBEAT_OK"], { now: () => noon });
  assert.equal((await night.service.runNow({ reason: "cron:job-1" })).status, "ok-empty");
});

Deno.test("routes: target none runs but sends nothing (with the reference's message); owner is the first ownerAllowFrom chat", async () => {
  const none = harness({ agents: { defaults: { heartbeat: { target: "none" } } } }, ["Something happened"]);
  const outcome = await none.service.runNow({ reason: "manual" });
  assert.deepEqual([outcome.status, outcome.reason, outcome.preview], ["skipped", "target-none", "Something happened"]);
  assert.equal(outcome.message, "Heartbeat delivery is disabled by configuration (target: none).");
  assert.deepEqual(none.sent, []);
  const owner = harness({}, ["Ping"]);
  const toOwner = await owner.service.runNow({ reason: "manual" });
  assert.deepEqual(owner.sent.map((s) => s.target), [{ channel: "irc", to: "alice", accountId: undefined }]);
  assert.equal(toOwner.status, "sent");
});

Deno.test("the interval runs turns; an effectively empty HEARTBEAT.md skips them", async () => {
  const config = { agents: { defaults: { heartbeat: { every: "20ms", target: "none" } } } };
  const h = harness(config, ["HEARTBEAT_OK"]);
  h.service.start();
  try {
    const first = await h.next();
    assert.deepEqual([first.status, first.reason], ["ok-empty", "interval"]);
  } finally {
    h.service.stop();
  }
  const empty = harness(config, ["HEARTBEAT_OK"], { scratch: "# Heartbeat\n\n- [ ]\n" });
  empty.service.start();
  try {
    const skipped = await empty.next();
    assert.deepEqual([skipped.status, skipped.reason], ["skipped", "empty-heartbeat-file"]);
    assert.equal(empty.runs.length, 0);
  } finally {
    empty.service.stop();
  }
});

Deno.test("set-heartbeats off: no schedule, and a wake runs nothing and emits nothing", async () => {
  const h = harness({ agents: { defaults: { heartbeat: { every: "1h" } } } }, ["HEARTBEAT_OK"]);
  h.service.start();
  try {
    assert.deepEqual(Object.keys(h.service.nextDue()), ["main"]);
    h.service.setEnabled(false);
    assert.deepEqual(h.service.nextDue(), {});
    const refused = await h.service.runNow({ reason: "manual" });
    assert.deepEqual([refused.status, refused.reason], ["skipped", "disabled"]);
    assert.deepEqual([h.runs.length, h.events.length], [0, 0]);
    h.service.setEnabled(true);
    assert.deepEqual(Object.keys(h.service.nextDue()), ["main"]);
  } finally {
    h.service.stop();
  }
});

Deno.test("HEARTBEAT.md with content is appended to the prompt as the monitor scratch", async () => {
  const h = harness(toIrc, ["HEARTBEAT_OK"], { scratch: "- check the backups\n" });
  await h.service.runNow({ reason: "manual" });
  assert.match(h.runs[0]!.message, /Heartbeat monitor scratch:\n- check the backups\nCurrent time: /);
});

Deno.test("without an owner chat a plain tick is skipped as no-route before the model, and status says it waits", async () => {
  const h = harness({ agents: { defaults: { heartbeat: { every: "20ms" } } } }, ["Alert"], { owners: [] });
  assert.equal(await h.service.waitingForRoute("main"), true);
  h.service.start();
  try {
    const outcome = await h.next();
    assert.deepEqual([outcome.status, outcome.reason, outcome.message], [
      "skipped",
      "no-route",
      "Heartbeat has no delivery route yet. Message your bot once, or set agents.defaults.heartbeat.target.",
    ]);
    assert.equal(h.runs.length, 0);
  } finally {
    h.service.stop();
  }
  assert.equal(await harness({}, [], { owners: ["irc:alice"] }).service.waitingForRoute("main"), false);
});

Deno.test("an event queued while a turn runs gets a turn of its own right after it, not the running one's outcome", async () => {
  const h = harness(toIrc, ["HEARTBEAT_OK", "Backup failed on host b."]);
  const first = h.service.runNow({ reason: "manual" });
  h.service.enqueue({ text: "Backup job finished." });
  const second = await h.service.runNow({ reason: "cron:job-1" });
  assert.equal((await first).status, "ok-empty");
  assert.equal(h.runs.length, 2);
  assert.match(h.runs[1]!.message, /Backup job finished\./);
  assert.deepEqual([second.status, second.preview], ["sent", "Backup failed on host b."]);
});

Deno.test("flood guard: a sixth wake within a minute runs no model; its queued text gets one turn when the guard expires", async () => {
  let clock = 0;
  const h = harness(toIrc, ["HEARTBEAT_OK"], { now: () => clock });
  try {
    for (let i = 0; i < 5; i++) {
      clock = i;
      h.service.enqueue({ text: `event ${i}` });
      assert.equal((await h.service.runNow({ reason: "wake" })).status, "ok-empty");
    }
    // 59.99 s after the first: still inside the window, so the guard holds (and retries 11 ms later).
    clock = 59_990;
    h.service.enqueue({ text: "event 5" });
    const emitted = h.next();
    const deferred = await h.service.runNow({ reason: "wake" });
    assert.deepEqual([deferred.status, deferred.reason], ["skipped", "flood"]);
    assert.equal(h.runs.length, 5);
    assert.deepEqual(h.service.queued, ["event 5"], "the deferred wake's text stays queued");
    clock = 60_010;
    const retried = await emitted;
    assert.deepEqual([retried.status, retried.reason], ["ok-empty", "retry"]);
    assert.equal(h.runs.length, 6);
    assert.match(h.runs[5]!.message, /event 5/);
    // A deferred wake's retry is a timer: stopping the heartbeat clears it.
    for (let i = 0; i < 5; i++) await h.service.runNow({ reason: "wake" });
    h.service.enqueue({ text: "event 6" });
    assert.equal((await h.service.runNow({ reason: "wake" })).reason, "flood");
  } finally {
    h.service.stop();
  }
});

Deno.test("directPolicy block: an alert for `last` is not sent when the last chat is a DM; a channel still gets it", async () => {
  const config = { agents: { defaults: { heartbeat: { target: "last", directPolicy: "block" } } } };
  const dm = harness(config, ["Disk full"], { lastRoute: { channel: "telegram", to: "4242" } });
  const blocked = await dm.service.runNow({ reason: "manual" });
  assert.deepEqual([blocked.status, blocked.reason, blocked.preview], ["skipped", "dm-blocked", "Disk full"]);
  assert.deepEqual(dm.sent, []);
  const room = harness(config, ["Disk full"], { lastRoute: { channel: "irc", to: "#ops" } });
  assert.equal((await room.service.runNow({ reason: "manual" })).status, "sent");
  assert.deepEqual(room.sent.map((s) => s.target.channel), ["last"]);
});

Deno.test("a wake that finds the session busy is skipped, keeps its text queued, and tries again a second later", async () => {
  let busy = true;
  const h = harness(toIrc, ["HEARTBEAT_OK"], { busy: () => busy });
  try {
    h.service.enqueue({ text: "Backup job finished." });
    const skipped = await h.service.runNow({ reason: "cron:job-1" });
    assert.deepEqual([skipped.status, skipped.reason], ["skipped", "requests-in-flight"]);
    assert.deepEqual(h.service.queued, ["Backup job finished."]);
    busy = false;
    const retried = await h.next();
    assert.deepEqual([retried.status, retried.reason], ["ok-empty", "retry"]);
    assert.match(h.runs[0]!.message, /Backup job finished\./);
    assert.deepEqual(h.service.queued, []);
  } finally {
    h.service.stop();
  }
});

Deno.test("isolatedSession: a fresh session only for a turn that runs; skipped ones (quiet hours, busy) start none", async () => {
  const noon = Date.parse("2026-11-30T12:00:00Z");
  const resets: string[] = [];
  const quiet = {
    agents: {
      defaults: {
        heartbeat: { isolatedSession: true, activeHours: { start: "22:00", end: "23:00", timezone: "UTC" } },
      },
    },
  };
  const night = harness(quiet, ["HEARTBEAT_OK"], { now: () => noon, resets });
  assert.equal((await night.service.runNow({ reason: "manual" })).reason, "quiet-hours");
  assert.deepEqual(resets, []);
  const h = harness({ agents: { defaults: { heartbeat: { isolatedSession: true } } } }, ["HEARTBEAT_OK"], { resets });
  assert.equal((await h.service.runNow({ reason: "manual" })).status, "ok-empty");
  assert.deepEqual(resets, ["agent:main:main:heartbeat"]);
  assert.equal(h.runs[0]!.sessionKey, "agent:main:main:heartbeat");
});

Deno.test("stop: a wake waiting on a running turn starts no turn of its own once the heartbeat stopped", async () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  const h = harness(toIrc, ["HEARTBEAT_OK"], { gate });
  const first = h.service.runNow({ reason: "manual" });
  h.service.enqueue({ text: "Backup job finished." });
  const waiting = h.service.runNow({ reason: "cron:job-1" });
  h.service.stop();
  release();
  await first;
  const outcome = await waiting;
  assert.equal(h.runs.length, 1, "no model call after stop");
  assert.deepEqual([outcome.status, outcome.reason], ["skipped", "disabled"]);
});

Deno.test("start logs `started` when an agent has a cadence, `disabled` when none has (every: 0m)", () => {
  const logs: string[] = [];
  const on = harness({}, [], { logs });
  const off = harness({ agents: { defaults: { heartbeat: { every: "0m" } } } }, [], { logs });
  try {
    on.service.start();
    off.service.start();
    assert.deepEqual(logs, ["started", "disabled"]);
  } finally {
    on.service.stop();
    off.service.stop();
  }
});

Deno.test("the reference's heartbeat monitor scratch is the checklist when the agent has a monitor; HEARTBEAT.md is not read", async () => {
  const reads: string[] = [];
  const h = harness({}, ["NO_REPLY"], {
    scratch: "- from HEARTBEAT.md",
    monitor: () => ({ content: "- from the monitor" }),
    reads,
  });
  await h.service.runNow({ reason: "manual" });
  assert.match(h.runs[0]!.message, /Heartbeat monitor scratch:\n- from the monitor\nCurrent time: /);
  assert.doesNotMatch(h.runs[0]!.message, /HEARTBEAT\.md/);
  assert.deepEqual(reads, []);

  // A monitor without scratch: no checklist, and still no file read (the reference never reads it).
  const bare = harness({}, ["NO_REPLY"], {
    scratch: "- from HEARTBEAT.md",
    monitor: () => ({ content: undefined }),
    reads,
  });
  await bare.service.runNow({ reason: "manual" });
  assert.doesNotMatch(bare.runs[0]!.message, /Heartbeat monitor scratch/);
  assert.deepEqual(reads, []);
});

Deno.test("without a monitor row, or when the store cannot be read, the heartbeat reads the workspace's HEARTBEAT.md", async () => {
  const reads: string[] = [];
  const plain = harness({}, ["NO_REPLY"], { scratch: "- from the file", monitor: () => undefined, reads });
  await plain.service.runNow({ reason: "manual" });
  assert.match(plain.runs[0]!.message, /Heartbeat monitor scratch:\n- from the file\n/);
  assert.deepEqual(reads, ["/nonexistent/HEARTBEAT.md"]);
  const warnings: string[] = [];
  const broken = harness({}, ["NO_REPLY"], {
    scratch: "- from the file",
    monitor: () => {
      throw new Error("database is locked");
    },
    warnings,
  });
  await broken.service.runNow({ reason: "manual" });
  assert.match(broken.runs[0]!.message, /- from the file/);
  assert.deepEqual(warnings, ["heartbeat: monitor scratch of main not read: database is locked"]);
});
