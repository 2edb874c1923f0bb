// A transcript message as the reference stores it in transcript_events.event_json: a `message` entry of
// its session tree ({type, id, parentId, timestamp, message}), the message in the model library's shape.
import { isJsonObject } from "../log/json_object.ts";
import { readStoredWorkContext } from "./work_context.ts";
import {
  NESTED_TOOL_ACTIVITY,
  type NestedToolActivity,
  type ThinkingBlock,
  type TranscriptMessage,
  type TranscriptPart,
} from "./transcript.ts";

/** The first event of every transcript: the session header the reference writes at seq 0. */
export function sessionHeaderEvent(sessionId: string, at: number, cwd?: string): string {
  return JSON.stringify({
    type: "session",
    version: 4,
    id: sessionId,
    timestamp: new Date(at).toISOString(),
    ...(cwd === undefined ? {} : { cwd }),
  });
}

/** One message as the reference's `message` entry; `id` and `parentId` chain the session tree. */
export function messageEvent(message: TranscriptMessage, ids: { id: string; parentId: string | null }): string {
  if (message.role === "custom" && message.nested) return nestedActivityEvent(message, message.nested, ids);
  const body: Record<string, unknown> = { role: message.role };
  if (message.role === "toolResult") {
    body.toolCallId = message.toolCallId;
    body.toolName = message.toolName;
  }
  // Thinking comes first, as the model produced it and the reference stores it.
  body.content = message.thinking?.length ? [...message.thinking, ...message.content] : message.content;
  if (message.role === "toolResult") {
    body.details = message.details ?? {};
    body.isError = message.isError === true;
  }
  if (message.role === "assistant") {
    if (message.api !== undefined) body.api = message.api;
    if (message.provider !== undefined) body.provider = message.provider;
    if (message.model !== undefined) body.model = message.model;
    if (message.usage !== undefined) {
      const { input, output, cacheRead, cacheWrite } = message.usage;
      body.usage = {
        input,
        output,
        ...(cacheRead !== undefined ? { cacheRead } : {}),
        ...(cacheWrite !== undefined ? { cacheWrite } : {}),
        totalTokens: input + output,
      };
    }
    if (message.stopReason !== undefined) body.stopReason = message.stopReason;
  }
  body.timestamp = message.timestamp;
  if (message.responseId !== undefined) body.responseId = message.responseId;
  const meta = {
    ...(message.runId !== undefined ? { runId: message.runId } : {}),
    ...(message.senderIsOwner !== undefined ? { senderIsOwner: message.senderIsOwner } : {}),
    ...(message.workContext ? { workContext: message.workContext } : {}),
  };
  if (Object.keys(meta).length > 0) body.__openclaw = meta;
  return JSON.stringify({
    type: "message",
    id: ids.id,
    parentId: ids.parentId,
    timestamp: new Date(message.timestamp).toISOString(),
    message: body,
  });
}

/** A nested tool call's entry, as the reference's `createNestedToolActivity` makes it (content empty: details hold it). */
function nestedActivityEvent(
  message: TranscriptMessage,
  nested: NestedToolActivity,
  ids: { id: string; parentId: string | null },
): string {
  return JSON.stringify({
    type: "message",
    id: ids.id,
    parentId: ids.parentId,
    timestamp: new Date(message.timestamp).toISOString(),
    message: {
      role: "custom",
      customType: NESTED_TOOL_ACTIVITY,
      display: true,
      excludeFromContext: true,
      content: "",
      details: nested,
      timestamp: message.timestamp,
      ...(message.idempotencyKey !== undefined ? { idempotencyKey: message.idempotencyKey } : {}),
    },
  });
}

/** A stored nested tool call's details, when they have the fields clients need; undefined otherwise. */
function readNestedActivity(details: unknown): NestedToolActivity | undefined {
  if (!isJsonObject(details) || !isJsonObject(details.result) || !Array.isArray(details.result.content)) return;
  const { runId, scopeId, toolCallId, toolName, startOrder, startedAt, timestamp } = details;
  if (typeof runId !== "string" || typeof scopeId !== "string" || typeof toolCallId !== "string") return;
  if (typeof toolName !== "string" || finite(startOrder) === undefined || finite(startedAt) === undefined) return;
  return {
    runId,
    scopeId,
    afterEntryId: typeof details.afterEntryId === "string" ? details.afterEntryId : null,
    startOrder: startOrder as number,
    ...(typeof details.parentToolCallId === "string" ? { parentToolCallId: details.parentToolCallId } : {}),
    toolCallId,
    toolName,
    input: details.input,
    result: details.result as NestedToolActivity["result"],
    isError: details.isError === true,
    startedAt: startedAt as number,
    timestamp: finite(timestamp) ?? (startedAt as number),
  };
}

