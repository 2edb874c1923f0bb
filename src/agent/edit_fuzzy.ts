// The edit tool's second chance, as the reference gives it: when an `oldText` is not in the file
// exactly, it is looked for again with trailing whitespace ignored and typographic quotes, dashes
// and spaces folded to ASCII, then mapped back so the splice touches the original text. And when it
// is not found at all, the closest lines are named so the model sees what differs.
import { levenshtein } from "../text/edit_distance.ts";

/** Folds typographic characters to ASCII, one UTF-16 unit for one, so positions map back. */
function fold(text: string): string {
  return text.replace(/[\u2018\u2019\u201A\u201B]/g, "'").replace(/[\u201C\u201D\u201E\u201F]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-").replace(/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, " ");
}

/** Text normalised for fuzzy matching, with the original position of each normalised unit. */
export interface FuzzyText {
  text: string;
  /** `map[i]`: where normalised unit `i` is in the original. */
  map: number[];
}

/** Normalises `text` (trailing whitespace per line dropped, typographic characters folded). */
export function fuzzyText(text: string): FuzzyText {
  let out = "";
  const map: number[] = [];
  let offset = 0;
  for (const [i, line] of text.split("\n").entries()) {
    if (i > 0) {
      out += "\n";
      map.push(offset - 1);
    }
    const kept = line.trimEnd();
    out += fold(kept);
    for (let k = 0; k < kept.length; k++) map.push(offset + k);
    offset += line.length + 1;
  }
  return { text: out, map };
}

/** The normalised form of an `oldText` (no map needed). */
export function fuzzyNeedle(text: string): string {
  return fuzzyText(text).text;
}

/** The original span a fuzzy match at `start` of `length` normalised units covers. */
export function originalSpan(file: FuzzyText, start: number, length: number): { start: number; end: number } {
  return { start: file.map[start]!, end: file.map[start + length - 1]! + 1 };
}

const CANDIDATE_LIMIT = 3;
const MIN_SCORE = 0.45;
const MAX_LINE_CHARS = 120;

function firstDifference(left: string, right: string): number {
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) if (left[i] !== right[i]) return i;
  return left.length === right.length ? -1 : shared;
}

function indentation(line: string): string {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? "";
  if (!indent) return "none";
  const tabs = indent.match(/\t/g)?.length ?? 0;
  return tabs === 0 ? `${indent.length} spaces` : `${indent.length - tabs} spaces and ${tabs} tabs`;
}

function difference(expected: string, found: string): string {
  const a = /^[ \t]*/.exec(expected)?.[0] ?? "";
  const b = /^[ \t]*/.exec(found)?.[0] ?? "";
  if (a !== b) return `indentation differs (expected ${indentation(expected)}, found ${indentation(found)})`;
  const slashes = (text: string) => text.match(/\\/g)?.length ?? 0;
  if (slashes(expected) !== slashes(found)) {
    return `escaping differs (expected ${slashes(expected)} backslashes, found ${slashes(found)})`;
  }
  const at = firstDifference(expected, found);
  return at === -1 ? "this line matches; surrounding lines differ" : `first difference at column ${at + 1}`;
}

/** The reference's "Closest matching lines" hint for an `oldText` not in `content` ("" when none is close). */
export function closestLinesHint(content: string, oldText: string): string {
  const expected = oldText.slice(0, 4096).split("\n", 32).map((line) => line.slice(0, MAX_LINE_CHARS))
    .reduce((best, line) => line.trim().length > best.trim().length ? line : best, "");
  if (!expected.trim()) return "";
  const candidates = content.slice(0, 131_072).split("\n", 1000).map((raw, index) => {
    const line = raw.slice(0, MAX_LINE_CHARS);
    const a = expected.trim();
    const b = line.trim();
    const longest = Math.max(a.length, b.length);
    const score = longest === 0 || Math.min(a.length, b.length) / longest < MIN_SCORE
      ? 0
      : 1 - levenshtein(a, b) / longest;
    return { lineNumber: index + 1, line, score };
  }).filter((candidate) => candidate.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.lineNumber - b.lineNumber).slice(0, CANDIDATE_LIMIT);
  if (candidates.length === 0) return "";
  const shownExpected = JSON.stringify(expected);
  return "\nClosest matching lines:\n" + candidates.map((candidate) => {
    const shownFound = JSON.stringify(candidate.line);
    const at = firstDifference(shownExpected, shownFound);
    const marker = at === -1 ? Math.min(shownExpected.length, shownFound.length) : at;
    const width = Math.max(1, Math.min(12, Math.max(shownExpected.length, shownFound.length) - marker));
    return [
      `  near line ${candidate.lineNumber} (${Math.round(candidate.score * 100)}% match):`,
      `    expected: ${shownExpected}`,
      `    found:    ${shownFound}`,
      `              ${" ".repeat(marker)}${"^".repeat(width)}`,
      `    hint: ${difference(expected, candidate.line)}`,
    ].join("\n");
  }).join("\n");
}
