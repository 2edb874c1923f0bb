import assert from "node:assert/strict";
import { localStamp, memoryMarkdown, memoryTimeZone } from "../../src/automation/session_memory_text.ts";

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
