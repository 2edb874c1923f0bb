// Hook agent runs, as the reference runs them: each admitted request is a one-off job whose turn
// runs in a fresh `agent:<id>:cron:<job>:run:<session>` session (isolated, the default) or in the
// hook's own session (persistent). Requests sharing a logical key run one after another. The
// answer goes to the request's channel target through DeliverReply; with no target, a finished
// run becomes a system event in the agent's main session (and a heartbeat, with wakeMode now).
import type { ModelRef } from "../agent/agents_config.ts";
import type { RunOutcome, RunRequest, StartResult } from "../agent/runs.ts";
import { REFUSE_SHARED_MAIN_TARGET } from "./cron_run_delivery.ts";
import type { DeliverReply } from "./delivery.ts";
import { wrapExternalContent } from "./external_content.ts";
import type { HeartbeatControl } from "./heartbeat_control.ts";

/** An agent run a hook asks for, after policy (agent, logical key and delivery are settled). */
export interface HookAgentDispatch {
  message: string;
  name: string;
  agentId: string;
  /** The logical hook key (`hook:<uuid>`, a mapping's key, `defaultSessionKey`). */
  sessionKey: string;
  sessionMode: string;
  wakeMode: "now" | "next-heartbeat";
  deliver: boolean;
  /** Where the answer goes: `none`, or a channel (maybe `last`) and chat. */
  delivery: { mode: "none" } | {
    mode: "announce";
    channel: string;
    to?: string | undefined;
    accountId?: string | undefined;
  };
  model?: string | undefined;
  thinking?: string | undefined;
  timeoutSeconds?: number | undefined;
  allowUnsafeExternalContent?: boolean | undefined;
  /** `email` for the Gmail path, otherwise `webhook`. */
  contentSource: "webhook" | "email";
  /** A fan-out item: it waits for its turn however long it takes (no admission timeout), as the reference admits them. */
  background?: boolean | undefined;
}

/** The terminal facts a waiting caller gets: never the answer's text. */
export interface HookCompletion {
  status: "ok" | "error" | "skipped";
  replyDisposition: "visible" | "silent" | "empty";
  delivered?: boolean;
  deliveryAttempted?: boolean;
  deliveryError?: "delivery-failed";
  deliverySuppressionReason?: "empty" | "silent";
}

/** Admission: the run started (its completion follows), or why it did not, with the HTTP status. */
export type HookAdmission =
  | { ok: true; runId: string; completion: Promise<HookCompletion> }
  | { ok: false; statusCode: number; error: string; runId?: string };

/** What the dispatcher needs. */
export interface HookRunsDeps {
  startRun(request: RunRequest): StartResult;
  deliver: DeliverReply;
  /** The chat a session last talked on (`last`); none known when absent. */
  lastRoute?(sessionKey: string, agentId: string): Promise<{ channel: string; to: string } | undefined>;
  heartbeat: HeartbeatControl;
  log: { info(message: string): void; warn(message: string): void };
  /** How long a request may wait behind earlier runs of its key before 503 (15 s in the reference). */
  admissionTimeoutMs?: number;
  /** Hook runs in progress at once, across keys (the reference's hook lane: 8); the rest wait their turn. */
  maxConcurrentRuns?: number;
  /** False once the gateway stops: a run still waiting its turn is refused, not started on a stopped runtime. */
  accepting?(): boolean;
}

/** The reference's admission failure words. */
export const ADMISSION_ERRORS = {
  timeout: "hook agent run did not start before admission timeout",
  preparation: "hook agent run failed before entering the agent runner",
  stopping: "hook agent run not started: the gateway is stopping",
} as const;

const SILENT_TOKEN = "NO_REPLY";
/** A caller-chosen value on one log line: control characters (a forged second line) become spaces, as the reference logs them. */
const oneLine = (value: string): string => value.replace(/\p{Cc}/gu, " ");
/** The reference's hook lane width (its cron concurrency, 8): a 200-item fan-out is not 200 model calls at once. */
const DEFAULT_MAX_CONCURRENT_RUNS = 8;

function parseModel(model: string | undefined): ModelRef | undefined | null {
  if (!model) return undefined;
  const slash = model.indexOf("/");
  return slash > 0 && slash < model.length - 1
    ? { provider: model.slice(0, slash), model: model.slice(slash + 1) }
    : null;
}

