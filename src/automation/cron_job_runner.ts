// The CronJobRunner: what a due job does. A `systemEvent` is queued for the main session's next
// heartbeat (and, with wakeMode `now`, that heartbeat runs now); an `agentTurn` runs the agent in
// the session its `sessionTarget` names; then the answer is delivered (announce to a chat or `last`,
// or a webhook POST) and, when the run's outcome calls for one, a failure alert or recovery notice.
import type { CronJob, CronPayload } from "../agent/cron_control.ts";
import type { ModelRef } from "../agent/agents_config.ts";
import type { RunOutcome, RunRequest, StartResult } from "../agent/runs.ts";
import { parseModelRef } from "../config/resolve_agents.ts";
import { DEFAULT_POLICY_PATH, type ModelPolicy } from "../config/model_policy.ts";
import { configuredProvider, resolveAllowedModel } from "../config/model_choice.ts";
import { failoverReason } from "../agent/failover_policy.ts";
import type { CronDeliverySettings } from "../config/cron_delivery_settings.ts";
import type { CronJobRunner, CronRunResult } from "./cron_runner.ts";
import type { DeliverReply } from "./delivery.ts";
import type { HeartbeatControl } from "./heartbeat_control.ts";
import { deliverRunResult, notifyFailure } from "./cron_run_delivery.ts";
import { postCronWebhook } from "./cron_webhook.ts";
import { foreignJobReason } from "./cron_foreign.ts";
import { TIMEOUT_ERROR } from "./cron_outcome.ts";

/** What the runner needs of the gateway. */
export interface CronJobRunnerDeps {
  runs: { start(request: RunRequest): StartResult; abort(input: { runId?: string }): string[] };
  /** Starts a fresh transcript for a key (an isolated job's new session per run). */
  resetSession(sessionKey: string, agentId: string): Promise<unknown>;
  deliver: DeliverReply;
  /** The chat a session last talked on (the isolated-delivery guard reads the main session's). */
  lastRoute(sessionKey: string, agentId: string): Promise<{ channel: string; to: string } | undefined>;
  /** The heartbeat (system events, wake now); absent until it is built. */
  heartbeat(): HeartbeatControl | undefined;
  /** The configured agent ids and the default one. */
  agents(): { ids: readonly string[]; defaultAgentId: string };
  /**
   * An agent's model policy and default provider: a job's `model` (an alias, a bare id or
   * `provider/model`) is resolved and checked against it, its provider taken as `providers` spells it;
   * absent, a job's model must be `provider/model`.
   */
  modelPolicy?:
    | ((agentId: string) => { policy: ModelPolicy; defaultProvider: string; providers?: readonly string[] } | undefined)
    | undefined;
  /** `session.mainKey` (default `main`). */
  mainKey(): string;
  /** The `cron` block's delivery keys. */
  settings(): CronDeliverySettings;
  /** The webhook POST (a test replaces it). */
  postWebhook?: typeof postCronWebhook | undefined;
  now?: (() => number) | undefined;
}

/** A payload's result, with the whole answer to deliver (the summary is only its start). */
export interface Ran {
  result: CronRunResult;
  answer?: string | undefined;
  /** The agent sent the answer itself with the `message` tool. */
  sentByTool?: boolean | undefined;
}

/** The longest summary a run keeps of its answer. */
const SUMMARY_MAX_CHARS = 2000;

/** The session an agent turn runs in, as the reference keys it. */
export function cronSessionKey(job: CronJob, agentId: string, mainKey: string): string {
  const target = job.sessionTarget;
  if (target === "main") return `agent:${agentId}:${mainKey}`;
  if (target.startsWith("session:")) {
    const key = target.slice("session:".length).trim();
    return key.startsWith("agent:") ? key : `agent:${agentId}:${key}`;
  }
  // `isolated` and `current` run detached, in the job's own `cron:<jobId>` session.
  return `agent:${agentId}:cron:${job.id}`;
}

function modelOf(payload: Extract<CronPayload, { kind: "agentTurn" }>): ModelRef | undefined {
  return payload.model ? parseModelRef(payload.model) : undefined;
}

/**
 * A failed run's cause as the reference names it in `lastErrorReason` and alerts: the failover
 * reasons by status and kind, a rejected request (400, 413, 422) as `format`; undefined when unknown.
 */