/** A `custom` entry this gateway shows (a nested tool call), or undefined for any other custom entry. */
function customMessage(event: Record<string, unknown>, m: Record<string, unknown>): TranscriptMessage | undefined {
  if (m.customType !== NESTED_TOOL_ACTIVITY) return undefined;
  const nested = readNestedActivity(m.details);
  if (!nested) return undefined;
  return {
    role: "custom",
    content: [],
    timestamp: finite(m.timestamp) ?? nested.startedAt,
    nested,
    runId: nested.runId,
    ...(typeof event.id === "string" ? { id: event.id } : {}),
    ...(typeof m.idempotencyKey === "string" ? { idempotencyKey: m.idempotencyKey } : {}),
  };
}

/** The parts this gateway keeps: text, tool calls and images (thinking and others are the reference's alone). */
function knownParts(content: unknown): TranscriptPart[] | undefined {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) return undefined;
  return content.flatMap((part): TranscriptPart[] => {
    if (!isJsonObject(part)) return [];
    if (part.type === "text" && typeof part.text === "string") return [{ type: "text", text: part.text }];
    if (part.type === "toolCall" && typeof part.id === "string" && typeof part.name === "string") {
      const args = isJsonObject(part.arguments) ? part.arguments : {};
      return [{ type: "toolCall", id: part.id, name: part.name, arguments: args }];
    }
    if (part.type === "image" && typeof part.data === "string" && typeof part.mimeType === "string") {
      return [{ type: "image", data: part.data, mimeType: part.mimeType }];
    }
    return [];
  });
}

/** The thinking blocks of a stored message's content, in order. */
function thinkingBlocks(content: unknown): ThinkingBlock[] {
  if (!Array.isArray(content)) return [];
  return content.flatMap((part): ThinkingBlock[] =>
    isJsonObject(part) && part.type === "thinking" && typeof part.thinking === "string"
      ? [{
        type: "thinking",
        thinking: part.thinking,
        ...(typeof part.thinkingSignature === "string" ? { thinkingSignature: part.thinkingSignature } : {}),
      }]
      : []
  );
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * The message of a `message` entry this gateway can show (a user or assistant turn, a tool's result),
 * whoever wrote it; undefined for other entries (model changes, custom entries).
 */
export function fromEvent(eventJson: string): TranscriptMessage | undefined {
  let event: unknown;
  try {
    event = JSON.parse(eventJson);
  } catch {
    return undefined;
  }
  if (!isJsonObject(event) || event.type !== "message" || !isJsonObject(event.message)) return undefined;
  const m = event.message;
  if (m.role === "custom") return customMessage(event, m);
  if (m.role !== "user" && m.role !== "assistant" && m.role !== "toolResult") return undefined;
  const content = knownParts(m.content);
  if (!content) return undefined;
  if (m.role === "toolResult" && (typeof m.toolCallId !== "string" || typeof m.toolName !== "string")) return undefined;
  const timestamp = finite(m.timestamp) ?? (typeof event.timestamp === "string" ? Date.parse(event.timestamp) : NaN);
  const message: TranscriptMessage = {
    role: m.role,
    content,
    timestamp: Number.isFinite(timestamp) ? timestamp : 0,
  };
  const runId = isJsonObject(m.__openclaw) && typeof m.__openclaw.runId === "string"
    ? m.__openclaw.runId
    : typeof m.runId === "string"
    ? m.runId
    : undefined;
  if (m.role === "toolResult") {
    message.toolCallId = m.toolCallId as string;
    message.toolName = m.toolName as string;
    message.isError = m.isError === true;
    if (isJsonObject(m.details)) message.details = m.details;
  }
  if (typeof event.id === "string") message.id = event.id;
  if (runId !== undefined) message.runId = runId;
  if (isJsonObject(m.__openclaw) && typeof m.__openclaw.senderIsOwner === "boolean") {
    message.senderIsOwner = m.__openclaw.senderIsOwner;
  }
  const workContext = m.role === "user" && isJsonObject(m.__openclaw)
    ? readStoredWorkContext(m.__openclaw.workContext)
    : undefined;
  if (workContext) message.workContext = workContext;
  if (typeof m.api === "string") message.api = m.api;
  if (typeof m.provider === "string") message.provider = m.provider;
  if (typeof m.model === "string") message.model = m.model;
  if (typeof m.stopReason === "string") message.stopReason = m.stopReason;
  if (typeof m.responseId === "string") message.responseId = m.responseId;
  const thinking = thinkingBlocks(m.content);
  if (thinking.length > 0) message.thinking = thinking;
  if (isJsonObject(m.usage)) {
    const input = finite(m.usage.input);
    const output = finite(m.usage.output);
    if (input !== undefined && output !== undefined) {
      const cacheRead = finite(m.usage.cacheRead);
      const cacheWrite = finite(m.usage.cacheWrite);
      message.usage = {
        input,
        output,
        ...(cacheRead !== undefined ? { cacheRead } : {}),
        ...(cacheWrite !== undefined ? { cacheWrite } : {}),
      };
    }
  }
  return message;
}
