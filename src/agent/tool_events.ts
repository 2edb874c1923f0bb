// The `agent` event payloads of a tool call, as the reference sends them: the `tool` stream
// (start/update/result, for clients that asked for tool events) and the `item` stream's activity
// entry (start/update/end, shown as the run's progress).
import { redactToolContent, redactToolPayload } from "../log/tool_payload_redact.ts";
import type { ToolResult } from "./tool.ts";
import type { RunningToolCall } from "./tool_loop.ts";

/** How a tool call ended, as the `item` stream's `status` says it. */
export type ToolItemStatus = "completed" | "failed" | "blocked";

/** Whether a call runs a command line (a shell tool, or any tool given a `command`), as clients mark it. */
export function commandBearing(call: RunningToolCall): boolean {
  if (["bash", "exec", "shell"].includes(call.name.toLowerCase())) return true;
  return typeof call.args.command === "string" && call.args.command.trim() !== "";
}

/** `tool` stream, phase start. */
export function toolStartData(call: RunningToolCall): Record<string, unknown> {
  return { phase: "start", name: call.name, toolCallId: call.id, ...parent(call), args: redactToolPayload(call.args) };
}

/** `tool` stream, phase update: a running tool's partial output. */
export function toolUpdateData(call: RunningToolCall, partial: ToolResult): Record<string, unknown> {
  return { phase: "update", name: call.name, toolCallId: call.id, ...parent(call), partialResult: resultView(partial) };
}

/** A nested call's parent, named after its own id as the reference's `tool` events name it. */
function parent(call: RunningToolCall): { parentToolCallId?: string } {
  return call.parentToolCallId !== undefined ? { parentToolCallId: call.parentToolCallId } : {};
}

/** `tool` stream, phase result: what the model gets, and whether it is an error; `meta` is the call's detail. */
export function toolResultData(
  call: RunningToolCall,
  result: ToolResult,
  isError: boolean,
  meta: string | undefined,
): Record<string, unknown> {
  return {
    phase: "result",
    name: call.name,
    toolCallId: call.id,
    ...parent(call),
    ...(meta ? { meta } : {}),
    isError,
    commandBearing: commandBearing(call),
    result: resultView(result),
  };
}

/**
 * A result as events carry it: content and details (the error flag travels beside it), with
 * credentials masked and image bytes dropped (the model and the transcript keep them).
 */
function resultView(result: ToolResult): Record<string, unknown> {
  return { content: redactToolContent(result.content), details: redactToolPayload(result.details ?? {}) };
}

/** How clients name a call: the `item` title (`Read from notes.txt`) and the detail alone (`from notes.txt`). */
export interface ToolCallDisplay {
  title: string;
  meta?: string | undefined;
}

/** A line of error text as an item shows it: its first line, cut past 400 characters. */
function errorLine(text: string): string | undefined {
  const first = text.trimStart().split(/\r?\n/, 1)[0]?.trim();
  if (!first) return undefined;
  return first.length > 400 ? `${first.slice(0, 400)}…` : first;
}

function errorCandidate(value: unknown): string | undefined {
  if (typeof value === "string") return errorLine(value);
  const record = value !== null && typeof value === "object" ? value as Record<string, unknown> : undefined;
  if (typeof record?.message === "string") return errorLine(record.message);
  if (typeof record?.error === "string") return errorLine(record.error);
  return undefined;
}

function directError(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  return errorCandidate(record.error) ?? errorCandidate(record.message) ?? errorCandidate(record.reason);
}

/**
 * What a failed call's item says went wrong, found as the reference finds it: the details' `error` (`message`,
 * `reason`), the details' `aggregated` output, the `error` of JSON text, an error-like `status`, else the text's
 * first line.
 */
export function toolErrorMessage(result: ToolResult): string | undefined {
  const details = result.details;
  const direct = directError(details) ?? errorCandidate(details?.aggregated);
  if (direct) return direct;
  const text = result.content.map((c) => c.type === "text" ? c.text : "").join("");
  try {
    const fromJson = directError(JSON.parse(text));
    if (fromJson) return fromJson;
  } catch {
    // Not JSON: the text itself says it.
  }
  const status = typeof details?.status === "string" ? details.status.trim() : "";
  if (
    status && !/^(0|ok|success|completed|running)$/i.test(status) &&
    /error|fail|timeout|timed[_\s-]?out|denied|cancel|invalid|forbidden/i.test(status)
  ) {
    return errorLine(status);
  }
  return errorLine(text);
}

/** `item` stream: the activity entry of a tool call, started, updated (it streamed output) or ended. */
export function toolItemData(
  call: RunningToolCall,
  display: ToolCallDisplay,
  state:
    | { phase: "start"; startedAt: number }
    | { phase: "update" }
    | { phase: "end"; startedAt: number; endedAt: number; status: ToolItemStatus; error?: string | undefined },
): Record<string, unknown> {
  const base = { itemId: `tool:${call.id}`, toolCallId: call.id, name: call.name, kind: "tool", phase: state.phase };
  const meta = display.meta ? { meta: display.meta } : {};
  if (state.phase === "update") {
    return { ...base, title: display.title, status: "running", ...meta, commandBearing: commandBearing(call) };
  }
  if (state.phase === "start") {
    return {
      ...base,
      title: display.title,
      status: "running",
      ...meta,
      commandBearing: commandBearing(call),
      startedAt: state.startedAt,
    };
  }
  return {
    ...base,
    title: display.title,
    status: state.status,
    ...meta,
    commandBearing: commandBearing(call),
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    ...(state.error !== undefined ? { error: redactToolPayload(state.error) } : {}),
  };
}