export function errorReasonOf(outcome: RunOutcome): CronRunResult["errorReason"] {
  if (!outcome.errorKind) return undefined;
  if (outcome.errorKind === "unknown_model") return "model_not_found";
  const reason = failoverReason({ kind: outcome.errorKind, status: outcome.upstreamStatus });
  if (reason) return reason;
  const status = outcome.upstreamStatus;
  return outcome.errorKind === "upstream" && (status === 400 || status === 413 || status === 422)
    ? "format"
    : undefined;
}

function usageOf(outcome: RunOutcome): CronRunResult["usage"] {
  const { input, output } = outcome.usage;
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}

/** Builds the gateway's CronJobRunner. */
export function createCronJobRunner(deps: CronJobRunnerDeps): CronJobRunner {
  const now = deps.now ?? Date.now;
  return async (job, context) => {
    const startedAt = now();
    try {
      // A job left to the reference (its plugins' managed jobs, payload kinds we lack) is skipped
      // when run by hand; the scheduler never runs it (cron_foreign.ts).
      const foreign = foreignJobReason(job);
      if (foreign) return { status: "skipped", error: `cron job not run here: ${foreign}` };
      const agents = deps.agents();
      const agentId = job.agentId ?? agents.defaultAgentId;
      let ran: Ran;
      if (!agents.ids.includes(agentId)) ran = { result: { status: "error", error: `Unknown agent '${agentId}'.` } };
      else if (job.payload.kind === "systemEvent") ran = await systemEvent(deps, job, job.payload.text, agentId);
      else if (job.payload.kind === "agentTurn") ran = await agentTurn(deps, job, job.payload, agentId, context);
      else ran = { result: { status: "error", error: `cron payload kind "${job.payload.kind}" is not supported` } };
      // Stopping: the scheduler does not record this run (the next start reports it interrupted),
      // so nothing is announced, posted or alerted for it now.
      const reason: unknown = context.signal.reason;
      const timedOut = reason instanceof Error && reason.message === TIMEOUT_ERROR;
      if (context.signal.aborted && !timedOut) return ran.result;
      // A timed-out run still delivers its error (on the webhook's own deadline, not the spent signal).
      const signal = timedOut ? new AbortController().signal : context.signal;
      // `last` is the chat of the job's own session: a `session:<key>` target's, else the creating
      // session's (the reference's delivery session key); without one, the agent's main session,
      // which delivery may not inherit implicitly.
      const ownKey = job.sessionTarget.startsWith("session:")
        ? cronSessionKey(job, agentId, deps.mainKey())
        : job.sessionKey?.trim() || undefined;
      const routeKey = ownKey ?? `agent:${agentId}:${deps.mainKey()}`;
      const where = { agentId, routeKey, ownSession: ownKey !== undefined, startedAt, signal };
      const delivered = { ...ran.result, ...await deliverRunResult(deps, job, ran, { ...where, now: now() }) };
      return { ...delivered, ...await notifyFailure(deps, job, delivered, { ...where, now: now() }) };
    } catch (error) {
      return { status: "error", error: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** A main-session job: the text waits for the next heartbeat; wakeMode `now` runs it now. */
async function systemEvent(
  deps: CronJobRunnerDeps,
  job: CronJob,
  text: string,
  agentId: string,
): Promise<Ran> {
  const heartbeat = deps.heartbeat();
  if (!heartbeat) {
    return { result: { status: "error", error: "Cron system event needs the heartbeat, which is not running" } };
  }
  const sessionKey = `agent:${agentId}:${deps.mainKey()}`;
  heartbeat.enqueue({ text, agentId, sessionKey });
  if (job.wakeMode !== "now") return { result: { status: "ok", summary: text, sessionKey } };
  const outcome = await heartbeat.runNow({ reason: `cron:${job.id}`, agentId, sessionKey });
  if (outcome.status === "failed") {
    return { result: { status: "error", error: outcome.reason ?? "heartbeat failed", summary: text, sessionKey } };
  }
  return { result: { status: "ok", summary: text, sessionKey } };
}

/** A job model the policy refused, in the reference's words (the allowed entries listed sorted). */
function cronModelRejection(raw: string, error: string, policy: ModelPolicy): string {
  if (!error.startsWith("model not allowed:")) return `automation model override '${raw}' rejected: ${error}`;
  const listed = policy.entries.length > 0 ? [...policy.entries].sort().join(", ") : "(none configured)";
  return `automation model override '${raw}' rejected by ${policy.configPath ?? DEFAULT_POLICY_PATH}: ` +
    `${error.slice(18).trim()} is not in [${listed}]`;
}

/** An agent turn in the job's session; an isolated (or current) job gets a fresh session each run. */
async function agentTurn(
  deps: CronJobRunnerDeps,
  job: CronJob,
  payload: Extract<CronPayload, { kind: "agentTurn" }>,
  agentId: string,
  context: { runId: string; signal: AbortSignal },
): Promise<Ran> {
  const sessionKey = cronSessionKey(job, agentId, deps.mainKey());
  if (job.sessionTarget === "isolated" || job.sessionTarget === "current") {
    await deps.resetSession(sessionKey, agentId);
  }
  // Stopped or timed out meanwhile: a turn started now would never see the abort.
  if (context.signal.aborted) return { result: { status: "error", error: "run aborted", sessionKey } };
  const scope = payload.model?.trim() ? deps.modelPolicy?.(agentId) : undefined;
  const chosen = scope ? resolveAllowedModel(scope.policy, payload.model!, scope.defaultProvider) : undefined;
  if (chosen && "error" in chosen) {
    return {
      result: {
        status: "error",
        error: cronModelRejection(payload.model!.trim(), chosen.error, scope!.policy),
        sessionKey,
      },
    };
  }
  // The policy lowercases the provider; the run looks it up by the id the config declares.
  const model = chosen
    ? {
      ...chosen.ref,
      provider: configuredProvider(scope!.providers ?? [], chosen.ref.provider) ?? chosen.ref.provider,
    }
    : modelOf(payload);
  if (payload.model && !model) {
    return { result: { status: "error", error: `Invalid model "${payload.model}": use "provider/model"`, sessionKey } };
  }
  const fallbacks = payload.fallbacks?.map(parseModelRef).filter((ref): ref is ModelRef => ref !== undefined);
  const runId = `cron:${job.id}:${context.runId}`;
  // An explicit announce target is the run's chat: the message tool sends there by default.
  const delivery = job.delivery;
  const origin = delivery?.mode === "announce" && delivery.channel && delivery.channel !== "last" && delivery.to
    ? { channel: delivery.channel, to: delivery.to, accountId: delivery.accountId }
    : undefined;
  const started = deps.runs.start({
    origin,
    // That chat is where the job answers, not where its session talks: `last` stays the session's own.
    recordRoute: origin ? false : undefined,
    agentId,
    sessionKey,
    message: payload.message,
    idempotencyKey: runId,
    model,
    fallbacks,
    thinking: payload.thinking,
    timeoutMs: payload.timeoutSeconds ? Math.round(payload.timeoutSeconds * 1000) : undefined,
    toolsAllow: payload.toolsAllow && !payload.toolsAllow.includes("*") ? payload.toolsAllow : undefined,
    lightContext: payload.lightContext,
    systemEvent: true,
  });
  if (started.kind === "in_flight") {
    return { result: { status: "skipped", error: "a run of this job is already in progress", sessionKey } };
  }
  const abort = () => deps.runs.abort({ runId });
  context.signal.addEventListener("abort", abort, { once: true });
  let outcome: RunOutcome;
  try {
    outcome = started.kind === "done" ? started.outcome : await started.done;
  } finally {
    context.signal.removeEventListener("abort", abort);
  }
  const base: CronRunResult = {
    status: outcome.status === "ok" ? "ok" : "error",
    sessionKey,
    sessionId: outcome.sessionId ?? undefined,
    provider: outcome.provider ?? undefined,
    model: outcome.model ?? undefined,
    usage: usageOf(outcome),
  };
  if (outcome.status !== "ok") {
    const error = outcome.error ?? (outcome.status === "aborted" ? "run aborted" : "run failed");
    return { result: { ...base, error, errorReason: errorReasonOf(outcome) } };
  }
  // The message tool already sent the answer to a chat: the fallback announce is skipped.
  const sentByTool = outcome.successfulToolNames?.includes("message") === true;
  return {
    result: { ...base, summary: outcome.text.slice(0, SUMMARY_MAX_CHARS) },
    answer: outcome.text,
    sentByTool,
  };
}
