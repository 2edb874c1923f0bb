// The model-fallback notice, as the reference words it and decides it (its auto-reply fallback state): shown once
// when a session's answers start coming from a fallback model, and once when its selected model answers again. The
// state is the session entry's `fallbackNotice`, shared with the reference. Pure: no I/O, no clock.
import type { FallbackNoticeState } from "../sessions/fallback_notice_state.ts";

/** A failed model of a run, as the reference's `fallback` event lists it. */
export interface FallbackAttempt {
  provider: string;
  model: string;
  /** The provider's account of the failure ("503 Service Unavailable"). */
  error?: string | undefined;
  /** Why it failed over, in the reference's words (`overloaded`, `rate_limit`, …). */
  reason?: string | undefined;
  status?: number | undefined;
}

/** What a finished run changes: the event and notice to send (if any) and the session's next notice state. */
export interface FallbackTransition {
  /** The agent `lifecycle` event's data (`fallback` or `fallback_cleared`); absent when nothing changed. */
  event?: Record<string, unknown>;
  /** The notice's words, for a chat that shows it. */
  notice?: string;
  /** The entry's next `fallbackNotice` (undefined: none), when it changes. */
  next?: { state: FallbackNoticeState | undefined };
}

const REASON_PART_MAX = 80;
/** Reasons whose provider words say more than the reason (a wait, a status). */
const TRANSIENT = new Set([
  "rate_limit",
  "overloaded",
  "timeout",
  "empty_response",
  "no_error_details",
  "unclassified",
]);
const TRANSIENT_DETAIL =
  /\b(?:429|5\d\d|too many requests|usage limit|quota|try again in|retry[- ]after|seconds?|minutes?|hours?|temporarily unavailable|overloaded|service unavailable|throttl\w*)\b/i;
/** `503 Service Unavailable`, `HTTP 429: …`: a leading status and the rest. */
const STATUS_PREFIX = /^(?:http\s*)?(\d{3})(?:\s*:\s*|\s+)(.+)$/is;
/** Statuses a CDN's error page stands for (Cloudflare's 52x). */
const CDN_STATUSES = new Set([521, 522, 523, 524, 525]);
const HTML_PAGE = /^\s*(?:<!doctype\s+html\b|<html\b)/i;

function truncatePart(text: string, max = REASON_PART_MAX): string {
  const single = text.replace(/\s+/g, " ").trim();
  return single.length <= max ? single : `${single.slice(0, max - 1).trimEnd()}…`;
}

/** A provider's raw error as the reference's chat shows it ("503 Service Unavailable" → "HTTP 503: Service Unavailable"). */
export function providerErrorForUi(raw: string): string {
  const trimmed = raw.trim();
  if (!trimmed) return "LLM request failed with an unknown error.";
  const status = STATUS_PREFIX.exec(trimmed);
  const code = status ? Number(status[1]) : undefined;
  const rest = status?.[2]?.trim() ?? "";
  if (code !== undefined && code >= 500 && code < 600 && (CDN_STATUSES.has(code) || HTML_PAGE.test(rest))) {
    return `The AI service is temporarily unavailable (HTTP ${code}). Please try again in a moment.`;
  }
  if (code !== undefined && code >= 100 && code < 600 && !rest.startsWith("{")) return `HTTP ${code}: ${rest}`;
  return trimmed.length > 600 ? `${trimmed.slice(0, 600)}…` : trimmed;
}

/** Why one attempt failed, in a notice: the provider's words for a transient failure, else its reason or status. */
function attemptReason(attempt: FallbackAttempt): string {
  const raw = attempt.error?.trim();
  if (raw && attempt.reason && TRANSIENT.has(attempt.reason) && TRANSIENT_DETAIL.test(raw)) {
    const shown = providerErrorForUi(raw).replace(/^⚠️\s*/, "").replace(/\s+/g, " ").trim();
    if (shown && !/unknown error/i.test(shown)) return shown;
  }
  if (attempt.reason?.trim()) return attempt.reason.trim().replace(/_/g, " ");
  if (typeof attempt.status === "number") return `HTTP ${attempt.status}`;
  return truncatePart(attempt.error || "error");
}

/** The first failure's reason, with how many more failed: the `fallback` event's `reasonSummary`. */
export function fallbackReasonSummary(attempts: readonly FallbackAttempt[]): string {
  const first = attempts[0] ? attemptReason(attempts[0]) : "selected model unavailable";
  const more = attempts.length > 1 ? ` (+${attempts.length - 1} more attempts)` : "";
  return `${truncatePart(first)}${more}`;
}

/** Each failure as `provider/model reason`: the `fallback` event's `attemptSummaries`. */
export function fallbackAttemptSummaries(attempts: readonly FallbackAttempt[]): string[] {
  return attempts.map((a) => truncatePart(`${a.provider}/${a.model} ${attemptReason(a)}`));
}

/**
 * What a run that answered changes, as the reference decides it: a session moving onto a fallback model (or another
 * one) gets the `fallback` event and notice; one whose selected model answers after a fallback gets
 * `fallback_cleared` and its notice; otherwise nothing is sent, and the state changes only when its words do.
 */
export function fallbackTransition(input: {
  selected: { provider: string; model: string };
  active: { provider: string; model: string };
  attempts: readonly FallbackAttempt[];
  state: FallbackNoticeState | undefined;
}): FallbackTransition {
  const selectedRef = `${input.selected.provider}/${input.selected.model}`;
  const activeRef = `${input.active.provider}/${input.active.model}`;
  const previous = input.state;
  const active = selectedRef !== activeRef;
  const reasonSummary = fallbackReasonSummary(input.attempts);
  const nextState: FallbackNoticeState | undefined = active
    ? { kind: "active", selectedModel: selectedRef, activeModel: activeRef, reason: reasonSummary }
    : undefined;
  const changed = previous?.selectedModel !== nextState?.selectedModel ||
    previous?.activeModel !== nextState?.activeModel || previous?.reason !== nextState?.reason;
  const next = changed ? { next: { state: nextState } } : {};
  const transitioned = active && (previous?.selectedModel !== selectedRef || previous?.activeModel !== activeRef);
  if (transitioned) {
    return {
      ...next,
      event: {
        phase: "fallback",
        selectedProvider: input.selected.provider,
        selectedModel: input.selected.model,
        activeProvider: input.active.provider,
        activeModel: input.active.model,
        reasonSummary,
        attemptSummaries: fallbackAttemptSummaries(input.attempts),
        attempts: input.attempts.map((a) => ({ ...a })),
      },
      notice: `↪️ Model Fallback: ${activeRef} (selected ${selectedRef}; ${reasonSummary})`,
    };
  }
  const wasFallback = previous?.selectedModel === selectedRef && previous?.activeModel === activeRef
    ? active
    : Boolean(previous?.selectedModel && previous.activeModel && previous.selectedModel !== previous.activeModel);
  if (!active && wasFallback) {
    const was = previous?.activeModel;
    return {
      ...next,
      event: {
        phase: "fallback_cleared",
        selectedProvider: input.selected.provider,
        selectedModel: input.selected.model,
        activeProvider: input.active.provider,
        activeModel: input.active.model,
        previousActiveModel: was,
      },
      notice: was && was !== selectedRef
        ? `↪️ Model Fallback cleared: ${selectedRef} (was ${was})`
        : `↪️ Model Fallback cleared: ${selectedRef}`,
    };
  }
  return next;
}
