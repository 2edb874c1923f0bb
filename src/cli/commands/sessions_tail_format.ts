// One line of `openclaw sessions tail` per trajectory event, in the reference's words: `HH:MM:SS`
// (UTC), the event type in 16 cells, the session key (or id) in 30, then a redacted preview (tool
// arguments are never shown; a model completion says how the run ended).
import { visibleWidth } from "../table.ts";
import { sanitizeTerminalText } from "./nodes_format.ts";

const TYPE_CELLS = 16;
const KEY_CELLS = 30;
const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
const TIMEOUT_PHASES = new Set(["queue", "preflight", "provider", "post_turn", "gateway_draining"]);
const HARD_TIMEOUT_PHASES = new Set(["preflight", "provider", "post_turn"]);

type Data = Record<string, unknown> | undefined;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** `text` cut to `width` cells with `…` when longer, padded with spaces when shorter. */
export function formatTextCell(value: string, width: number): string {
  let fitted = value;
  if (visibleWidth(value) > width) {
    fitted = "";
    for (const { segment } of segmenter.segment(value)) {
      if (visibleWidth(fitted + segment) > width - 1) break;
      fitted += segment;
    }
    fitted += "…";
  }
  return fitted + " ".repeat(Math.max(0, width - visibleWidth(fitted)));
}

function timestamp(ts: unknown): string {
  const date = new Date(ts as string | number);
  return Number.isNaN(date.getTime()) ? "--:--:--" : date.toISOString().slice(11, 19);
}

function toolName(data: Data): string {
  return text(data?.name) ?? text(data?.toolName) ?? "tool";
}

function resultStatus(data: Data): string {
  if (data?.success === true) return "ok";
  if (data?.success === false || data?.isError === true) return "error";
  return text(data?.status) ?? "done";
}

/** How a run ended, as the reference classifies a completion's lifecycle fields. */
function runOutcome(data: Data): "success" | "failure" | "timeout" | "cancellation" {
  const stopReason = data?.timedOut === true ? "timeout" : text(data?.stopReason);
  const phase = typeof data?.timeoutPhase === "string" && TIMEOUT_PHASES.has(data.timeoutPhase.trim())
    ? data.timeoutPhase.trim()
    : undefined;
  const lifecycle = text(data?.status)?.toLowerCase();
  const timedOut = stopReason === "timeout" || phase !== undefined || lifecycle === "timeout" ||
    lifecycle === "timed_out";
  const aborted = data?.aborted === true || lifecycle === "aborted";
  const cancellation = lifecycle === "cancelled" || lifecycle === "canceled" || lifecycle === "aborted" ||
    lifecycle === "superseded";
  const cancelled = cancellation || aborted;
  const failed = lifecycle === "error" || lifecycle === "failed" || stopReason === "error";
  const abortReason = (s: string | undefined) => s === "aborted" || s === "restart";
  const cancelReason = (s: string | undefined) => s === "rpc" || s === "stop";
  const stop = !timedOut && cancelled && !abortReason(stopReason) && !cancelReason(stopReason) &&
      stopReason !== "superseded" && (stopReason === undefined || cancellation)
    ? (aborted ? "aborted" : "stop")
    : stopReason;
  const status = timedOut ? "timeout" : cancelled || failed ? "error" : "ok";
  const liveness = text(data?.livenessState)?.toLowerCase();
  const restart = stop === "restart";
  const hardTimeout = (phase !== undefined && HARD_TIMEOUT_PHASES.has(phase)) ||
    (!restart && status === "timeout" && data?.providerStarted === true);
  if (hardTimeout) return "timeout";
  if (stop === "superseded") return "cancellation";
  if (liveness === "blocked") return "failure";
  if (abortReason(stop) && !restart) return "cancellation";
  if (restart || (status !== "ok" && cancelReason(stop))) return "cancellation";
  if (liveness === "abandoned") return "failure";
  if (status === "timeout") return "timeout";
  return status === "error" ? "failure" : "success";
}

function completionStatus(data: Data): string {
  const outcome = runOutcome(data);
  if (outcome === "success") {
    return data?.promptError || data?.promptErrorSource || data?.terminalError ? "error" : "done";
  }
  return { failure: "error", timeout: "timeout", cancellation: "aborted" }[outcome];
}

function preview(event: Record<string, unknown>): string {
  const data = typeof event.data === "object" && event.data !== null
    ? event.data as Record<string, unknown>
    : undefined;
  switch (event.type) {
    case "session.started":
      return "session started";
    case "context.compiled":
      return Array.isArray(data?.tools) ? `context compiled (${data.tools.length} tools)` : "context compiled";
    case "prompt.submitted":
      return "prompt submitted";
    case "prompt.skipped": {
      const reason = text(data?.reason);
      return `prompt skipped${reason ? `: ${reason}` : ""}`;
    }
    case "tool.call":
      return `${toolName(data)} {...redacted...}`;
    case "tool.timeout":
      return `${toolName(data)} timeout`;
    case "tool.result":
      return `${toolName(data)} ${resultStatus(data)}`;
    case "model.completed": {
      const model = [event.provider, event.modelId].map((v) => typeof v === "string" ? v.trim() : "")
        .filter(Boolean).join("/");
      const status = completionStatus(data);
      return model ? `${model} ${status}` : status;
    }
    case "session.ended":
      return text(data?.status) ?? "ended";
    case "trace.truncated":
      return "trajectory truncated";
    default:
      return text(data?.status) ?? text(data?.name) ?? "";
  }
}

/** The progress line of one event. */
export function formatProgressLine(event: Record<string, unknown>): string {
  const key = String(event.sessionKey ?? event.sessionId);
  return [
    timestamp(event.ts),
    formatTextCell(sanitizeTerminalText(String(event.type)), TYPE_CELLS),
    formatTextCell(sanitizeTerminalText(key), KEY_CELLS),
    preview(event),
  ].join(" ").trimEnd();
}
