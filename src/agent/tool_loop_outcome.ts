// The digests loop detection compares (tool_loop_detection.ts): a call's name and arguments, and how it ended,
// reduced to what says whether it made progress (an exec's status, exit code and output, never its duration or
// pid; a send without its message ids; external-content markers made equal). Only equality matters, so the
// digests are ours; what goes into them follows the reference's choices.
import type { LoopCallRecord } from "./tool_loop_detection.ts";
import { stableStringify } from "./stable_stringify.ts";
import { sha256Hex } from "./sha256_hex.ts";
import type { ToolResult } from "./tool.ts";

/** How a call ended, for its outcome digest: its result, or the error it failed with. */
export type LoopOutcome = { result: ToolResult } | { error: string };

/** The digest of a tool call: its name and its arguments, keys sorted. */
export function hashToolCall(toolName: string, args: unknown): string {
  return `${toolName}:${sha256Hex(stableStringify(args))}`;
}

const MARKED =
  /<<<EXTERNAL_UNTRUSTED_CONTENT id="([a-f0-9]{16})">>>([\s\S]*?)<<<END_EXTERNAL_UNTRUSTED_CONTENT id="\1">>>/g;

/** Every string with its external-content marker ids made equal: a fetch of the same page is the same outcome. */
function canonicalMarkers(value: unknown): unknown {
  if (typeof value === "string") {
    return value.replace(
      MARKED,
      (_, __, body) =>
        `<<<EXTERNAL_UNTRUSTED_CONTENT id="0000000000000000">>>${body}<<<END_EXTERNAL_UNTRUSTED_CONTENT id="0000000000000000">>>`,
    );
  }
  if (Array.isArray(value)) return value.map(canonicalMarkers);
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonicalMarkers(v)]));
  return value;
}