/** A request waiting for its turn: `job` is dropped when it times out. */
interface Queued {
  job?: {
    value: HookAgentDispatch;
    message: string;
    model: ModelRef | undefined;
    sessionKey: string;
    runId: string;
    jobId: string;
    admit: (admission: HookAdmission) => void;
  } | undefined;
  timer?: ReturnType<typeof setTimeout> | undefined;
}

/** Dispatches hook agent runs; one per gateway (it holds the per-key queues and the run slots). */
export class HookRuns {
  #deps: HookRunsDeps;
  #tails = new Map<string, Promise<void>>();
  #active = 0;
  #waiting: (() => void)[] = [];

  constructor(deps: HookRunsDeps) {
    this.#deps = deps;
  }

  /** Admits and starts one run; resolves once it started (or failed to). */
  dispatch(value: HookAgentDispatch): Promise<HookAdmission> {
    const runId = crypto.randomUUID();
    const jobId = crypto.randomUUID();
    const model = parseModel(value.model);
    if (model === null) {
      return Promise.resolve({ ok: false, statusCode: 502, error: ADMISSION_ERRORS.preparation, runId });
    }
    const logical = value.sessionKey;
    const queueKey = logical.startsWith("agent:") ? logical : `agent:${value.agentId}:${logical}`;
    const sessionKey = value.sessionMode === "persistent"
      ? queueKey
      : `agent:${value.agentId}:cron:${jobId}:run:${crypto.randomUUID()}`;
    const message = value.allowUnsafeExternalContent ? value.message : wrapExternalContent({
      content: value.message,
      source: value.contentSource,
      taskName: value.name,
      jobId,
      receivedAt: new Date().toISOString(),
    });
    const { promise: admission, resolve: admit } = Promise.withResolvers<HookAdmission>();
    // What the run needs, held only while it may still start: a request refused at the deadline must
    // not keep its message (256 KB, wrapped twice that) in memory behind a long run of its key.
    const queued: Queued = { job: { value, message, model, sessionKey, runId, jobId, admit } };
    // Fan-out items wait in the background: a batch larger than the slots must not lose its tail to the deadline.
    queued.timer = value.background ? undefined : setTimeout(() => {
      queued.job = undefined;
      admit({ ok: false, statusCode: 503, error: ADMISSION_ERRORS.timeout, runId });
    }, this.#deps.admissionTimeoutMs ?? 15_000);
    const previous = this.#tails.get(queueKey) ?? Promise.resolve();
    const work = previous.then(() => this.#runQueued(queued));
    const tail = work.catch((error) => {
      this.#deps.log.warn(`hook agent run failed: ${error instanceof Error ? error.message : String(error)}`);
      admit({ ok: false, statusCode: 502, error: ADMISSION_ERRORS.preparation, runId });
    });
    this.#tails.set(queueKey, tail);
    void tail.finally(() => {
      if (this.#tails.get(queueKey) === tail) this.#tails.delete(queueKey);
    });
    return admission;
  }

  /** Runs a queued request once its key's turn and a slot come, unless it timed out meanwhile. */
  async #runQueued(queued: Queued): Promise<void> {
    if (!queued.job) return;
    await this.#acquire();
    try {
      clearTimeout(queued.timer);
      const job = queued.job;
      queued.job = undefined;
      if (!job) return;
      const { value, runId, jobId, sessionKey, admit } = job;
      if (this.#deps.accepting?.() === false) {
        admit({ ok: false, statusCode: 503, error: ADMISSION_ERRORS.stopping, runId });
        return;
      }
      const started = this.#deps.startRun({
        agentId: value.agentId,
        sessionKey,
        message: job.message,
        idempotencyKey: runId,
        model: job.model,
        thinking: value.thinking,
        timeoutMs: value.timeoutSeconds ? value.timeoutSeconds * 1000 : undefined,
        senderIsOwner: false,
      });
      if (started.kind === "in_flight" || (started.kind === "done" && started.outcome.status !== "ok")) {
        admit({ ok: false, statusCode: 502, error: ADMISSION_ERRORS.preparation, runId });
        return;
      }
      const { promise: completion, resolve: complete } = Promise.withResolvers<HookCompletion>();
      admit({ ok: true, runId, completion });
      try {
        const outcome = started.kind === "done" ? started.outcome : await started.done;
        complete(await this.#finish(value, { runId, jobId, sessionKey }, outcome));
      } catch (error) {
        // A run or delivery step that throws still ends: a waiting caller and the replay memory do not hang on it.
        complete({ status: "error", replyDisposition: "empty" });
        throw error;
      }
    } finally {
      this.#release();
    }
  }

  /** Waits for a run slot (FIFO). */
  #acquire(): Promise<void> {
    if (this.#active < Math.max(1, this.#deps.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS)) {
      this.#active += 1;
      return Promise.resolve();
    }
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#waiting.push(resolve);
    return promise;
  }

