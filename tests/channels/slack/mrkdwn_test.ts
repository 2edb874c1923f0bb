import assert from "node:assert/strict";
import { pairingReply } from "../../../src/channels/pairing_reply.ts";
import { toSlackMrkdwn } from "../../../src/channels/slack/mrkdwn.ts";

Deno.test("slack mrkdwn: the pairing reply as the reference posted it (recorded from OpenClaw 2026.9.6)", () => {
  assert.equal(
    toSlackMrkdwn(pairingReply("slack", "Your Slack user id: U0ALICE01", "RHJ5S9FH")),
    "OpenClaw: access not configured.\n\nYour Slack user id: U0ALICE01\nPairing code:\n\n```\nRHJ5S9FH\n```\nAsk the bot owner to approve with:\n\n```\nopenclaw pairing approve slack RHJ5S9FH\n```",
  );
  // Plain text passes unchanged.
  assert.equal(
    toSlackMrkdwn("Hello from the fake model, streamed in pieces."),
    "Hello from the fake model, streamed in pieces.",
  );
});

Deno.test("slack mrkdwn: emphasis, links, headings, escaping outside code, Slack tokens kept", () => {
  assert.equal(toSlackMrkdwn("**bold** and *italic* and ~~gone~~"), "*bold* and _italic_ and ~gone~");
  assert.equal(
    toSlackMrkdwn("see [the docs](https://example.com/a?b=1&c=2)"),
    "see <https://example.com/a?b=1&c=2|the docs>",
  );
  assert.equal(toSlackMrkdwn("# Title\nbody"), "*Title*\nbody");
  assert.equal(toSlackMrkdwn("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
  assert.equal(toSlackMrkdwn("hi <@U0ALICE01>, see <#C0GENERAL> <!here>"), "hi <@U0ALICE01>, see <#C0GENERAL> <!here>");
  assert.equal(toSlackMrkdwn("use `a < b` here"), "use `a < b` here");
  assert.equal(toSlackMrkdwn("```ts\nif (a < b) {}\n```"), "```\nif (a < b) {}\n```");
  assert.equal(toSlackMrkdwn("> quoted **words**"), "> quoted *words*");
  assert.equal(toSlackMrkdwn("one\n\n\n\ntwo"), "one\n\ntwo");
  assert.equal(toSlackMrkdwn("2 * 3 * 4"), "2 * 3 * 4");
});
