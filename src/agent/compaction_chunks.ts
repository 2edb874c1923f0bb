// Compaction of a history larger than the summarizer's window: the older messages are split into
// chunks that each fit it, each chunk is summarized, and the chunk summaries are merged into one
// (staged summarization). A single message larger than a chunk is cut to fit, with a note.
import type { TranscriptMessage } from "../sessions/store.ts";
import type { TranscriptPart } from "../sessions/store.ts";
import { estimateTokens, messageTokens, reserveTokens, SUMMARIZER_SYSTEM_PROMPT } from "./compaction.ts";

/**
 * The summary's own token limit: four fifths of the window's reserve, as the reference caps it (half of it for a
 * split turn's beginning, which shares the summary with the history before it).
 */
export function summaryOutputTokens(contextWindow: number, kind: "history" | "turn-prefix" = "history"): number {
  return Math.max(256, Math.floor(reserveTokens(contextWindow) * (kind === "turn-prefix" ? 0.5 : 0.8)));
}

/**
 * Tokens of conversation one summary request may carry: the window minus its reserve (the summary's
 * room), the summarizer's instructions and the rest of the request around the conversation
 * (`frame`: the prompt without its messages, with the previous summary it updates, if any).
 */
export function chunkBudget(contextWindow: number, frame: string): number {
  const fixed = estimateTokens(SUMMARIZER_SYSTEM_PROMPT) + estimateTokens(frame) + FRAMING_TOKENS;
  return Math.max(256, contextWindow - reserveTokens(contextWindow) - fixed);
}

/** Tokens the wire adds around the two messages of a summary request (roles, separators). */
const FRAMING_TOKENS = 16;

/** A message cut to `budget` tokens: its text parts shortened, a note saying how much was left out. */
function fitMessage(message: TranscriptMessage, budget: number): TranscriptMessage {
  let room = Math.max(0, budget - 8) * 4;
  const content = message.content.flatMap((part): TranscriptPart[] => {
    if (part.type === "image") return [];
    if (part.type !== "text") return [part];
    const text = part.text.length > room
      ? `${part.text.slice(0, room)}\n[… ${part.text.length - room} characters cut to fit the summarizer]`
      : part.text;
    room = Math.max(0, room - text.length);
    return [{ ...part, text }];
  });
  return { ...message, content };
}

/** The older messages in consecutive chunks of at most `budget` tokens each (oldest first). */
export function chunkMessages(messages: readonly TranscriptMessage[], budget: number): TranscriptMessage[][] {
  const chunks: TranscriptMessage[][] = [];
  let current: TranscriptMessage[] = [];
  let size = 0;
  for (const original of messages) {
    const message = messageTokens(original) > budget ? fitMessage(original, budget) : original;
    const tokens = Math.min(messageTokens(message), budget);
    if (current.length > 0 && size + tokens > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += tokens;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * The merge request's user message: the chunk summaries, oldest first, as parts of one conversation.
 * Summaries beyond `budget` are dropped from the oldest on, with a note that earlier history was left out.
 */
export function mergePrompt(summaries: readonly string[], budget: number, instructions?: string): string {
  const kept: string[] = [];
  let size = 0;
  for (let i = summaries.length - 1; i >= 0; i--) {
    const tokens = estimateTokens(summaries[i]!) + 8;
    if (kept.length > 0 && size + tokens > budget) break;
    kept.unshift(summaries[i]!);
    size += tokens;
  }
  const dropped = summaries.length - kept.length;
  const parts = kept.map((s, i) => `<part index="${i + 1}">\n${s}\n</part>`).join("\n\n");
  let prompt = "These are summaries of consecutive parts of one conversation, oldest first:\n\n" +
    `<summaries>\n${parts}\n</summaries>\n\n`;
  if (dropped > 0) prompt += `(${dropped} older part(s) did not fit and were left out.)\n\n`;
  prompt += "Merge them into one summary with the same sections, keeping every fact, decision and open request.";
  const focus = (instructions ?? "").trim();
  if (focus) prompt += `\n\nAdditional focus: ${[...focus].slice(0, 800).join("")}`;
  return prompt;
}
