// Compaction, the pure part: how many tokens a context holds, when it must be compacted, where the
// older history ends and the kept tail begins, and the summarizer's prompt. Running it (the model
// call, the transcript entry, the events) is compaction_run.ts.
import type { CompactionSettings } from "../config/compaction_settings.ts";
import type { TranscriptMessage } from "../sessions/store.ts";

export type { CompactionSettings };

/** The headroom kept free for the answer and the summary: 20,000 tokens, at most a quarter of the window. */
export const RESERVE_TOKENS = 20_000;

/** The window the reference assumes for a model whose config gives none. */
export const DEFAULT_CONTEXT_WINDOW = 200_000;

/** Tokens a text costs, estimated as the reference does without a tokenizer: four characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The text of a message as the model reads it: its text, and its tool calls' names and arguments. */
export function messageText(message: Pick<TranscriptMessage, "content">): string {
  return message.content.map((part) =>
    part.type === "text" ? part.text : part.type === "toolCall" ? `${part.name}${JSON.stringify(part.arguments)}` : ""
  ).join("");
}

/** Tokens of one message: its text (an image counts as the reference's 2000) plus a few for the role and framing. */
export function messageTokens(message: Pick<TranscriptMessage, "content">): number {
  const images = message.content.filter((part) => part.type === "image").length;
  return estimateTokens(messageText(message)) + images * 2000 + 4;
}

/** The reserve for a window: {@link RESERVE_TOKENS}, capped at a quarter of the window. */
export function reserveTokens(contextWindow: number): number {
  return Math.min(RESERVE_TOKENS, Math.floor(Math.max(1, contextWindow) * 0.25));
}

/**
 * Tokens the next request will carry: the provider's own count for the last answer (its prompt and
 * output) when one is known since the last compaction, plus estimates of what came after it; else
 * the estimate of the system prompt and every message.
 */
export function contextTokens(system: string, messages: readonly TranscriptMessage[]): number {
  const last = messages.findLastIndex((m) =>
    m.role === "assistant" && m.usage !== undefined && m.usage.input + m.usage.output > 0 &&
    m.stopReason !== "aborted" && m.stopReason !== "error"
  );
  if (last < 0) return estimateTokens(system) + messages.reduce((sum, m) => sum + messageTokens(m), 0);
  const usage = messages[last]!.usage!;
  return usage.input + usage.output + messages.slice(last + 1).reduce((sum, m) => sum + messageTokens(m), 0);
}

/** Whether a context of `tokens` must be compacted before it is sent to a model of this window. */
export function shouldCompact(tokens: number, contextWindow: number, settings: CompactionSettings): boolean {
  if (!settings.enabled || !Number.isFinite(contextWindow) || contextWindow <= 0) return false;
  return tokens > contextWindow - reserveTokens(contextWindow);
}

/**
 * Where the kept tail begins: the earliest user message (a turn's start) from which the tail fits
 * `keepTokens`, but never the first message (something must be summarized) and never after the last
 * turn's start (the turn being answered stays whole). Undefined when there is nothing older to summarize.
 */
export function cutIndex(messages: readonly TranscriptMessage[], keepTokens: number): number | undefined {
  const starts = messages.flatMap((m, i) => i > 0 && m.role === "user" ? [i] : []);
  if (starts.length === 0) return undefined;
  let tail = 0;
  const tailFrom = new Map<number, number>();
  for (let i = messages.length - 1; i >= 0; i--) {
    tail += messageTokens(messages[i]!);
    tailFrom.set(i, tail);
  }
  return starts.find((i) => tailFrom.get(i)! <= keepTokens) ?? starts.at(-1);
}

/** Where a turn too long to keep whole is cut: the kept part's first message and the turn's start. */
export interface SplitTurnCut {
  cut: number;
  /** The turn's start (its user message), when the cut falls inside a turn. */
  turnStart?: number | undefined;
}

/**
 * A cut that may fall inside a turn, as the reference's planner cuts: walking back from the end until `keepTokens`
 * are kept (none: at the last message), at a user or assistant message (a tool result stays with the call before
 * it). When that is an assistant message, its turn is split: the turn's start up to the cut is summarized on its
 * own. Undefined when nothing lies before the cut.
 */
export function splitTurnCut(messages: readonly TranscriptMessage[], keepTokens = 0): SplitTurnCut | undefined {
  let cut = messages.findLastIndex((m) => m.role !== "toolResult");
  let kept = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role !== "toolResult") cut = i;
    kept += messageTokens(messages[i]!);
    if (kept >= keepTokens) break;
  }
  if (cut <= 0) return undefined;
  if (messages[cut]!.role === "user") return { cut };
  for (let i = cut - 1; i >= 0; i--) {
    if (messages[i]!.role === "user") return { cut, turnStart: i };
  }
  return { cut };
}

/** Joins the history's summary and a split turn's beginning, as the reference marks the second in the text it keeps. */
export function splitTurnSummary(history: string, turnPrefix: string): string {
  return `${history}\n\n---\n\n**Turn Context (split turn):**\n\n${turnPrefix}`;
}

