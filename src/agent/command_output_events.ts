// The `command_output` stream of a shell tool's call (`exec`, `bash`), as the reference sends it beside the call's
// `tool` and `item` events: its live output while it runs (`delta`, at most one per 250 ms with the call's own
// update) and its end (`end`: the output, status, exit code, duration and directory). Clients show it as the
// command's output panel.
import type { ToolItemStatus } from "./tool_events.ts";
import { truncateUtf16Safe } from "../text/utf16_slice.ts";

/** The reference's shortest gap between two live updates of one shell call (`LIVE_EXEC_UPDATE_MIN_INTERVAL_MS`). */
export const LIVE_EXEC_UPDATE_MIN_INTERVAL_MS = 250;

/** The most live output a `command_output` event carries before it is cut, as the reference cuts it. */
const LIVE_EXEC_OUTPUT_MAX_CHARS = 8000;

/** Whether a tool is a shell tool whose calls have a `command_output` stream. */
export function isShellTool(name: string): boolean {
  return name === "exec" || name === "bash";
}

/** A call's result as its events carry it: text blocks and details. */
interface ResultView {
  content?: unknown;
  details?: unknown;
}

/** The command's output so far, as the reference reads it: the details' `aggregated`, else the text blocks trimmed. */
function liveOutput(result: ResultView): string | undefined {
  const details = result.details as Record<string, unknown> | undefined;
  let output: string | undefined;
  if (typeof details?.status === "string" && "aggregated" in details) {
    output = typeof details.aggregated === "string" ? details.aggregated : undefined;
  } else {
    const blocks = Array.isArray(result.content) ? result.content as { type?: string; text?: unknown }[] : [];
    const texts = blocks.flatMap((b) => b.type === "text" && typeof b.text === "string" ? [b.text.trim()] : [])
      .filter(Boolean);
    output = texts.length > 0 ? texts.join("\n") : undefined;
  }
  if (output === undefined || output.length <= LIVE_EXEC_OUTPUT_MAX_CHARS) return output;
  return `${truncateUtf16Safe(output, LIVE_EXEC_OUTPUT_MAX_CHARS)}\n...(live output truncated)...`;
}

/** The panel's title: `command <detail>`, or `<tool> command` without one. */
function commandTitle(name: string, meta: string | undefined): string {
  return meta ? `command ${meta}` : `${name} command`;
}

/** `command_output` phase delta: the output so far of a running call (none when it printed nothing yet). */
export function commandOutputDelta(
  call: { id: string; name: string },
  meta: string | undefined,
  partial: ResultView,
): Record<string, unknown> | undefined {
  const output = liveOutput(partial);
  if (!output) return undefined;
  const title = commandTitle(call.name, meta);
  return {
    itemId: `command:${call.id}`,
    phase: "delta",
    title,
    toolCallId: call.id,
    name: call.name,
    output,
    status: "running",
  };
}

/**
 * `command_output` phase end: the call's output, its status (`failed`, or `blocked` for a call refused before it
 * ran) and what its details say of the process. None for a call waiting on an approval (the reference sends an
 * `approval` event instead).
 */
export function commandOutputEnd(
  call: { id: string; name: string },
  meta: string | undefined,
  result: ResultView,
  ended: { isError: boolean; executed: boolean },
): Record<string, unknown> | undefined {
  const details = (result.details ?? {}) as Record<string, unknown>;
  if (details.status === "approval-pending" || details.status === "approval-unavailable") return undefined;
  const output = liveOutput(result);
  const status: ToolItemStatus = details.status === "failed" || ended.isError
    ? ended.executed ? "failed" : "blocked"
    : "completed";
  const durationMs = details.durationMs;
  return {
    itemId: `command:${call.id}`,
    phase: "end",
    title: commandTitle(call.name, meta),
    toolCallId: call.id,
    name: call.name,
    ...(output ? { output } : {}),
    status,
    ...("exitCode" in details ? { exitCode: details.exitCode } : {}),
    ...(typeof durationMs === "number" && Number.isFinite(durationMs) && durationMs >= 0 ? { durationMs } : {}),
    ...(typeof details.cwd === "string" ? { cwd: details.cwd } : {}),
  };
}
