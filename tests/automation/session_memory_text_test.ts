import assert from "node:assert/strict";
import { localStamp, memoryExcerpt, memoryMarkdown, memoryTimeZone } from "../../src/automation/session_memory_text.ts";
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

Deno.test("memoryMarkdown() lays the artifact out as the reference's session-memory handler does", () => {
  const text = memoryMarkdown({
    date: "2026-12-02",
    time: "04:20:50",
    timeZone: "UTC",
    sessionKey: "agent:main:main",
    sessionId: "abc",
    boundary: { source: "webchat" },
    excerpt: { content: 'user: "hi"' },
  });
  assert.equal(
    text,
    "# Session: 2026-12-02 04:20:50 UTC\n\n- **Session Key**: agent:main:main\n- **Session ID**: abc\n" +
      '- **Source**: webchat\n\n## Conversation Summary\n\nuser: "hi"\n',
  );
});

Deno.test("localStamp() gives the date, time and HHMM slug in the zone; memoryTimeZone() keeps a valid name", () => {
  assert.deepEqual(localStamp(new Date("2026-12-02T04:05:06Z"), "UTC"), {
    date: "2026-12-02",
    time: "04:05:06",
    slug: "0405",
  });
  assert.equal(memoryTimeZone(" Europe/Berlin "), "Europe/Berlin");
  assert.notEqual(memoryTimeZone("Not/AZone"), "Not/AZone");
});
