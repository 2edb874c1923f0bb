// How a failed run is reported to clients, as the reference reports it: the chat `error` event's `errorKind`
// (only the kinds clients act on) and `errorDetail` (the failed model and why it failed), and whether
// `agent.wait` carries a `terminalReply` (a run that ended its turn: the loop guard's stop, its deadline; not a
// model call that failed, nor an abort). Recorded in tests/fixtures/run_failures, loop_detection and run_deadline.
import { failoverReason } from "./failover_policy.ts";
import type { RunError } from "./run_error.ts";
import { ToolLoopStopped } from "./tool_loop_stopped.ts";

/** The chat `error` event's `errorDetail`: the model whose call failed and how the reference classes it. */
export interface ChatErrorDetail {
  provider: string;
  model: string;
  failoverReason?: string | undefined;
  providerRuntimeFailureKind?: string | undefined;
}

/** What clients are told of a failed run beyond its message. */
export interface RunFailureReport {
  errorKind?: "timeout" | "rate_limit" | undefined;
  errorDetail?: ChatErrorDetail | undefined;
  /** Whether `agent.wait` reports the run's `terminalReply`. */
  terminalReply: boolean;
}

/** The reference's failover reason and runtime failure class of a provider's refusal, where recorded. */
function providerFailure(error: RunError): { failoverReason?: string; providerRuntimeFailureKind?: string } {
  // A dropped connection or the provider's own timeout: the reference's `timeout` of both kinds.
  if (error.kind === "unreachable" || error.kind === "timeout") {
    return { failoverReason: "timeout", providerRuntimeFailureKind: "timeout" };
  }
  if (error.kind !== "upstream") return {};
  if (error.status === 400) return { failoverReason: "format", providerRuntimeFailureKind: "schema" };
  const reason = failoverReason(error);
  if (reason === "rate_limit" || reason === "model_not_found") {
    return { failoverReason: reason, providerRuntimeFailureKind: reason };
  }
  // The provider failing on its side is a transport `timeout` to the reference (recorded for 500 and 503).
  if (reason === "overloaded" || reason === "server_error" || reason === "timeout") {
    return { failoverReason: reason, providerRuntimeFailureKind: "timeout" };
  }
  return reason ? { failoverReason: reason } : {};
}

/**
 * The report of `error`, the run's last model being `model` (none when no model was asked): a stop by the loop
 * guard is `unclassified` with no kind; a provider's refusal names the model and its class, a rate limit is the
 * `rate_limit` kind; the run's deadline is the `timeout` kind without detail.
 */
export function runFailureReport(
  error: RunError,
  model: { provider: string; model: string } | undefined,
): RunFailureReport {
  if (error.kind === "timeout") return { errorKind: "timeout", terminalReply: true };
  if (error.cause instanceof ToolLoopStopped) {
    const errorDetail = model ? { ...model, providerRuntimeFailureKind: "unclassified" } : undefined;
    return { errorDetail, terminalReply: true };
  }
  const failure = providerFailure(error);
  const reason = error.kind === "upstream" ? failoverReason(error) : undefined;
  const errorKind = reason === "rate_limit" || reason === "overloaded" ? "rate_limit" as const : undefined;
  const errorDetail = model && (error.kind === "upstream" || error.kind === "unreachable")
    ? { ...model, ...failure }
    : undefined;
  return { errorKind, errorDetail, terminalReply: false };
}

/** How a failed model call that is retried is classed in its attempt's lifecycle `finishing` (`errorObservation`). */
export function attemptObservation(
  error: RunError,
  model: { provider: string; model: string },
): ChatErrorDetail {
  return { ...model, ...providerFailure(error) };
}
