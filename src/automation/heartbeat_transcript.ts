// Heartbeat turns that ended in an acknowledgement leave a prompt and a `NO_REPLY`/`HEARTBEAT_OK`
// in the session they ran in (the agent's main one by default, every 30 minutes). The reference
// keeps them in the transcript for audit but leaves them out of what later turns send the model;
// so do we, or each turn of a long-lived main session would pay for every quiet heartbeat.
import type { TranscriptMessage } from "../sessions/transcript.ts";
import { readHeartbeatReply } from "./heartbeat_text.ts";

function textOf(message: TranscriptMessage): { text: string; other: boolean } {
  let text = "";
  let other = false;
  for (const part of message.content) {
    if (part.type === "text") text += part.text;
    else other = true;
  }
  return { text, other };
}

/** A heartbeat prompt: the prompt itself, or the prompt with its time lines, scratch and events below it. */
function isHeartbeatPrompt(message: TranscriptMessage, prompt: string): boolean {
  if (message.role !== "user" || !prompt) return false;
  const { text, other } = textOf(message);
  const trimmed = text.trim();
  return !other && (trimmed === prompt || trimmed.startsWith(`${prompt}\n`));
}

/** An answer that is only an acknowledgement (no tool call, no image). */
function isAcknowledgement(message: TranscriptMessage): boolean {
  if (message.role !== "assistant") return false;
  const { text, other } = textOf(message);
  return !other && readHeartbeatReply(text).shouldSkip;
}

/**
 * Where the heartbeat turn that starts at `start` ends, when it ended in an acknowledgement (or
 * never got an answer); undefined when it said something and so stays in the context.
 */
function acknowledgedTurnEnd(messages: readonly TranscriptMessage[], start: number): number | undefined {
  let index = start + 1;
  let acknowledged = false;
  let spoke = false;
  for (; index < messages.length; index++) {
    const message = messages[index]!;
    if (message.role === "user") break;
    if (isAcknowledgement(message)) acknowledged = true;
    else if (message.role === "assistant" && !acknowledged && !textOf(message).other) spoke = true;
  }
  return spoke && !acknowledged ? undefined : index;
}

/** `messages` without the heartbeat turns that ended in an acknowledgement (prompt, tool steps, ack). */
export function withoutQuietHeartbeats(messages: TranscriptMessage[], prompt: string): TranscriptMessage[] {
  const trimmedPrompt = prompt.trim();
  if (!messages.some((message) => isHeartbeatPrompt(message, trimmedPrompt))) return messages;
  const kept: TranscriptMessage[] = [];
  for (let index = 0; index < messages.length;) {
    const end = isHeartbeatPrompt(messages[index]!, trimmedPrompt) ? acknowledgedTurnEnd(messages, index) : undefined;
    if (end === undefined) kept.push(messages[index++]!);
    else index = end;
  }
  return kept;
}
