// What a chat is told when a model call fails, in the reference's user copy (its failover copy tables and its
// classified request-failure line), so the Control UI, the TUI and the run's lifecycle events read as the reference's.
// Recorded: a 503 "overloaded", a 429 with its provider words, a dropped connection, a 400 and a 500
// (tests/fixtures/run_retries, run_status). Pure; the run's own message (HTTP answers, logs) is left as it is.
import { failoverReason } from "./failover_policy.ts";
import { RUN_TIMEOUT_TEXT, type RunError } from "./run_error.ts";
import { ToolLoopStopped } from "./tool_loop_stopped.ts";

const OVERLOADED = "The AI service is temporarily overloaded. Please try again in a moment.";
const MODEL_AT_CAPACITY = "⚠️ Selected model is at capacity. Try a different model, or wait and retry.";
const RATE_LIMITED = "⚠️ API rate limit reached. Please try again later.";
const TIMED_OUT = "LLM request timed out.";
const CONNECTION_REFUSED = "LLM request failed: connection refused by the provider endpoint.";
const NETWORK_ERROR = "LLM request failed: network connection error.";
const SCHEMA_REJECTED = "LLM request failed: provider rejected the request schema or tool payload.";
const AUTH_INVALID_TOKEN = "Authentication failed (provider returned HTTP 401). Your provider token may have expired " +
  "— try the request again in a moment. If the failure persists, re-authenticate this provider.";
const RATE_LIMIT_RETRY = "⚠️ The model request was rate-limited. Please try again in a few minutes.";
const ALL_RATE_LIMITED = "⚠️ All attempted models were rate-limited or overloaded. Please try again in a few minutes.";
const LOG_HINT = "To view logs, run `openclaw logs --follow` in a terminal.";
const MODEL_NOT_FOUND =
  "The selected model was not found by the provider. Check the model id or choose a different model.";

