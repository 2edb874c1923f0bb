import assert from "node:assert/strict";
import { type ChatType, sessionKindFields } from "../../src/sessions/session_kind.ts";

// Each case: key, whether it is the agent's main session, the chat type its route recorded, and the row
// fields the reference reports (its recorded rows where we have them: tests/fixtures/telegram/reference_topics.json,
// mcp/reference_mcp_serve.json, inflight/reference_inflight.json; the rest from its sessionClassificationForRow).
const cases: [string, boolean, ChatType | undefined, string, string, string | undefined, boolean][] = [
  ["agent:main:main", true, undefined, "direct", "main", "direct", false],
  ["agent:main:main", true, "direct", "direct", "main", "direct", false],
  ["agent:main:inflight-chat", false, undefined, "direct", "direct", "direct", false],
  ["agent:main:work", false, undefined, "direct", "direct", "direct", false],
  ["agent:main:telegram:group:-100555:topic:42", false, "group", "group", "group", "group", false],
  ["agent:main:telegram:group:-100555", false, undefined, "group", "group", "group", false],
  ["agent:main:discord:channel:123", false, "channel", "group", "channel", "channel", false],
  ["agent:main:irc:channel:#ops", false, undefined, "group", "channel", "channel", false],
  ["agent:main:telegram:default:direct:4242", false, "direct", "direct", "direct", "direct", false],
  ["agent:main:telegram:direct:4242", false, undefined, "direct", "direct", "direct", false],
  ["agent:main:slack:channel:c1:thread:171.5", false, "channel", "group", "thread", "channel", false],
  ["agent:main:cron:job1", false, undefined, "direct", "cron", undefined, true],
  ["agent:main:cron:job1:run:r1", false, undefined, "direct", "cron", undefined, true],
  ["agent:main:hook:gmail:h1", false, undefined, "direct", "hook", undefined, true],
  ["agent:main:subagent:s1", false, undefined, "direct", "subagent", undefined, true],
  ["agent:main:acp:a1", false, undefined, "direct", "acp", undefined, true],
  ["global", false, undefined, "global", "global", "direct", false],
];

for (const [key, isMain, recorded, kind, classification, chatType, isBackground] of cases) {
  Deno.test(`session kind of ${key} (${recorded ?? "no recorded chat type"}) is ${kind}/${classification}`, () => {
    const { peerKind: _peer, ...fields } = sessionKindFields(key, isMain, recorded);
    assert.deepEqual(fields, {
      kind,
      classification,
      isMain,
      isBackground,
      ...(chatType ? { chatType } : {}),
    });
  });
}

Deno.test("the peer kind is the one a channel route key names (a dm is direct), none for other keys", () => {
  assert.equal(sessionKindFields("agent:main:telegram:group:-100555:topic:42", false, "group").peerKind, "group");
  assert.equal(sessionKindFields("agent:main:irc:channel:#ops", false).peerKind, "channel");
  assert.equal(sessionKindFields("agent:main:irc:dm:bob", false).peerKind, "direct");
  assert.equal(sessionKindFields("agent:main:telegram:default:direct:4242", false).peerKind, "direct");
  assert.equal(sessionKindFields("agent:main:main", true, "direct").peerKind, undefined);
  assert.equal(sessionKindFields("agent:main:cron:job1", false).peerKind, undefined);
});
