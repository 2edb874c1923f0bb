// The cap on one tool result, as the reference applies it to live results: a share of the model's
// context window, at most 16k/32k/64k characters by window size, cut with its truncation notice
// (keeping the head, and the tail too when it looks like a diagnosis or summary).
import type { ToolResult } from "./tool.ts";
import { sliceUtf16Safe, truncateUtf16Safe } from "../text/utf16_slice.ts";

/** The share of the context window one tool result may take (the reference's MAX_TOOL_RESULT_CONTEXT_SHARE). */
const MAX_TOOL_RESULT_CONTEXT_SHARE = 0.3;
/** The reference's DEFAULT_MAX_LIVE_TOOL_RESULT_CHARS. */
export const DEFAULT_MAX_LIVE_TOOL_RESULT_CHARS = 16_000;
const LARGE_CONTEXT_MAX_CHARS = 32_000;
const XL_CONTEXT_MAX_CHARS = 64_000;
const LARGE_CONTEXT_TOKENS = 100_000;
const XL_CONTEXT_TOKENS = 200_000;
const MIN_KEEP_CHARS = 2_000;
const MIDDLE_OMISSION_MARKER = "\n\n⚠️ [... middle content omitted — showing head and tail ...]\n\n";

/** The reference's notice at the end of a cut result. */
function truncationNotice(truncatedChars: number): string {
  return `[... ${
    Math.max(1, Math.floor(truncatedChars))
  } more characters truncated; rerun with narrower args if needed]`;
}

/** The most characters one live tool result keeps for a model with this context window (tokens). */
export function liveToolResultMaxChars(contextWindowTokens: number): number {
  if (!Number.isFinite(contextWindowTokens)) return DEFAULT_MAX_LIVE_TOOL_RESULT_CHARS;
  const tokens = Math.floor(contextWindowTokens);
  const tier = tokens >= XL_CONTEXT_TOKENS
    ? XL_CONTEXT_MAX_CHARS
    : tokens >= LARGE_CONTEXT_TOKENS
    ? LARGE_CONTEXT_MAX_CHARS
    : DEFAULT_MAX_LIVE_TOOL_RESULT_CHARS;
  return Math.min(Math.floor(tokens * MAX_TOOL_RESULT_CONTEXT_SHARE) * 4, Math.max(1, tier));
}

// A slice never ends or starts inside a surrogate pair.
function head(text: string, chars: number): string {
  return truncateUtf16Safe(text, Math.max(0, chars));
}

function tail(text: string, chars: number): string {
  return chars <= 0 ? "" : sliceUtf16Safe(text, -chars);
}

/** Output whose end says what happened (an error, a summary, closing JSON) keeps its tail. */
function hasImportantTail(text: string): boolean {
  const end = tail(text, 2_000).toLowerCase();
  return /\b(error|exception|failed|fatal|traceback|panic|stack trace|errno|exit code)\b/.test(end) ||
    /\}\s*$/.test(end.trim()) || /\b(total|summary|result|complete|finished|done)\b/.test(end);
}

/** `text` within `maxChars`, cut as the reference cuts a tool result (notice included). */
export function truncateToolResultText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const noticeChars = truncationNotice(text.length).length;
  if (noticeChars >= maxChars) return head(truncationNotice(text.length), maxChars);
  const budget = maxChars - noticeChars;
  let kept: string | undefined;
  if (hasImportantTail(text) && budget > MIN_KEEP_CHARS * 2) {
    const tailBudget = Math.min(Math.floor(budget * 0.3), 4_000);
    const headBudget = budget - tailBudget - MIDDLE_OMISSION_MARKER.length;
    if (headBudget > MIN_KEEP_CHARS) {
      let start = head(text, headBudget);
      const newline = start.lastIndexOf("\n");
      if (newline > start.length * 0.8) start = start.slice(0, newline);
      let end = tail(text, tailBudget);
      const first = end.indexOf("\n");
      if (first !== -1 && first < end.length * 0.2) end = end.slice(first + 1);
      kept = start + MIDDLE_OMISSION_MARKER + end;
    }
  }
  if (kept === undefined) {
    kept = head(text, budget);
    const newline = kept.lastIndexOf("\n");
    if (newline > kept.length * 0.8) kept = kept.slice(0, newline);
  }
  return kept + truncationNotice(text.length - kept.length);
}

/**
 * A result whose text blocks together fit `maxChars`: each over-long block shares the budget by
 * its size; images and small results are left as they are.
 */
export function capToolResult(result: ToolResult, maxChars: number): ToolResult {
  const sizes = result.content.map((block) => block.type === "text" ? block.text.length : 0);
  const total = sizes.reduce((sum, n) => sum + n, 0);
  if (total <= maxChars) return result;
  const content = result.content.map((block, i) =>
    block.type === "text"
      ? { ...block, text: truncateToolResultText(block.text, Math.max(1, Math.floor(maxChars * sizes[i]! / total))) }
      : block
  );
  return { ...result, content };
}
