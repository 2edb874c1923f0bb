import assert from "node:assert/strict";
import { withoutQuietHeartbeats } from "../../src/automation/heartbeat_transcript.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";

const PROMPT = "Check the queue. If nothing needs attention, reply NO_REPLY.";
const user = (text: string): TranscriptMessage => ({ role: "user", content: [{ type: "text", text }], timestamp: 1 });
const assistant = (text: string): TranscriptMessage => ({
  role: "assistant",
  content: [{ type: "text", text }],
  timestamp: 1,
});
const toolCall: TranscriptMessage = {
  role: "assistant",
  content: [{ type: "toolCall", id: "c1", name: "exec", arguments: {} }],
  timestamp: 1,
};
const toolResult: TranscriptMessage = {
  role: "toolResult",
  toolCallId: "c1",
  content: [{ type: "text", text: "ok" }],
  timestamp: 1,
};
const beat = `${PROMPT}\nCurrent time: Monday, November 30th, 2026 - 12:00 PM (UTC)`;

Deno.test("quiet heartbeat turns (prompt, tool steps, NO_REPLY/HEARTBEAT_OK) leave the context; alerts and chats stay", () => {
  const chat = [user("hello"), assistant("hi")];
  const alert = [user(beat), assistant("Disk on /var is 95% full.")];
  const messages = [
    ...chat,
    user(beat),
    assistant("NO_REPLY"),
    user(beat),
    toolCall,
    toolResult,
    assistant("All fine. HEARTBEAT_OK"),
    ...alert,
    user(PROMPT),
    assistant("HEARTBEAT_OK"),
    user(beat), // a heartbeat that never got an answer (its run failed)
    user("what's up?"),
  ];
  assert.deepEqual(withoutQuietHeartbeats(messages, PROMPT), [...chat, ...alert, user("what's up?")]);
  // A user's own message that merely quotes the prompt mid-text is not a heartbeat.
  const quoted = [user(`note: ${PROMPT}`), assistant("NO_REPLY")];
  assert.deepEqual(withoutQuietHeartbeats(quoted, PROMPT), quoted);
  assert.equal(withoutQuietHeartbeats(chat, PROMPT), chat, "nothing to drop: the same array");
});