  /** Hands the slot to the next waiter, or frees it. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active -= 1;
  }

  /** Whether an isolated run's implicit target would be the agent-main session's last chat. */
  async #inheritsSharedMain(value: HookAgentDispatch): Promise<boolean> {
    if (value.sessionMode === "persistent" || value.delivery.mode !== "announce" || value.delivery.to?.trim()) {
      return false;
    }
    const last = await this.#deps.lastRoute?.(`agent:${value.agentId}:main`, value.agentId);
    const channel = value.delivery.channel;
    return last !== undefined && (channel === "last" || channel === last.channel);
  }

  /** Delivers (or announces) a finished run and reports its terminal facts. */
  async #finish(
    value: HookAgentDispatch,
    ids: { runId: string; jobId: string; sessionKey: string },
    outcome: RunOutcome,
  ): Promise<HookCompletion> {
    const text = outcome.text.trim();
    const disposition = !text ? "empty" : text === SILENT_TOKEN ? "silent" : "visible";
    const completion: HookCompletion = {
      status: outcome.status === "ok" ? "ok" : "error",
      replyDisposition: disposition,
    };
    let deliveryError: string | undefined;
    if (completion.status === "ok" && value.deliver && value.delivery.mode === "announce") {
      if (disposition !== "visible") {
        Object.assign(completion, {
          delivered: false,
          deliveryAttempted: false,
          deliverySuppressionReason: disposition,
        });
      } else if (await this.#inheritsSharedMain(value)) {
        // An isolated run has no chat of its own: the reference will not guess one from the main session.
        Object.assign(completion, { status: "error", delivered: false, deliveryAttempted: false });
        completion.deliveryError = "delivery-failed";
        deliveryError = REFUSE_SHARED_MAIN_TARGET;
      } else {
        const report = await this.#deps.deliver({
          target: { channel: value.delivery.channel, to: value.delivery.to, accountId: value.delivery.accountId },
          text,
          agentId: value.agentId,
          sessionKey: value.sessionMode === "persistent" ? ids.sessionKey : `agent:${value.agentId}:main`,
        });
        completion.deliveryAttempted = true;
        completion.delivered = report.status === "delivered";
        if (report.status !== "delivered") completion.deliveryError = "delivery-failed";
        // No chat to send to at all (no `last` route, no target) fails the run, as in the reference;
        // a send that failed leaves the run ok with its delivery error.
        if (report.status !== "delivered" && !report.to) completion.status = "error";
        deliveryError = report.error;
      }
    } else if (value.delivery.mode === "none" || !value.deliver) {
      completion.delivered = false;
      completion.deliveryAttempted = false;
    }
    const status = completion.status;
    const summary = outcome.status !== "ok"
      ? outcome.error ?? status
      : status === "ok"
      ? text.slice(0, 2000) || "ok"
      : deliveryError ?? status;
    const level = status !== "ok" || completion.deliveryError ? "warn" : "info";
    this.#deps.log[level](
      `hook agent run completed runId=${ids.runId} status=${status}${
        deliveryError ? ` deliveryError=${JSON.stringify(deliveryError)}` : ""
      } jobId=${ids.jobId} name=${JSON.stringify(value.name)} agentId=${value.agentId} logicalSessionKey=${
        oneLine(value.sessionKey)
      } sessionKey=${oneLine(ids.sessionKey)}`,
    );
    // A failed run, or a delivered-nowhere answer the caller asked to deliver, reaches the main session.
    const announce = status !== "ok" ||
      (value.deliver && completion.delivered !== true && completion.deliveryAttempted !== true &&
        disposition === "visible");
    if (announce) {
      const prefix = status === "ok" ? `Hook ${value.name}` : `Hook ${value.name} (${status})`;
      this.#deps.heartbeat.enqueue({ text: `${prefix}: ${summary}`.trim(), agentId: value.agentId });
      if (value.wakeMode === "now") {
        this.#deps.heartbeat.runNow({ reason: `hook:${ids.jobId}`, agentId: value.agentId }).catch(() => {});
      }
    }
    return completion;
  }
}