function digest(value: unknown): string {
  return sha256Hex(stableStringify(canonicalMarkers(value)));
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function resultText(result: ToolResult): string {
  return result.content.flatMap((c) => c.type === "text" ? [c.text] : []).join("\n").trim();
}

/** A `process` call that only looks at a session (`poll`, `log`): repeating it is polling. */
export function isKnownPollCall(toolName: string, args: unknown): boolean {
  if (toolName === "command_status") return true;
  if (toolName !== "process" || !isPlain(args)) return false;
  return args.action === "poll" || args.action === "log";
}

/** The tool an error says does not exist (`Tool foo not found`, `unknown tool: foo`). */
function unknownToolOf(error: string): string | undefined {
  const raw = error.trim();
  const match = raw.match(/unknown tool[:\s]+["']?([a-z0-9_.-]+)["']?/i) ??
    raw.match(/tool\s+["']?([a-z0-9_.-]+)["']?\s+(?:not found|is not available)/i);
  return match?.[1]?.trim().toLowerCase() || undefined;
}

const VOLATILE_EXEC_OUTPUT = [
  /\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:z|[+-]\d{2}:\d{2})?/giu,
  /\d{1,2}:\d{2}:\d{2}(?:\.\d{1,6})?/gu,
  /\b(?:attempt|retry)\b[\s#:=]*\d+/giu,
  /\b\d+(?:\.\d+)?\s?(?:ns|us|ms|seconds?|minutes?|hours?|s)\b/giu,
  /\b(?:pid|ppid)\b[\s#:=]*\d+/giu,
];

/** An exec result's digest from what says whether it progressed (never its duration or pid). */
function execOutcome(
  details: Record<string, unknown>,
  text: string,
): Omit<LoopCallRecord, "toolName" | "argsHash"> | undefined {
  const status = stringOrNull(details.status);
  if (!status) return undefined;
  if (status === "running") return { resultHash: digest({ status, tail: stringOrNull(details.tail) ?? "" }) };
  if (status === "approval-pending" || status === "approval-unavailable") {
    return {
      resultHash: digest({
        status,
        reason: stringOrNull(details.reason),
        host: stringOrNull(details.host),
        command: stringOrNull(details.command) ?? "",
        warningText: stringOrNull(details.warningText) ?? "",
      }),
    };
  }
  if (status !== "completed" && status !== "failed") return undefined;
  const exitCode = typeof details.exitCode === "number" ? details.exitCode : null;
  const timedOut = details.timedOut === true;
  const output = typeof details.aggregated === "string" && details.aggregated !== "" ? details.aggregated : text;
  const resultHash = digest({ status, exitCode, timedOut, output });
  const terminal = exitCode !== null && Number.isFinite(exitCode) && exitCode !== 0 && !timedOut && output !== "" &&
    output !== `(Command exited with code ${exitCode})`;
  if (!terminal) return { resultHash };
  const shape = VOLATILE_EXEC_OUTPUT.reduce((out, pattern) => out.replace(pattern, "#"), output);
  return {
    resultHash,
    outcomeKind: "terminal-exec-failure",
    failureIdentityHash: digest({ status, exitCode, timedOut, output: shape }),
  };
}

const SEND_ACTIONS = new Set([
  "send",
  "broadcast",
  "reply",
  "thread-reply",
  "sendWithEffect",
  "sendAttachment",
  "upload-file",
  "sticker",
  "poll",
]);

const VOLATILE_SEND_KEYS = new Set([
  "messageId",
  "message_id",
  "messageIds",
  "platformMessageId",
  "platformMessageIds",
  "fileId",
  "file_id",
  "fileKey",
  "pollId",
  "poll_id",
  "receipt",
  "runId",
  "idempotencyKey",
  "ts",
  "timestamp",
  "sentAt",
  "deliveredAt",
  "createdAt",
]);

/** A send's result without its ids and times: the same text sent twice is the same outcome. */
function withoutSendIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSendIds);
  if (!isPlain(value)) return value;
  const delivered = typeof value.id === "string" && typeof value.text === "string" &&
    (typeof value.direction === "string" || typeof value.senderId === "string" ||
      typeof value.accountId === "string" || isPlain(value.conversation));
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => !VOLATILE_SEND_KEYS.has(key) && !(key === "id" && delivered))
      .map(([key, nested]) => [key, withoutSendIds(nested)]),
  );
}

/** The digest of how a call ended, and what the detectors need to know of it. */
export function hashToolOutcome(
  toolName: string,
  args: unknown,
  outcome: LoopOutcome,
): Omit<LoopCallRecord, "toolName" | "argsHash" | "toolCallId"> {
  if ("error" in outcome) {
    return {
      resultHash: `error:${digest(outcome.error)}`,
      noProgress: true,
      unknownToolName: unknownToolOf(outcome.error),
    };
  }
  const details = isPlain(outcome.result.details) ? outcome.result.details : {};
  const text = resultText(outcome.result);
  if (details.status === "blocked" && details.deniedReason === "tool-loop") return { outcomeKind: "tool-loop-veto" };
  if (toolName === "exec") {
    const exec = execOutcome(details, text);
    if (exec) return exec;
  }
  if (toolName === "write" && details.changed === false) {
    return { resultHash: digest({ status: "unchanged" }), noProgress: true };
  }
  if (toolName === "process" && isPlain(args) && args.action === "poll") {
    return {
      resultHash: digest({
        action: "poll",
        status: details.status,
        exitCode: details.exitCode ?? null,
        exitSignal: details.exitSignal ?? null,
        aggregated: details.aggregated ?? null,
        text,
      }),
    };
  }
  if (toolName === "process" && isPlain(args) && args.action === "log") {
    return {
      resultHash: digest({
        action: "log",
        status: details.status,
        totalLines: details.totalLines ?? null,
        totalChars: details.totalChars ?? null,
        truncated: details.truncated ?? null,
        exitCode: details.exitCode ?? null,
        exitSignal: details.exitSignal ?? null,
        text,
      }),
    };
  }
  const sends = toolName === "sessions_send" ||
    (toolName === "message" && isPlain(args) && typeof args.action === "string" && SEND_ACTIONS.has(args.action));
  if (sends) return { resultHash: digest(withoutSendIds(details)) };
  return { resultHash: digest({ details, text }) };
}
