import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import type { RunOutcome, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { createCronJobRunner, type CronJobRunnerDeps } from "../../src/automation/cron_job_runner.ts";
import { REFUSE_SHARED_MAIN_TARGET } from "../../src/automation/cron_run_delivery.ts";
import type { DeliverReply } from "../../src/automation/delivery.ts";
import type { HeartbeatControl } from "../../src/automation/heartbeat_control.ts";
import { cronDeliverySettings } from "../../src/config/cron_delivery_settings.ts";
import { TIMEOUT_ERROR } from "../../src/automation/cron_outcome.ts";
import { resolveModelPolicy } from "../../src/config/model_policy.ts";

function job(overrides: Partial<CronJob> = {}): CronJob {
  return {
    id: "job-1",
    name: "Daily digest",
    enabled: true,
    createdAtMs: 1,
    updatedAtMs: 1,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "isolated",
    wakeMode: "next-heartbeat",
    payload: { kind: "agentTurn", message: "Summarize." },
    delivery: { mode: "announce", channel: "irc", to: "#ops" },
    state: {},
    ...overrides,
  } as CronJob;
}

function outcome(overrides: Partial<RunOutcome> = {}): RunOutcome {
  return {
    runId: "r",
    status: "ok",
    text: "The digest.",
    stopReason: "stop",
    error: undefined,
    upstreamStatus: undefined,
    usage: { input: 10, output: 5 },
    provider: "fake",
    model: "m",
    sessionId: "s-1",
    startedAt: 0,
    endedAt: 1,
    ...overrides,
  };
}

interface Harness {
  deps: CronJobRunnerDeps;
  requests: RunRequest[];
  resets: string[];
  delivered: Parameters<DeliverReply>[0][];
  posted: { to: string | undefined; payload: unknown; token: string | undefined }[];
}

function harness(options: {
  answer?: Partial<RunOutcome>;
  deliverOk?: boolean;
  heartbeat?: HeartbeatControl;
  config?: Record<string, unknown>;
  postFails?: string;
  lastRoute?: { channel: string; to: string };
} = {}): Harness {
  const requests: RunRequest[] = [];
  const resets: string[] = [];
  const delivered: Parameters<DeliverReply>[0][] = [];
  const posted: Harness["posted"] = [];
  const deps: CronJobRunnerDeps = {
    runs: {
      start: (request): StartResult => {
        requests.push(request);
        return {
          kind: "accepted",
          runId: request.idempotencyKey,
          acceptedAt: 0,
          done: Promise.resolve(outcome(options.answer)),
        };
      },
      abort: () => [],
    },
    resetSession: (key) => {
      resets.push(key);
      return Promise.resolve();
    },
    deliver: (input) => {
      delivered.push(input);
      return Promise.resolve(
        options.deliverOk === false
          ? { status: "not-delivered", error: "Cannot send on irc account default: it is not running." }
          : { status: "delivered", channel: "irc", to: input.target.to ?? "#last" },
      );
    },
    lastRoute: () => Promise.resolve(options.lastRoute),
    heartbeat: () => options.heartbeat,
    agents: () => ({ ids: ["main", "ops"], defaultAgentId: "main" }),
    mainKey: () => "main",
    settings: () => cronDeliverySettings((options.config ?? {}) as never),
    postWebhook: (request) => {
      posted.push({ to: request.to, payload: request.payload, token: request.token });
      return options.postFails ? Promise.reject(new Error(options.postFails)) : Promise.resolve();
    },
    now: () => 1_000,
  };
  return { deps, requests, resets, delivered, posted };
}

const context = () => ({ runId: "run-1", trigger: "schedule" as const, signal: new AbortController().signal });

Deno.test("an isolated agent turn runs in a fresh cron:<jobId> session and announces its answer", async () => {
  const h = harness();
  const result = await createCronJobRunner(h.deps)(job(), context());
  assert.deepEqual(h.resets, ["agent:main:cron:job-1"]);
  assert.equal(h.requests.length, 1);
  assert.equal(h.requests[0]!.sessionKey, "agent:main:cron:job-1");
  assert.equal(h.requests[0]!.message, "Summarize.");
  // The announce target is the run's chat, so the message tool's sends default there.
  assert.deepEqual(h.requests[0]!.origin, { channel: "irc", to: "#ops", accountId: undefined });
  assert.equal(h.requests[0]!.recordRoute, false, "the announce target is not recorded as the session's chat");
  assert.deepEqual(h.delivered.map((d) => [d.target.channel, d.target.to, d.text, d.sessionKey]), [
    ["irc", "#ops", "The digest.", "agent:main:main"],
  ]);
  assert.equal(result.status, "ok");
  assert.equal(result.summary, "The digest.");
  assert.equal(result.delivered, true);
  assert.equal(result.deliveryStatus, "delivered");
  assert.equal(result.sessionKey, "agent:main:cron:job-1");
  assert.equal(result.sessionId, "s-1");
  assert.deepEqual(result.usage, { input_tokens: 10, output_tokens: 5, total_tokens: 15 });
});

Deno.test("the payload's model, fallbacks, thinking, timeout, tools and light context reach the run", async () => {
  const h = harness();
  await createCronJobRunner(h.deps)(
    job({
      agentId: "ops",
      payload: {
        kind: "agentTurn",
        message: "Go.",
        model: "fake/big",
        fallbacks: ["fake/small"],
        thinking: "low",
        timeoutSeconds: 30,
        toolsAllow: ["read", "exec"],
        lightContext: true,
      },
    }),
    context(),
  );
  const request = h.requests[0]!;
  assert.equal(request.agentId, "ops");
  assert.deepEqual(request.model, { provider: "fake", model: "big" });
  assert.deepEqual(request.fallbacks, [{ provider: "fake", model: "small" }]);
  assert.equal(request.thinking, "low");
  assert.equal(request.timeoutMs, 30_000);
  assert.deepEqual(request.toolsAllow, ["read", "exec"]);
  assert.equal(request.lightContext, true);
  assert.equal(request.idempotencyKey, "cron:job-1:run-1");
});

Deno.test("a session:<key> job keeps its session; main runs in the agent's main session", async () => {
  const h = harness();
  const runner = createCronJobRunner(h.deps);
  await runner(job({ sessionTarget: "session:standup", delivery: { mode: "none" } }), context());
  await runner(job({ sessionTarget: "main", delivery: { mode: "none" } }), context());
  assert.deepEqual(h.resets, []);
  assert.deepEqual(h.requests.map((r) => r.sessionKey), ["agent:main:standup", "agent:main:main"]);
  assert.deepEqual(h.delivered, []);
});

Deno.test("announce to last resolves through the job's creating session; NO_REPLY and empty answers are not sent", async () => {
  const h = harness();
  const result = await createCronJobRunner(h.deps)(
    job({ sessionKey: "agent:main:irc:channel:#ops", delivery: { mode: "announce" } }),
    context(),
  );
  assert.equal(result.deliveryStatus, "delivered");
  assert.equal(h.delivered[0]!.target.channel, "last");
  assert.equal(h.delivered[0]!.sessionKey, "agent:main:irc:channel:#ops");
  for (const [text, reason] of [["NO_REPLY", "silent"], ["  ", "empty"]] as const) {
    const quiet = harness({ answer: { text } });
    const silent = await createCronJobRunner(quiet.deps)(job(), context());
    assert.deepEqual(quiet.delivered, []);
    assert.equal(silent.status, "ok");
    assert.equal(silent.deliveryStatus, "not-delivered");
    assert.equal(silent.deliverySuppressionReason, reason);
  }
});

Deno.test("a failed delivery leaves the run ok and records why", async () => {
  const h = harness({ deliverOk: false });
  const result = await createCronJobRunner(h.deps)(job(), context());
  assert.equal(result.status, "ok");
  assert.equal(result.delivered, false);
  assert.equal(result.deliveryStatus, "not-delivered");
  assert.equal(result.deliveryError, "Cannot send on irc account default: it is not running.");
});

Deno.test("a failed run is an error and announces nothing; unknown agents are errors, unknown payload kinds skipped", async () => {
  const h = harness({ answer: { status: "error", error: "upstream 500", text: "" } });
  const runner = createCronJobRunner(h.deps);
  const result = await runner(job(), context());
  assert.equal(result.status, "error");
  assert.equal(result.error, "upstream 500");
  assert.equal(result.deliveryStatus, "not-requested");
  assert.deepEqual(h.delivered, [], "below the alert threshold nothing is sent");
  assert.deepEqual(await runner(job({ agentId: "ghost" }), context()), {
    status: "error",
    error: "Unknown agent 'ghost'.",
    deliveryStatus: "not-requested",
  });
  const command = await runner(job({ payload: { kind: "command", argv: ["true"] } }), context());
  assert.deepEqual(command, {
    status: "skipped",
    error: 'cron job not run here: its payload kind "command" is run only by the gateway that created it',
  });
});

Deno.test("a reference-managed job run by hand is skipped with its reason: no agent run, no delivery, no alert", async () => {
  const h = harness({
    config: { cron: { failureAlert: { after: 1, includeSkipped: true, channel: "irc", to: "#a" } } },
  });
  const runner = createCronJobRunner(h.deps);
  const heartbeat = job({
    declarationKey: "heartbeat:main",
    sessionTarget: "main",
    payload: { kind: "heartbeat" },
  } as Partial<CronJob>);
  assert.deepEqual(await runner(heartbeat, context()), {
    status: "skipped",
    error: 'cron job not run here: its payload kind "heartbeat" is run only by the gateway that created it',
  });
  const dreaming = job({
    declarationKey: "memory-core:memory-dreaming-promotion",
    payload: { kind: "agentTurn", message: "__openclaw_memory_core_short_term_promotion_dream__", toolsAllow: ["*"] },
  } as Partial<CronJob>);
  assert.equal((await runner(dreaming, context())).status, "skipped");
  assert.deepEqual([h.requests, h.delivered, h.posted, h.resets], [[], [], [], []]);
});

Deno.test("the second consecutive failure alerts the announce target once per cooldown; success sends a recovery", async () => {
  const utc = { agents: { defaults: { userTimezone: "UTC" } } };
  const failing = harness({ answer: { status: "error", error: "boom", text: "" }, config: utc });
  const runner = createCronJobRunner(failing.deps);
  const second = await runner(job({ state: { consecutiveErrors: 1 } }), context());
  assert.deepEqual(failing.delivered.map((d) => [d.target.channel, d.target.to, d.text]), [
    [
      "irc",
      "#ops",
      'Automation "Daily digest" failed 2 times\nCheck automation history for details.\nRun started: 1970-01-01 00:00 UTC',
    ],
  ]);
  assert.equal(second.failureAlertAtMs, 1_000);
  assert.deepEqual(second.failureNotification, { delivered: true, status: "delivered" });
  // Within the hour after that alert, a third failure stays quiet.
  const third = await runner(job({ state: { consecutiveErrors: 2, lastFailureAlertAtMs: 500 } }), context());
  assert.equal(failing.delivered.length, 1);
  assert.equal(third.failureAlertAtMs, undefined);
  // bestEffort delivery silences inherited alerts; an explicit per-job failureAlert still alerts.
  await runner(
    job({
      delivery: { mode: "announce", channel: "irc", to: "#ops", bestEffort: true },
      state: { consecutiveErrors: 5 },
    }),
    context(),
  );
  assert.equal(failing.delivered.length, 1);
  await runner(
    job({
      delivery: { mode: "announce", channel: "irc", to: "#ops", bestEffort: true },
      failureAlert: { after: 1, channel: "irc", to: "#alerts" },
    }),
    context(),
  );
  assert.deepEqual(failing.delivered.at(-1)!.target, { channel: "irc", to: "#alerts", accountId: undefined });
  // failureAlert: false turns them off.
  await runner(job({ failureAlert: false, state: { consecutiveErrors: 9 } }), context());
  assert.equal(failing.delivered.length, 2);
  const ok = harness({ config: utc });
  const recovered = await createCronJobRunner(ok.deps)(job({ state: { lastFailureAlertAtMs: 500 } }), context());
  assert.equal(recovered.failureAlertAtMs, null);
  assert.equal(
    ok.delivered.at(-1)!.text,
    'Automation "Daily digest" recovered\nThe latest run completed successfully.\nRun started: 1970-01-01 00:00 UTC',
  );
});

Deno.test("a job without a route alerts only when cron.failureAlert is configured, to its webhook", async () => {
  const quiet = harness({ answer: { status: "error", error: "boom", text: "" } });
  await createCronJobRunner(quiet.deps)(
    job({ delivery: { mode: "none" }, state: { consecutiveErrors: 3 } }),
    context(),
  );
  assert.deepEqual(quiet.delivered, []);
  assert.deepEqual(quiet.posted, []);
  const configured = harness({
    answer: { status: "error", error: "boom", text: "" },
    config: { cron: { webhookToken: "tok", failureAlert: { mode: "webhook", to: "https://hooks.example/alert" } } },
  });
  const result = await createCronJobRunner(configured.deps)(
    job({ delivery: { mode: "none" }, state: { consecutiveErrors: 3 } }),
    context(),
  );
  assert.deepEqual(configured.posted, [{
    to: "https://hooks.example/alert",
    token: "tok",
    payload: {
      jobId: "job-1",
      jobName: "Daily digest",
      message: 'Automation "Daily digest" failed 4 times\nLast error: boom',
      runAtMs: 1_000,
    },
  }]);
  assert.equal(result.failureAlertAtMs, 1_000);
});

Deno.test("webhook delivery POSTs the finished event with the token; empty output posts nothing; a refused POST is not-delivered", async () => {
  const config = { cron: { webhookToken: "secret" } };
  const h = harness({ config });
  const hook = { mode: "webhook" as const, to: "https://hooks.example/cron" };
  const result = await createCronJobRunner(h.deps)(job({ delivery: hook }), context());
  assert.equal(result.deliveryStatus, "delivered");
  assert.equal(h.posted.length, 1);
  assert.equal(h.posted[0]!.to, "https://hooks.example/cron");
  assert.equal(h.posted[0]!.token, "secret");
  const event = h.posted[0]!.payload as Record<string, unknown>;
  // Key for key in the reference's order (measured: a reference 2026.9.6 job with --webhook).
  assert.deepEqual(Object.keys(event), [
    "jobId",
    "action",
    "job",
    "runAtMs",
    "durationMs",
    "status",
    "summary",
    "delivered",
    "deliveryStatus",
    "delivery",
    "sessionId",
    "sessionKey",
    "model",
    "provider",
    "usage",
  ]);
  assert.equal(event.action, "finished");
  assert.equal((event.job as { id: string }).id, "job-1");
  assert.equal(event.summary, "The digest.");
  assert.deepEqual(event.usage, { input_tokens: 10, output_tokens: 5, total_tokens: 15 });
  const failing = harness({
    config,
    answer: { status: "error", error: "boom", text: "", usage: { input: 0, output: 0 } },
  });
  await createCronJobRunner(failing.deps)(job({ delivery: hook }), context());
  const failed = failing.posted[0]!.payload as Record<string, unknown>;
  assert.equal(failed.status, "error");
  assert.equal(failed.error, "boom");
  assert.equal("summary" in failed, false);
  assert.equal("usage" in failed, false);
  const empty = harness({ config, answer: { text: "" } });
  const suppressed = await createCronJobRunner(empty.deps)(job({ delivery: hook }), context());
  assert.deepEqual(empty.posted, []);
  assert.equal(suppressed.deliverySuppressionReason, "empty");
  const refused = harness({ config, postFails: "Blocked hostname or private/internal/special-use IP address" });
  const blocked = await createCronJobRunner(refused.deps)(job({ delivery: hook }), context());
  assert.equal(blocked.status, "ok");
  assert.equal(blocked.deliveryStatus, "not-delivered");
  assert.equal(blocked.deliveryError, "Blocked hostname or private/internal/special-use IP address");
});

Deno.test("a system event is queued for the main session's heartbeat; wakeMode now runs it", async () => {
  const queued: unknown[] = [];
  const woken: unknown[] = [];
  const heartbeat: HeartbeatControl = {
    enqueue: (event) => {
      queued.push(event);
      return "queued";
    },
    runNow: (input) => {
      woken.push(input);
      return Promise.resolve({ ts: 1, status: "sent", durationMs: 1 });
    },
  };
  const h = harness({ heartbeat });
  const runner = createCronJobRunner(h.deps);
  const main = { sessionTarget: "main" as const, payload: { kind: "systemEvent" as const, text: "Check mail" } };
  const later = await runner(job({ ...main, delivery: undefined }), context());
  assert.equal(later.status, "ok");
  assert.deepEqual(queued, [{ text: "Check mail", agentId: "main", sessionKey: "agent:main:main" }]);
  assert.deepEqual(woken, []);
  await runner(job({ ...main, wakeMode: "now", delivery: undefined }), context());
  assert.deepEqual(woken, [{ reason: "cron:job-1", agentId: "main", sessionKey: "agent:main:main" }]);
  assert.deepEqual(h.requests, [], "no agent run of its own");
  const none = harness();
  const failed = await createCronJobRunner(none.deps)(job({ ...main, delivery: undefined }), context());
  assert.equal(failed.status, "error");
});

Deno.test("a job without a session of its own never inherits the main session's last chat (the reference refuses)", async () => {
  const h = harness({ lastRoute: { channel: "irc", to: "alice" } });
  const runner = createCronJobRunner(h.deps);
  for (const delivery of [{ mode: "announce" as const }, { mode: "announce" as const, channel: "irc" }]) {
    const refused = await runner(job({ delivery }), context());
    assert.equal(refused.status, "ok");
    assert.equal(refused.deliveryStatus, "not-delivered");
    assert.equal(refused.deliveryError, REFUSE_SHARED_MAIN_TARGET);
  }
  assert.equal(h.delivered.length, 0);
  // An explicit target, or a job that carries its creating session, is delivered.
  await runner(job({ delivery: { mode: "announce", to: "#ops" } }), context());
  await runner(job({ sessionKey: "agent:main:main", delivery: { mode: "announce" } }), context());
  assert.deepEqual(h.delivered.map((d) => [d.target.channel, d.target.to, d.sessionKey]), [
    ["last", "#ops", "agent:main:main"],
    ["last", undefined, "agent:main:main"],
  ]);
});

Deno.test("a failed run's cause is classified as the reference names it, and chat alerts show it instead of the raw error", async () => {
  const cases: [Partial<RunOutcome>, string | undefined][] = [
    [{ errorKind: "upstream", upstreamStatus: 400 }, "format"],
    [{ errorKind: "upstream", upstreamStatus: 401 }, "auth"],
    [{ errorKind: "upstream", upstreamStatus: 429 }, "rate_limit"],
    [{ errorKind: "upstream", upstreamStatus: 503 }, "server_error"],
    [{ errorKind: "timeout" }, "timeout"],
    [{ errorKind: "unknown_model", upstreamStatus: 404 }, "model_not_found"],
    [{ errorKind: "internal" }, undefined],
  ];
  for (const [fields, reason] of cases) {
    const h = harness({ answer: { status: "error", error: "x", text: "", ...fields } });
    const result = await createCronJobRunner(h.deps)(job(), context());
    assert.equal(result.errorReason, reason, JSON.stringify(fields));
  }
  // Measured on the reference 2026.9.6: `Automation "broken" failed 2 times\nCause: format\nRun started: ...`.
  const h = harness({
    answer: {
      status: "error",
      error: "400 the model provider rejected the request",
      text: "",
      errorKind: "upstream",
      upstreamStatus: 400,
    },
    config: { agents: { defaults: { userTimezone: "UTC" } } },
  });
  await createCronJobRunner(h.deps)(job({ name: "broken", state: { consecutiveErrors: 1 } }), context());
  assert.equal(
    h.delivered[0]!.text,
    'Automation "broken" failed 2 times\nCause: format\nRun started: 1970-01-01 00:00 UTC',
  );
});

/** A run that ends (aborted) only when the runner aborts it, as the engine does. */
function abortableRuns(h: Harness): void {
  let finish: ((outcome: RunOutcome) => void) | undefined;
  h.deps.runs = {
    start: (request): StartResult => {
      h.requests.push(request);
      return {
        kind: "accepted",
        runId: request.idempotencyKey,
        acceptedAt: 0,
        done: new Promise((resolve) => finish = resolve),
      };
    },
    abort: () => {
      finish?.(outcome({ status: "aborted", text: "", error: undefined }));
      return ["r"];
    },
  };
}

const alertConfig = { cron: { failureAlert: { after: 1, channel: "irc", to: "#alerts" } } };

Deno.test("a run cut short by the gateway stopping sends no webhook and no failure alert (the next start reports it)", async () => {
  const h = harness({ config: alertConfig });
  abortableRuns(h);
  const controller = new AbortController();
  const running = createCronJobRunner(h.deps)(
    job({ delivery: { mode: "webhook", to: "https://hooks.example/cron" } }),
    { runId: "run-1", trigger: "schedule", signal: controller.signal },
  );
  await Promise.resolve();
  controller.abort(new Error("gateway stopping"));
  const result = await running;
  assert.equal(result.status, "error");
  assert.deepEqual([h.posted, h.delivered], [[], []], "nothing sent while stopping");
});

Deno.test("a run ended by its timeout still posts its webhook and alerts, on a signal the timeout did not abort", async () => {
  const h = harness({ config: alertConfig });
  abortableRuns(h);
  const signals: (AbortSignal | undefined)[] = [];
  const post = h.deps.postWebhook!;
  h.deps.postWebhook = (request) => {
    signals.push(request.signal);
    return post(request);
  };
  const controller = new AbortController();
  const running = createCronJobRunner(h.deps)(
    job({ delivery: { mode: "webhook", to: "https://hooks.example/cron" } }),
    { runId: "run-1", trigger: "schedule", signal: controller.signal },
  );
  await Promise.resolve();
  controller.abort(new Error(TIMEOUT_ERROR));
  const result = await running;
  assert.equal(result.status, "error");
  assert.equal(h.posted.length, 1, "the error's finished event is posted");
  assert.equal(h.delivered.length, 1, "the failure alert goes out");
  assert.ok(signals.every((signal) => signal?.aborted !== true), "delivery is not handed the aborted run signal");
});

Deno.test("a session:<key> job's `last` is that session's own chat, as the reference resolves it (no refusal)", async () => {
  const h = harness();
  const asked: string[] = [];
  h.deps.lastRoute = (key) => {
    asked.push(key);
    return Promise.resolve(
      key === "agent:main:project-x" ? { channel: "irc", to: "#project" } : { channel: "irc", to: "alice" },
    );
  };
  const result = await createCronJobRunner(h.deps)(
    job({ sessionTarget: "session:project-x", delivery: { mode: "announce" } }),
    context(),
  );
  assert.equal(result.deliveryError, undefined);
  assert.deepEqual(h.delivered.map((d) => [d.target.channel, d.sessionKey]), [["last", "agent:main:project-x"]]);
});

Deno.test("a failure alert of a job without a session of its own is not sent to the main session's last chat (refused as announce is)", async () => {
  const h = harness({
    answer: { status: "error", error: "boom", text: "" },
    lastRoute: { channel: "irc", to: "alice" },
  });
  const failing = job({ delivery: { mode: "announce" }, state: { consecutiveErrors: 1 } });
  const result = await createCronJobRunner(h.deps)(failing, context());
  assert.equal(result.status, "error");
  assert.deepEqual(h.delivered, [], "nothing goes to alice");
  assert.deepEqual(result.failureNotification, {
    delivered: false,
    status: "not-delivered",
    error: REFUSE_SHARED_MAIN_TARGET,
  });
  // With a session of its own the alert goes to that session's chat.
  const owned = harness({
    answer: { status: "error", error: "boom", text: "" },
    lastRoute: { channel: "irc", to: "bob" },
  });
  await createCronJobRunner(owned.deps)({ ...failing, sessionKey: "agent:main:irc:dm:bob" }, context());
  assert.deepEqual(owned.delivered.map((d) => [d.target.channel, d.sessionKey]), [["last", "agent:main:irc:dm:bob"]]);
});

Deno.test("a run aborted before its agent turn starts (stop or timeout during the session reset) starts no turn", async () => {
  const h = harness();
  const controller = new AbortController();
  h.deps.resetSession = () => {
    controller.abort(new Error("gateway stopping"));
    return Promise.resolve();
  };
  const result = await createCronJobRunner(h.deps)(job(), {
    runId: "run-1",
    trigger: "schedule",
    signal: controller.signal,
  });
  assert.equal(h.requests.length, 0, "no agent run left going unaborted");
  assert.equal(result.status, "error");
  assert.deepEqual(h.delivered, []);
});

Deno.test("a job's model is resolved and checked against the agent's model policy, in the reference's words", async () => {
  const config = {
    models: { providers: { fake: { baseUrl: "http://127.0.0.1:9", models: ["m1", "m2"] } } },
    agents: {
      defaults: {
        model: "fake/m1",
        models: { "fake/m2": { alias: "two" } },
        modelPolicy: { allow: ["fake/m2", "two"] },
      },
    },
  };
  const policy = resolveModelPolicy(config as never, "main", "fake");
  const h = harness();
  h.deps.modelPolicy = () => ({ policy, defaultProvider: "fake" });
  const runner = createCronJobRunner(h.deps);
  const refused = await runner(job({ payload: { kind: "agentTurn", message: "x", model: "fake/m1" } }), context());
  assert.equal(
    refused.error,
    "automation model override 'fake/m1' rejected by agents.defaults.modelPolicy.allow: fake/m1 is not in [fake/m2, two]",
  );
  assert.equal(h.requests.length, 0, "a refused job starts no run");
  const aliased = await runner(job({ payload: { kind: "agentTurn", message: "x", model: "two" } }), context());
  assert.equal(aliased.status, "ok");
  assert.deepEqual(h.requests.at(-1)!.model, { provider: "fake", model: "m2" });
});

Deno.test("a job's model keeps the declared provider id as written once the policy resolved it (MyLocal, not mylocal)", async () => {
  const config = {
    models: { providers: { MyLocal: { baseUrl: "http://127.0.0.1:9", models: ["m1"] } } },
    agents: { defaults: { model: "MyLocal/m1" } },
  };
  const policy = resolveModelPolicy(config as never, "main", "MyLocal");
  const h = harness();
  h.deps.modelPolicy = () => ({ policy, defaultProvider: "MyLocal", providers: ["MyLocal"] });
  const result = await createCronJobRunner(h.deps)(
    job({ payload: { kind: "agentTurn", message: "x", model: "MyLocal/m1" } }),
    context(),
  );
  assert.equal(result.status, "ok");
  // The run looks the provider up by its declared id; a lowercased one is "Unknown model".
  assert.deepEqual(h.requests.at(-1)!.model, { provider: "MyLocal", model: "m1" });
});
