// What chat clients see of heartbeat turns. The transcript keeps every row (a shared state dir
// serves the reference's reads too), but the reference 2026.9.6 shows none of the heartbeat's
// prompts nor any acknowledgement (`HEARTBEAT_OK`, `NO_REPLY`) in `chat.history` and `session.message`,
// and no live `chat` text of a heartbeat run beyond its final alert. So neither do we.
import { DEFAULT_HEARTBEAT_PROMPT } from "../config/heartbeat_settings.ts";
import type { TranscriptMessage } from "../sessions/transcript.ts";
import { readHeartbeatReply } from "./heartbeat_text.ts";

/** The markers the reference stores in place of an internal turn's prompt (rows a shared state dir shows us). */
const INTERNAL_WAKE_PROMPTS = [
  "[OpenClaw heartbeat poll]",
  "[OpenClaw exec completion]\nDisable automatic completion turns with tools.exec.notifyOnExit=false; check " +
  "per-agent overrides. Background exec and process poll remain available.",
  "[OpenClaw exec completion]",
  "[OpenClaw cron wake]",
  "[OpenClaw session event]",
];

/** The reference's acknowledgement size limit on chat surfaces (not the agent's `ackMaxChars`). */
const DISPLAY_ACK_MAX_CHARS = 300;

/** A heartbeat run's id: the heartbeat starts its runs with this idempotency key prefix (heartbeat_wiring.ts). */
export const HEARTBEAT_RUN_PREFIX = "heartbeat:";

function textOf(message: TranscriptMessage): { text: string; other: boolean } {
  let text = "";
  let other = false;
  for (const part of message.content) {
    if (part.type === "text") text += part.text;
    else other = true;
  }
  return { text, other };
}

function matchesPrompt(text: string, prompt: string): boolean {
  const normalized = prompt.trim();
  return normalized !== "" && (text === normalized || text.startsWith(`${normalized}\n`));
}

/** A heartbeat's prompt as a user message: ours (the default or the agent's own prompt first) or the reference's marker. */
export function isHeartbeatPromptMessage(message: TranscriptMessage, prompt?: string): boolean {
  if (message.role !== "user") return false;
  const text = textOf(message).text.trim();
  if (!text) return false;
  if (INTERNAL_WAKE_PROMPTS.includes(text)) return true;
  return matchesPrompt(text, DEFAULT_HEARTBEAT_PROMPT) || (prompt !== undefined && matchesPrompt(text, prompt));
}

/** An answer that is only an acknowledgement (text alone, no tool call or image), in any turn, as the reference hides it. */
export function isAcknowledgementMessage(message: TranscriptMessage): boolean {
  if (message.role !== "assistant") return false;
  const { text, other } = textOf(message);
  return !other && text.trim() !== "" && readHeartbeatReply(text, DISPLAY_ACK_MAX_CHARS).shouldSkip;
}

/** Whether chat clients are shown this message (a heartbeat prompt or an acknowledgement is not). */
export function isDisplayedMessage(message: TranscriptMessage, prompt?: string): boolean {
  return !isHeartbeatPromptMessage(message, prompt) && !isAcknowledgementMessage(message);
}

/**
 * The messages `chat.history` shows, by index: hidden prompts and acknowledgements left out, and
 * the first message shown after a hidden heartbeat prompt marked as a turn boundary, as the
 * reference marks it (`__openclaw.turnBoundary`).
 */
export function displayedHistory(
  messages: readonly TranscriptMessage[],
  prompt?: string,
): { index: number; turnBoundary: boolean }[] {
  const shown: { index: number; turnBoundary: boolean }[] = [];
  let boundary = false;
  messages.forEach((message, index) => {
    if (isHeartbeatPromptMessage(message, prompt)) {
      boundary = true;
      return;
    }
    if (isAcknowledgementMessage(message)) return;
    shown.push({ index, turnBoundary: boundary });
    boundary = false;
  });
  return shown;
}

/**
 * A `chat` event of a heartbeat run as clients get it: no deltas, and a final whose text is only
 * an acknowledgement carries no message (a note beside `HEARTBEAT_OK` shows without the token);
 * undefined when nothing is sent. Other runs' events pass unchanged.
 */
export function heartbeatChatEvent(payload: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof payload.runId !== "string" || !payload.runId.startsWith(HEARTBEAT_RUN_PREFIX)) return payload;
  if (payload.state === "delta") return undefined;
  if (payload.state !== "final") return payload;
  const message = payload.message as { content?: { type: string; text?: string }[] } | undefined;
  const text = (message?.content ?? []).map((part) => part.type === "text" ? part.text ?? "" : "").join("").trim();
  const reply = readHeartbeatReply(text, DISPLAY_ACK_MAX_CHARS);
  const { message: _message, ...rest } = payload;
  if (reply.shouldSkip) return rest;
  if (!reply.didStrip) return payload;
  return { ...rest, message: { ...message, content: [{ type: "text", text: reply.text }] } };
}
