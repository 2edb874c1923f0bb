// The texts exec and process answer with, worded as the reference words them (the model was tuned
// on them): output placeholders, exit labels, failure reasons, session names and log slices.

/** Shown when a command printed nothing. */
export const NO_OUTPUT = "(no output)";
/** Put before output when earlier output no longer fits the aggregate cap. */
export const RETENTION_CAP_NOTE = "[earlier output was discarded at the retention cap and cannot be recovered]\n\n";
/** Appended to a timed-out command's result. */
export const TIMEOUT_RETRY_GUIDANCE =
  "The command was terminated, but external side effects may already have completed. Verify the resulting state before retrying. Do not automatically rerun non-idempotent commands. Use a higher timeout only when the command is known to be safe to retry.";
/** What a backgrounded command's result tells the model to do next. */
export const BACKGROUND_FOLLOW_UP =
  "Use process (list/poll/log/write/send-keys/submit/paste/kill/clear/remove) for follow-up.";

/** How a process ended, as the registry records it. */
export interface ExecExit {
  /** `exit` (it ended by itself), `overall-timeout`, `manual-cancel` (process kill), `signal`, `aborted`. */
  reason: "exit" | "overall-timeout" | "manual-cancel" | "signal" | "aborted";
  exitCode: number | null;
  exitSignal: string | null;
}

/** An exec call's outcome: completed (the shell ran and exited) or failed (timeout, signal, shell failure). */
export type ExecOutcome = {
  status: "completed" | "failed";
  exitCode: number | null;
  exitSignal: string | null;
  exitReason: ExecExit["reason"];
  durationMs: number;
  aggregated: string;
  timedOut: boolean;
  /** The failure's text for the model (output first); absent when completed. */
  reason?: string | undefined;
  failureKind?: string | undefined;
};

/** The output, or the placeholder when there was none. */
export function renderOutput(text: string): string {
  return text || NO_OUTPUT;
}

/** `code 0`, `signal SIGKILL` or `unknown exit code`. */
export function exitLabel(exit: { exitCode: number | null; exitSignal: string | null }): string {
  if (exit.exitSignal != null) return `signal ${exit.exitSignal}`;
  return typeof exit.exitCode === "number" ? `code ${exit.exitCode}` : "unknown exit code";
}

/** Adds the retry warning to a timed-out command's text. */
export function withTimeoutGuidance(text: string, reason: string | undefined): string {
  return reason === "overall-timeout" ? `${text}\n\n${TIMEOUT_RETRY_GUIDANCE}` : text;
}

/**
 * Turns an exit into the outcome the model reads: a normal exit is `completed` (a non-zero code is
 * noted after the output), while 126/127 (the shell could not run the command), a timeout, a
 * signal or an abort are `failed` with the reference's reason.
 */
export function exitOutcome(
  exit: ExecExit,
  facts: { aggregated: string; durationMs: number; timeoutSec: number; background: boolean },
): ExecOutcome {
  const code = exit.exitCode ?? 0;
  const shellFailure = code === 126 || code === 127;
  const base = {
    exitCode: exit.exitCode,
    exitSignal: exit.exitSignal,
    exitReason: exit.reason,
    durationMs: facts.durationMs,
    timedOut: exit.reason === "overall-timeout",
  };
  if (exit.reason === "exit" && !shellFailure) {
    const note = code !== 0 ? `\n\n(Command exited with code ${code})` : "";
    return {
      ...base,
      status: "completed",
      aggregated: (note ? renderOutput(facts.aggregated) : facts.aggregated) + note,
    };
  }
  const kind = shellFailure && exit.reason === "exit"
    ? code === 127 ? "shell-command-not-found" : "shell-not-executable"
    : exit.reason === "overall-timeout"
    ? "overall-timeout"
    : exit.exitSignal != null
    ? "signal"
    : "aborted";
  const why = failureReason(kind, exit, facts);
  return {
    ...base,
    status: "failed",
    aggregated: facts.aggregated,
    failureKind: kind,
    reason: facts.aggregated ? `${facts.aggregated}\n\n${why}` : why,
  };
}

function failureReason(kind: string, exit: ExecExit, facts: { timeoutSec: number; background: boolean }): string {
  switch (kind) {
    case "shell-command-not-found":
      return "Command not found";
    case "shell-not-executable":
      return "Command not executable (permission denied)";
    case "overall-timeout": {
      const text = withTimeoutGuidance(
        facts.timeoutSec > 0 ? `Command timed out after ${facts.timeoutSec} seconds.` : "Command timed out.",
        "overall-timeout",
      );
      return facts.background
        ? `${text}\n\nIf it should keep running, start it with exec background=true or yieldMs so OpenClaw can register a pollable process session. Do not rely on shell backgrounding with a trailing &.`
        : text;
    }
    case "signal":
      return `Command aborted by signal ${exit.exitSignal}`;
    default:
      return "Command aborted before exit code was captured";
  }
}

/** The last `max` characters. */
export function tail(text: string, max = 2000): string {
  return text.length <= max ? text : text.slice(text.length - max);
}

/** Shortens a label in the middle. */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 3) / 2);
  return `${text.slice(0, half)}...${text.slice(-half)}`;
}

function stripQuotes(value: string): string {
  const trimmed = value.trim();
  const quoted = (trimmed.startsWith('"') && trimmed.endsWith('"')) ||
    (trimmed.startsWith("'") && trimmed.endsWith("'"));
  return quoted ? trimmed.slice(1, -1) : trimmed;
}

/** A compact label for a command (verb and first non-flag argument), as `process list` shows it. */
export function sessionName(command: string): string | undefined {
  const tokens = (command.match(/(?:[^\s"']+|"(?:\\.|[^"\\])*"|'[^']*')+/g) ?? []).map(stripQuotes).filter(Boolean);
  const verb = tokens[0];
  if (verb === undefined) return undefined;
  const target = tokens.slice(1).find((token) => !token.startsWith("-")) ?? tokens[1];
  return target === undefined ? verb : `${verb} ${truncateMiddle(stripQuotes(target), 48)}`;
}

/** A line window of a log: from `offset` for `limit` lines, or the last `limit` lines when only it is given. */
export function sliceLogLines(
  text: string,
  offset: number | undefined,
  limit: number | undefined,
): { slice: string; totalLines: number; totalChars: number } {
  if (!text) return { slice: "", totalLines: 0, totalChars: 0 };
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop();
  let start = offset !== undefined && Number.isFinite(offset) ? Math.max(0, Math.floor(offset)) : 0;
  if (limit !== undefined && offset === undefined) start = Math.max(lines.length - Math.max(0, Math.floor(limit)), 0);
  const end = limit !== undefined && Number.isFinite(limit) ? start + Math.max(0, Math.floor(limit)) : undefined;
  return { slice: lines.slice(start, end).join("\n"), totalLines: lines.length, totalChars: text.length };
}

/** `500ms`, `45s`, `2m5s`, `1h30m` (two units at most); undefined for zero or less. */
export function compactDuration(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  const rounded = Math.round(ms);
  if (rounded < 1000) return `${rounded}ms`;
  let seconds = Math.round(ms / 1000);
  const units: [string, number][] = [["d", 86_400], ["h", 3600], ["m", 60], ["s", 1]];
  const parts: string[] = [];
  // Zero units are skipped, not ended on: 3605 s is "1h5s", as the reference prints it.
  for (const [unit, size] of units) {
    const count = Math.floor(seconds / size);
    seconds %= size;
    if (count > 0 && parts.length < 2) parts.push(`${count}${unit}`);
  }
  return parts.join("");
}
