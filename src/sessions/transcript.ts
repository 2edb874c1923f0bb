// One session's transcript file: append-only JSONL, one `{"type":"message",…}` line per message.
// The index of sessions (store.ts) decides which file; this file only writes and reads lines.
import { isJsonObject } from "../log/json_object.ts";
import type { StoredWorkContext } from "./work_context.ts";

/** A part of a message: text, a tool call the assistant made (the reference's `toolCall` block), or an image. */
export type TranscriptPart =
  | { type: "text"; text: string }
  | { type: "toolCall"; id: string; name: string; arguments: Record<string, unknown> }
  | { type: "image"; data: string; mimeType: string };

/**
 * One transcript entry: a message of the conversation. A tool's answer is a `toolResult`
 * message naming the call it answers, as the reference stores it.
 */
export interface TranscriptMessage {
  /** `custom`: an entry clients show but the model never sees (a nested tool call, {@link NestedToolActivity}). */
  role: "user" | "assistant" | "toolResult" | "custom";
  content: TranscriptPart[];
  timestamp: number;
  /** A `toolResult`'s call id, tool name, whether it failed and its client-only details. */
  toolCallId?: string;
  toolName?: string;
  isError?: boolean;
  details?: Record<string, unknown>;
  /** The transcript event's id (a UUID) once the message is stored; clients key their lists by it. */
  id?: string;
  runId?: string;
  /** Whether the gateway's owner sent this user message (not a chat channel's sender), when recorded. */
  senderIsOwner?: boolean;
  /** The wire API the answer came over (`openai-completions`...), as the reference records it. */
  api?: string;
  provider?: string;
  model?: string;
  stopReason?: string;
  usage?: { input: number; output: number; cacheRead?: number | undefined; cacheWrite?: number | undefined };
  /** The provider's id of the response this answer is. */
  responseId?: string;
  /** A user message sent with a working context: its snapshot and the typed text (the content is the model's message). */
  workContext?: StoredWorkContext;
  /** The model's thinking before its answer: stored (and shown) as `thinking` blocks ahead of the text. */
  thinking?: ThinkingBlock[];
  /** A `custom` entry's nested tool call (the reference's `openclaw.nested-tool.v1`), and its idempotency key. */
  nested?: NestedToolActivity;
  idempotencyKey?: string;
}

/** The reference's custom type of a nested tool call's transcript entry. */
export const NESTED_TOOL_ACTIVITY = "openclaw.nested-tool.v1";

/**
 * A tool call made inside another (Tool Search's `tool_call` running the tool it names), as the reference keeps it
 * in the transcript for clients (`openclaw.nested-tool.v1`, excluded from the model's context).
 */
export interface NestedToolActivity {
  runId: string;
  /** One id per run's Tool Search executor; `startOrder` counts its calls from 0. */
  scopeId: string;
  /** The transcript entry the parent call's message is (the leaf when the nested call started). */
  afterEntryId: string | null;
  startOrder: number;
  parentToolCallId?: string | undefined;
  toolCallId: string;
  toolName: string;
  input: unknown;
  result: { content: unknown[]; details?: unknown };
  isError: boolean;
  startedAt: number;
  timestamp: number;
}

/** A thinking block as the reference stores it; the signature is the provider's (Anthropic) or the field it came in. */
export interface ThinkingBlock {
  type: "thinking";
  thinking: string;
  thinkingSignature?: string;
}

/** The text of a message: its text parts joined (tool calls and images carry none). */
export function messageText(message: { content: readonly TranscriptPart[] }): string {
  let text = "";
  for (const part of message.content) if (part.type === "text") text += part.text;
  return text;
}

function isTextPart(value: unknown): value is { type: "text"; text: string } {
  return isJsonObject(value) && value.type === "text" && typeof value.text === "string";
}

/** Whether a parsed transcript line is a message this gateway can show: a role, text parts and a time. */
export function isTranscriptMessage(value: unknown): value is TranscriptMessage & { type: "message" } {
  return isJsonObject(value) && value.type === "message" && (value.role === "user" || value.role === "assistant") &&
    Array.isArray(value.content) && value.content.every(isTextPart) && typeof value.timestamp === "number";
}

/** Appends messages to a transcript file and syncs them, so a finished turn survives a crash. */
export async function appendTranscript(path: string, messages: TranscriptMessage[]): Promise<void> {
  const file = await Deno.open(path, { append: true, create: true, mode: 0o600 });
  try {
    const text = messages.map((m) => `${JSON.stringify({ type: "message", ...m })}\n`).join("");
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
}

/** The messages of a transcript file, oldest first; undefined when it cannot be read. */
export async function readTranscript(path: string): Promise<TranscriptMessage[] | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
  const messages: TranscriptMessage[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      // A line cut short by a crash: what came before it is intact.
      continue;
    }
    if (!isTranscriptMessage(entry)) continue; // another entry kind, or a message this gateway cannot show
    const { type: _type, ...message } = entry;
    messages.push(message);
  }
  return messages;
}
