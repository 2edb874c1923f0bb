import assert from "node:assert/strict";
import { memoryExcerpt, memoryProjection } from "../../src/sessions/session_memory_excerpt.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";

const msg = (role: TranscriptMessage["role"], text: string): TranscriptMessage => ({
  role,
  content: [{ type: "text", text }],
  timestamp: 0,
});

Deno.test("memoryExcerpt() keeps user/assistant text as quoted lines, without slash commands, tools or NO_REPLY", () => {
  const excerpt = memoryExcerpt([
    msg("user", "remember the blue door"),
    msg("assistant", "Noted: the blue door."),
    msg("toolResult", "ls output"),
    msg("user", "/status"),
    msg("assistant", "NO_REPLY"),
    msg("assistant", "line one\nline two"),
  ], 15);
  assert.equal(
    excerpt,
    'user: "remember the blue door"\nassistant: "Noted: the blue door."\nassistant: "line one\\nline two"',
  );
});

Deno.test("memoryExcerpt() keeps only the last `messages` lines, and null when nothing is kept", () => {
  assert.equal(
    memoryExcerpt([msg("user", "a"), msg("assistant", "b"), msg("user", "c")], 2),
    'assistant: "b"\nuser: "c"',
  );
  assert.equal(memoryExcerpt([msg("user", "/new")], 15), null);
  assert.equal(memoryExcerpt([msg("user", "a")], 0), null);
});

Deno.test("memoryProjection(): an owner's turns are `agent`, any kept line of another sender's turn makes it `untrusted`", () => {
  const owner = (text: string): TranscriptMessage => ({ ...msg("user", text), senderIsOwner: true });
  assert.deepEqual(memoryProjection([owner("hi"), msg("assistant", "hello")], 15), {
    content: 'user: "hi"\nassistant: "hello"',
    originClass: "agent",
  });
  assert.deepEqual(memoryProjection([msg("user", "hi"), msg("assistant", "hello"), owner("/new")], 15), {
    content: 'user: "hi"\nassistant: "hello"',
    originClass: "untrusted",
  });
  // Only the kept lines count: the other sender's turn fell out of the window.
  assert.equal(memoryProjection([msg("user", "a"), owner("b"), msg("assistant", "c")], 2)?.originClass, "agent");
  assert.equal(memoryProjection([owner("/status")], 15), null);
});
