// The words and cells of `openclaw tasks` as the reference prints them (plain, as with NO_COLOR or a
// pipe): sanitized single-line text, fixed-width cells, ages and ISO times.
import { displayStatus, type TaskRecord } from "./tasks_records.ts";
import { sliceUtf16Safe } from "../../text/utf16_slice.ts";

/** Single-line terminal text: ANSI escapes dropped, CR/LF/TAB shown escaped, other controls dropped. */
export function terminalText(input: string): string {
  // deno-lint-ignore no-control-regex -- stripping terminal escapes is the point
  return input.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(
    /\p{Cc}/gu,
    (control) => control === "\r" ? "\\r" : control === "\n" ? "\\n" : control === "\t" ? "\\t" : "",
  );
}

/** Cuts `value` to `max` UTF-16 units, the last one an ellipsis (a surrogate pair is never split). */
export function truncateText(value: string, max: number): string {
  return value.length <= max ? value : `${sliceUtf16Safe(value, 0, max - 1)}…`;
}

/** Cuts with the ellipsis after trimming the kept part's end (the reference's status-text limit). */
function truncateTrimmed(value: string, max: number): string {
  const trimmed = value.trim();
  return trimmed.length <= max ? trimmed : `${truncateText(trimmed, max).slice(0, -1).trimEnd()}…`;
}

/** A text padded (or cut with an ellipsis) to `width` columns. */
export function textCell(text: string, width: number): string {
  const chars = Array.from(text);
  const fitted = chars.length > width ? `${chars.slice(0, width - 1).join("")}…` : text;
  return fitted.padEnd(width);
}

/** An id cell: the value sanitized and trimmed, or `n/a`. */
export function tokenCell(value: string | undefined, width = 10): string {
  return textCell(terminalText(value?.trim() ?? "").trim() || "n/a", width);
}

/** An age as the audit shows it: `fresh` under a second, else its largest two units. */
export function formatAge(ageMs: number | undefined): string {
  if (typeof ageMs !== "number" || ageMs < 1_000) return "fresh";
  const seconds = Math.floor(ageMs / 1_000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor(seconds % 86_400 / 3_600);
  const minutes = Math.floor(seconds % 3_600 / 60);
  if (days > 0) return `${days}d${hours}h`;
  if (hours > 0) return `${hours}h${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

/** A time as ISO text, or `n/a`. */
export function isoOrNa(value: number | undefined): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "n/a";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "n/a" : date.toISOString();
}

/** Status text of a task: whitespace collapsed, cut at `max`; empty when there is none. */
function statusText(value: string | undefined, max: number): string {
  const collapsed = (value ?? "").replace(/\s+/g, " ").trim();
  return collapsed ? truncateTrimmed(collapsed, max) : "";
}

/** The one-line detail of a task: progress while active, else its error, else its final summary. */
export function taskDetail(task: TaskRecord): string | undefined {
  if (task.status === "running" || task.status === "queued") return statusText(task.progressSummary, 120) || undefined;
  return statusText(task.error, 120) || statusText(task.terminalSummary ?? undefined, 120) || undefined;
}

/** Whether a task counts as an issue (failed, timed out, lost or blocked). */
export function isIssue(task: TaskRecord): boolean {
  return ["failed", "timed_out", "lost", "blocked"].includes(displayStatus(task));
}

/** The lookup-miss line of a task. */
export function taskLookupMiss(lookup: string): string {
  return `Task not found: ${terminalText(lookup)}. Run \`openclaw tasks list\` to see recent task ids.`;
}

/** The lookup-miss line of a flow. */
export function flowLookupMiss(lookup: string): string {
  return `TaskFlow not found: ${terminalText(lookup)}. Run openclaw tasks flow list to see recent flow ids.`;
}
