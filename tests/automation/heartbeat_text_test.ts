import assert from "node:assert/strict";
import { heartbeatPreview, isEffectivelyEmpty, readHeartbeatReply } from "../../src/automation/heartbeat_text.ts";

Deno.test("HEARTBEAT_OK at either edge with little besides it, NO_REPLY and an empty answer are acknowledgements", () => {
  for (
    const text of [
      "HEARTBEAT_OK",
      "  HEARTBEAT_OK.  ",
      "**HEARTBEAT_OK**",
      "All quiet. HEARTBEAT_OK",
      "NO_REPLY",
      "NO_REPLY.",
      "",
    ]
  ) {
    assert.equal(readHeartbeatReply(text).shouldSkip, true, text);
  }
});

Deno.test("an alert is delivered; HEARTBEAT_OK in the middle is ordinary text; a long rest beyond 300 chars is kept", () => {
  assert.deepEqual(readHeartbeatReply("Disk is 95% full."), {
    shouldSkip: false,
    text: "Disk is 95% full.",
    didStrip: false,
  });
  const middle = readHeartbeatReply("Say HEARTBEAT_OK when done, please");
  assert.deepEqual([middle.shouldSkip, middle.text], [false, "Say HEARTBEAT_OK when done, please"]);
  const long = "x".repeat(301);
  assert.deepEqual(readHeartbeatReply(`HEARTBEAT_OK ${long}`), { shouldSkip: false, text: long, didStrip: true });
  assert.equal(readHeartbeatReply(`HEARTBEAT_OK ${"x".repeat(300)}`).shouldSkip, true);
});

Deno.test("a heartbeat file of headings, comments, fences and empty checklist items is effectively empty", () => {
  assert.equal(isEffectivelyEmpty("# Heartbeat\n\n<!-- keep\nthis -->\n- [ ]\n* \n```md\n```\n"), true);
  assert.equal(isEffectivelyEmpty("# Heartbeat\n- check the inbox\n"), false);
  assert.equal(isEffectivelyEmpty(""), true);
});

Deno.test("the preview is at most 200 characters", () => {
  assert.equal(heartbeatPreview("a".repeat(250))?.length, 200);
  assert.equal(heartbeatPreview(""), undefined);
});
