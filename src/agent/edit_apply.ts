// The `edit` tool's rules, as the reference words them: every `oldText` must occur exactly once in
// the original file (as written, else after folding trailing whitespace and typographic characters) (not found and found-twice are refusals the model can act on), edits may not
// overlap, and all are matched against the same original before any is applied.
import { closestLinesHint, fuzzyNeedle, type FuzzyText, fuzzyText, originalSpan } from "./edit_fuzzy.ts";
import { ToolError } from "./tool.ts";

/** One replacement. */
export interface TextEdit {
  oldText: string;
  newText: string;
}

const MISMATCH_HINT_LIMIT = 800;

function notFound(path: string, index: number, total: number, content: string, oldText: string): ToolError {
  const prefix = total === 1 ? "Could not find the exact text" : `Could not find edits[${index}]`;
  const snippet = content.length <= MISMATCH_HINT_LIMIT
    ? content
    : `${content.slice(0, MISMATCH_HINT_LIMIT)}\n... (truncated)`;
  return new ToolError(
    `${prefix} in ${path}. The old text must match exactly including all whitespace and newlines.${
      closestLinesHint(content, oldText)
    }\nCurrent file contents:\n${snippet}`,
  );
}

function unsafeBoundary(path: string, index: number, total: number): ToolError {
  const target = total === 1 ? "The fuzzy match" : `The fuzzy match for edits[${index}]`;
  return new ToolError(
    `${target} in ${path} crosses an ambiguous Unicode-normalization or trimmed-whitespace boundary. Copy the exact source text or use a span whose normalized boundaries map cleanly.`,
  );
}

function duplicate(path: string, index: number, total: number, occurrences: number): ToolError {
  if (total === 1) {
    return new ToolError(
      `Found ${occurrences} occurrences of the text in ${path}. The text must be unique. Please provide more context to make it unique.`,
    );
  }
  return new ToolError(
    `Found ${occurrences} occurrences of edits[${index}] in ${path}. Each oldText must be unique. Please provide more context to make it unique.`,
  );
}

function countOccurrences(content: string, text: string): number {
  return content.split(text).length - 1;
}

/** The result of applying edits to LF-normalised text. */
export type EditOutcome = { changed: false } | { changed: true; content: string; applied: number };

/**
 * Applies `edits` to `content` (LF line endings). Edits whose old and new text are equal change
 * nothing but must still match once; when nothing changes the outcome says so.
 */
export function applyEdits(content: string, edits: readonly TextEdit[], path: string): EditOutcome {
  const normalized = edits.map((edit) => ({
    oldText: edit.oldText.replaceAll("\r\n", "\n"),
    newText: edit.newText.replaceAll("\r\n", "\n"),
  }));
  const matches: { index: number; start: number; end: number; newText: string }[] = [];
  let fuzzy: FuzzyText | undefined;
  for (const [index, edit] of normalized.entries()) {
    if (edit.oldText.length === 0) {
      throw new ToolError(
        normalized.length === 1
          ? `oldText must not be empty in ${path}.`
          : `edits[${index}].oldText must not be empty in ${path}.`,
      );
    }
    const exact = content.indexOf(edit.oldText);
    if (exact !== -1) {
      const occurrences = countOccurrences(content, edit.oldText);
      if (occurrences > 1) throw duplicate(path, index, normalized.length, occurrences);
      matches.push({ index, start: exact, end: exact + edit.oldText.length, newText: edit.newText });
      continue;
    }
    // Not there as written: look again with trailing whitespace and typographic characters folded.
    fuzzy ??= fuzzyText(content);
    const needle = fuzzyNeedle(edit.oldText);
    if (!needle) throw unsafeBoundary(path, index, normalized.length);
    const at = fuzzy.text.indexOf(needle);
    if (at === -1) throw notFound(path, index, normalized.length, content, edit.oldText);
    const occurrences = countOccurrences(fuzzy.text, needle);
    if (occurrences > 1) throw duplicate(path, index, normalized.length, occurrences);
    const span = originalSpan(fuzzy, at, needle.length);
    matches.push({ index, start: span.start, end: span.end, newText: edit.newText });
  }
  matches.sort((a, b) => a.start - b.start);
  for (let i = 1; i < matches.length; i++) {
    const previous = matches[i - 1]!;
    const current = matches[i]!;
    if (previous.end > current.start) {
      throw new ToolError(
        `edits[${previous.index}] and edits[${current.index}] overlap in ${path}. Merge them into one edit or target disjoint regions.`,
      );
    }
  }
  const real = normalized.filter((edit) => edit.oldText !== edit.newText).length;
  let result = "";
  let cursor = 0;
  for (const match of matches) {
    result += content.slice(cursor, match.start) + match.newText;
    cursor = match.end;
  }
  result += content.slice(cursor);
  if (real === 0 || result === content) return { changed: false };
  return { changed: true, content: result, applied: real };
}