const AT_CAPACITY = /\b(?:selected\s+)?model\s+(?:is\s+)?at capacity\b/i;
/** A rate limit's own words worth showing: a wait, a reset, a plan or quota. */
const RATE_LIMIT_HINT = /\bmin(ute)?s?\b|\bhours?\b|\bseconds?\b|\btry again in\b|\bresets?\b|\bplan\b|\bquota\b/i;
const LEADING_STATUS = /^(?:http\s*)?(\d{3})(?:\s*:\s*|\s+)([\s\S]*)$/i;
const OUTPUT_TOKEN_LIMIT =
  /^['"]?max_(?:tokens|output_tokens|completion_tokens|new_tokens)['"]?\s*(?:[:=]\s*)?\(?(\d[\d,]*)\)?\s+exceeds?\b.{0,120}?\b(?:maximum|max|limit)\b(?:\s+(?:output\s+)?tokens?)?(?:\s+(?:is|of)|\s*[:=])?\s*\(?(\d[\d,]*)\)?(?:\D|$)/i;
const CACHE_CONTROL_LIMIT = /^A maximum of (\d{1,6}) blocks with cache_control may be provided\. Found (\d{1,6})\.$/i;

/** The classified request-failure line's reason words, by failover reason. */
const REASON_WORDS: Record<string, string> = {
  auth: "authentication failed",
  format: "request format rejected",
  "rate_limit": "rate limited",
  overloaded: "provider overloaded",
  billing: "provider billing issue",
  "server_error": "provider internal error",
  timeout: "request timed out",
  "model_not_found": "model not found",
};

/** The provider's message without the status our detail starts with ("503 Service Unavailable" → "Service …"). */
function providerWords(detail: string | undefined): string {
  const text = detail?.trim() ?? "";
  return LEADING_STATUS.exec(text)?.[2]?.trim() ?? text;
}

/** A 400's copy: the two limits the reference names, else the schema rejection. */
function formatCopy(words: string): string {
  const cache = CACHE_CONTROL_LIMIT.exec(words);
  if (cache) {
    return `LLM request rejected: provider allows at most ${cache[1]} cache_control blocks; the request contained ${
      cache[2]
    }.`;
  }
  const limit = words.length <= 300 ? OUTPUT_TOKEN_LIMIT.exec(words) : null;
  if (limit) {
    return `LLM request rejected: configured maxTokens is ${limit[1]}, above the provider maximum of ${limit[2]}. ` +
      "Lower maxTokens and try again.";
  }
  return SCHEMA_REJECTED;
}

/** The reference's classified line: the model, why, the status, and what to do. */
function requestFailureLine(
  model: { provider: string; model: string } | undefined,
  reason: string | undefined,
  status: number | undefined,
): string {
  const target = model ? `${model.provider}/${model.model}` : undefined;
  const normalized = reason === "timeout" && status !== undefined && status >= 500 ? "server_error" : reason;
  const details = [normalized ? REASON_WORDS[normalized] : undefined, status ? `HTTP ${status}` : undefined]
    .filter(Boolean);
  const summary = `⚠️ ${target ? `${target} request failed` : "LLM request failed"}${
    details.length > 0 ? ` (${details.join(", ")})` : ""
  }.`;
  if (["overloaded", "server_error", "timeout", "rate_limit"].includes(normalized ?? "")) {
    return `${summary} This is usually temporary — try again shortly.`;
  }
  if (normalized === "auth") return `${summary} Re-authenticate the provider and try again.`;
  if (normalized === "billing") {
    return `${summary} Check ${model ? `${model.provider} billing` : "provider billing"} and try again.`;
  }
  return summary;
}

/**
 * The words a chat shows for a failed model call (`model` the one that failed): the reference's copy for a provider's
 * refusal or a broken connection; any other failure (the loop guard's stop, the run's deadline, the store, a config
 * refusal) keeps the run's own message, which is already the reference's or this gateway's only account.
 */
export function failureCopy(error: RunError, model: { provider: string; model: string } | undefined): string {
  const words = providerWords(error.providerDetail);
  if (error.kind === "timeout") return error.message === RUN_TIMEOUT_TEXT ? error.message : TIMED_OUT;
  if (error.kind === "unreachable") {
    if (error.providerDetail === "terminated") return TIMED_OUT;
    return /econnrefused|connection refused/i.test(String((error.cause as Error | undefined)?.message ?? ""))
      ? CONNECTION_REFUSED
      : NETWORK_ERROR;
  }
  if (error.kind !== "upstream") return error.message;
  const status = error.status;
  const reason = status === 400 || status === 422 ? "format" : failoverReason(error);
  if (reason === "overloaded") return AT_CAPACITY.test(words) ? MODEL_AT_CAPACITY : OVERLOADED;
  if (reason === "rate_limit") {
    if (AT_CAPACITY.test(words)) return MODEL_AT_CAPACITY;
    const shown = words.trim();
    const fit = shown && RATE_LIMIT_HINT.test(shown) && shown.length <= 300 && !/^(?:\{|<!doctype\s+html\b|<html\b)/i
      .test(shown);
    return fit ? `⚠️ ${shown}` : RATE_LIMITED;
  }
  if (reason === "format") return formatCopy(words);
  if (status === 401) return AUTH_INVALID_TOKEN;
  if (reason === "model_not_found") return MODEL_NOT_FOUND;
  if (reason === "billing") return billingCopy(model);
  return requestFailureLine(model, reason, status);
}

/** The reference's billing line, naming the provider and model when known. */
function billingCopy(model: { provider: string; model: string } | undefined): string {
  const label = model ? `${model.provider} (${model.model})` : "API provider";
  const where = model ? model.provider : "provider's";
  return `⚠️ ${label} returned a billing error — your API key has run out of credits or has an insufficient balance. ` +
    `Check your ${where} billing dashboard and top up or switch to a different API key.`;
}

/**
 * The reply a `chat.send` run that failed before answering gets, as the reference's runner words it for the Control
 * UI (its second chat `error`, after the run's own): an overload, a rate limit or a billing failure (of the failure, or
 * of every model the run tried) in its summary words; the run's deadline in its timeout words; anything else as "⚠️
 * Agent failed before reply: …" with the hint to read the logs. None for a stop, nor for the loop guard's stop (the
 * reference answers that turn with the guard's words).
 */
export function replyFailureText(
  error: RunError,
  shown: string,
  attempts: readonly { provider: string; model: string; result: string; reason?: string | undefined }[],
): string | undefined {
  if (error.kind === "aborted" || error.cause instanceof ToolLoopStopped) return undefined;
  if (error.kind === "timeout" && error.message === RUN_TIMEOUT_TEXT) return RUN_TIMEOUT_TEXT;
  const failed = attempts.filter((a) => a.result !== "success");
  const busy = (a: { reason?: string | undefined }) => a.reason === "rate_limit" || a.reason === "overloaded";
  const kind = failed.length === 0
    ? (error.kind === "upstream" ? failoverReason(error) : undefined)
    : failed.some((a) => a.reason === "billing")
    ? "billing"
    : failed.every((a) => a.reason === "overloaded")
    ? "overloaded"
    : failed.every(busy)
    ? "rate_limit"
    : undefined;
  if (kind === "billing") return billingCopy(undefined);
  if (kind === "overloaded") {
    return AT_CAPACITY.test(providerWords(error.providerDetail)) ? MODEL_AT_CAPACITY : OVERLOADED;
  }
  if (kind === "rate_limit") {
    return new Set(failed.map((a) => `${a.provider}/${a.model}`)).size > 1 ? ALL_RATE_LIMITED : RATE_LIMIT_RETRY;
  }
  return `⚠️ Agent failed before reply: ${shown.trim().replace(/\.\s*$/, "")}.\n${LOG_HINT}`;
}