/** What the summarizer is told it is (the system prompt of a summary call). */
export const SUMMARIZER_SYSTEM_PROMPT =
  "You summarize conversations between a user and an AI assistant so the assistant can continue " +
  "without the full history. Do not continue the conversation and do not answer questions in it: " +
  "write only the summary.";

const SUMMARY_FORMAT = [
  "Write a structured summary another model will use to continue this conversation, with these sections:",
  "",
  "## Goal",
  "## Facts & Preferences",
  "## Progress",
  "## Decisions",
  "## Open Requests",
  "## Next Steps",
  "",
  "Keep every fact the user stated (names, numbers, dates, codes, identifiers, file paths, errors) " +
  "exactly as written; keep decisions, preferences and unanswered requests. Be concise.",
].join("\n");

/** The format of a split turn's beginning: what the kept end of the turn needs to be understood. */
const TURN_PREFIX_FORMAT = [
  "This is the beginning of one turn that was too long to keep; its most recent part is kept word for word.",
  "Summarize this beginning so the kept part can be understood, with these sections:",
  "",
  "## Original Request",
  "## Early Progress",
  "## Context for the Kept Part",
  "",
  "Keep file paths, names, numbers and errors exactly as written. Be concise.",
].join("\n");

/** The operator's focus text is capped as the reference caps it (800 code points). */
const MAX_FOCUS_CHARS = 800;

/** Tool output beyond this many characters is cut in the summarizer's input (the tail rarely matters). */
const TOOL_RESULT_MAX_CHARS = 2000;

/**
 * The conversation as the summarizer reads it: `[User]: …`, `[Assistant]: …`, `[Assistant tool calls]:
 * name(args)` and `[Tool result]: …` lines (a long result cut), as the reference serializes it.
 */
export function serializeConversation(messages: readonly TranscriptMessage[]): string {
  const lines: string[] = [];
  for (const m of messages) {
    const text = m.content.flatMap((p) => p.type === "text" ? [p.text] : []).join("").trim();
    if (m.role === "toolResult") {
      const cut = text.length > TOOL_RESULT_MAX_CHARS ? `${text.slice(0, TOOL_RESULT_MAX_CHARS)}…` : text;
      if (cut) lines.push(`[Tool result]: ${cut}`);
      continue;
    }
    if (text) lines.push(`[${m.role === "user" ? "User" : "Assistant"}]: ${text}`);
    const calls = m.content.flatMap((p) => p.type === "toolCall" ? [`${p.name}(${JSON.stringify(p.arguments)})`] : []);
    if (calls.length > 0) lines.push(`[Assistant tool calls]: ${calls.join("; ")}`);
  }
  return lines.join("\n\n");
}

/** The summary request's user message: the older conversation, the previous summary if any, the format, the focus. */
export function summaryPrompt(input: {
  messages: readonly TranscriptMessage[];
  previousSummary?: string | undefined;
  instructions?: string | undefined;
  /** `turn-prefix`: the beginning of a split turn, summarized for the part of it that is kept. */
  kind?: "history" | "turn-prefix" | undefined;
}): string {
  let prompt = `<conversation>\n${serializeConversation(input.messages)}\n</conversation>\n\n`;
  if (input.previousSummary) {
    prompt += `<previous-summary>\n${input.previousSummary}\n</previous-summary>\n\n` +
      "Update the previous summary with the new conversation: keep everything in it that still holds.\n\n";
  }
  prompt += input.kind === "turn-prefix" ? TURN_PREFIX_FORMAT : SUMMARY_FORMAT;
  const focus = [...(input.instructions ?? "").trim()].slice(0, MAX_FOCUS_CHARS).join("");
  if (focus) prompt += `\n\nAdditional focus: ${focus}`;
  return prompt;
}

/** The summary as the model sees it in place of the history it replaces (the reference's wording). */
export function summaryMessageText(summary: string): string {
  return "The conversation history before this point was compacted into the following summary:\n\n" +
    `<summary>\n${summary}\n</summary>`;
}

/** The token count the reference's `/compact` reply shows: `850`, `1.2k`, `35k`, `1.5m`. */
export function formatTokenCount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "0";
  const safe = Math.max(0, value);
  if (safe < 1000) return String(Math.round(safe));
  if (safe < 1_000_000) {
    const thousands = (safe / 1000).toFixed(safe >= 10_000 ? 0 : 1);
    if (Number(thousands) < 1000) return `${thousands}k`;
  }
  return `${(safe / 1_000_000).toFixed(1)}m`;
}

/** `Context 1.2k/8k (15%)`, as the reference's `/compact` and `/status` show a context's use. */
export function formatContextUsage(total: number | undefined, contextWindow: number | undefined): string {
  const windowLabel = contextWindow ? formatTokenCount(contextWindow) : "?";
  if (total === undefined) return `Context ?/${windowLabel}`;
  const percent = contextWindow ? ` (${Math.min(999, Math.round(total / contextWindow * 100))}%)` : "";
  return `Context ${formatTokenCount(total)}/${windowLabel}${percent}`;
}
