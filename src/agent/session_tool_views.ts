// What sessions_list and sessions_history give the model, in the reference's tool shapes: a
// metadata row per session (not the `sessions.list` method's row) and a bounded, text-capped view
// of a transcript with the reference's summary flags.
import type { ModelEntry } from "../config/resolve_agents.ts";
import { isPinned } from "../sessions/read_state.ts";
import type { SessionRow } from "../sessions/session_row.ts";
import { messageText, type TranscriptMessage } from "../sessions/transcript.ts";
import type { ModelRef } from "./agents_config.ts";
import { freshTotalTokens } from "../sessions/session_total_tokens.ts";

/** The reference's context window for a model whose config gives none. */
const DEFAULT_CONTEXT_TOKENS = 200_000;
/** The reference caps each text block of a history message at this many characters. */
const MAX_TEXT_CHARS = 4000;
/** And the messages of one answer at this many bytes (the oldest are dropped first). */
const MAX_HISTORY_BYTES = 80_000;
const CHANNELS = new Set(["irc", "telegram", "discord"]);

/** The reference's session kinds, as sessions_list filters and reports them. */
export type SessionKind = "main" | "group" | "cron" | "hook" | "node" | "other";

/** A session's kind from its key (`agent:<id>:<rest>`). */
export function sessionKind(key: string, agentId: string): SessionKind {
  if (key === `agent:${agentId}:main`) return "main";
  const rest = key.slice(`agent:${agentId}:`.length).split(":");
  if (rest.includes("group") || rest.includes("channel")) return "group";
  if (rest[0] === "cron" || rest[0] === "hook" || rest[0] === "node") return rest[0];
  return "other";
}

/** One sessions_list row, key for key as the reference's tool lists a session. */
export function sessionListRow(
  row: SessionRow,
  context: { models: readonly ModelEntry[]; agentModel: ModelRef | undefined; running: boolean },
): Record<string, unknown> {
  const rest = row.key.slice(`agent:${row.agentId}:`.length);
  const first = rest.split(":")[0] ?? "";
  const model = row.providerOverride && row.modelOverride
    ? { provider: row.providerOverride, model: row.modelOverride }
    : context.agentModel;
  const entry = model ? context.models.find((m) => m.provider === model.provider && m.id === model.model) : undefined;
  const kind = sessionKind(row.key, row.agentId);
  const totalTokens = freshTotalTokens(row);
  return {
    key: row.key,
    sessionId: row.sessionId,
    agentId: row.agentId,
    kind,
    channel: CHANNELS.has(first) ? first : "unknown",
    archived: row.archivedAt !== undefined,
    pinned: isPinned(row),
    ...(row.label ? { label: row.label } : {}),
    ...(kind === "main" ? {} : { displayName: row.label ?? rest }),
    updatedAt: row.updatedAt,
    ...(model ? { model: model.model, contextTokens: entry?.contextWindow ?? DEFAULT_CONTEXT_TOKENS } : {}),
    ...(totalTokens !== undefined ? { totalTokens } : {}),
    ...(context.running ? { status: "running" } : row.status ? { status: row.status } : {}),
    ...(row.abortedLastRun !== undefined || row.status ? { abortedLastRun: row.abortedLastRun ?? false } : {}),
  };
}

function capped(text: string): { text: string; truncated: boolean } {
  if (text.length <= MAX_TEXT_CHARS) return { text, truncated: false };
  return { text: `${text.slice(0, MAX_TEXT_CHARS)}\n…(truncated)…`, truncated: true };
}

/** One history message as the reference's tool gives it: user text as a string, assistant text as parts. */
function messageOf(message: TranscriptMessage, flags: { contentTruncated: boolean }): Record<string, unknown> {
  if (message.role === "user") {
    const { text, truncated } = capped(messageText(message));
    flags.contentTruncated ||= truncated;
    return { role: "user", content: text, timestamp: message.timestamp };
  }
  const content = message.content.flatMap((part) => part.type === "text" ? [part] : []).map((part) => {
    const { text, truncated } = capped(part.text);
    flags.contentTruncated ||= truncated;
    return { type: "text", text };
  });
  return {
    role: "assistant",
    content,
    ...(message.api ? { api: message.api } : {}),
    ...(message.provider ? { provider: message.provider } : {}),
    ...(message.model ? { model: message.model } : {}),
    ...(message.stopReason ? { stopReason: message.stopReason } : {}),
    timestamp: message.timestamp,
  };
}

/**
 * The sessions_history answer: the newest `limit` messages (before `offset` from the end), each text
 * capped, the oldest dropped past the byte budget, with the reference's summary flags.
 */
export function historyView(
  sessionKey: string,
  messages: readonly TranscriptMessage[],
  options: { limit: number; offset: number },
): Record<string, unknown> {
  // Tool calls and results (nested ones too) are left out, as the reference's tool leaves them without `includeTools`.
  messages = messages.filter((m) => m.role !== "toolResult" && m.role !== "custom");
  const end = Math.max(0, messages.length - options.offset);
  const start = Math.max(0, end - options.limit);
  const flags = { contentTruncated: false };
  let views = messages.slice(start, end).map((m) => messageOf(m, flags));
  let droppedMessages = false;
  const size = (list: unknown[]) => new TextEncoder().encode(JSON.stringify(list)).length;
  while (views.length > 1 && size(views) > MAX_HISTORY_BYTES) {
    views = views.slice(1);
    droppedMessages = true;
  }
  return {
    sessionKey,
    messages: views,
    truncated: start > 0 || droppedMessages || flags.contentTruncated,
    droppedMessages,
    contentTruncated: flags.contentTruncated,
    contentRedacted: false,
    bytes: size(views),
    ...(start > 0 ? { nextOffset: messages.length - start } : {}),
    pendingInputs: { items: [], total: 0 },
  };
}
