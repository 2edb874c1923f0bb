import assert from "node:assert/strict";
import { displayedHistory, heartbeatChatEvent, isDisplayedMessage } from "../../src/automation/heartbeat_display.ts";
import { DEFAULT_HEARTBEAT_PROMPT } from "../../src/config/heartbeat_settings.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";

const user = (text: string): TranscriptMessage => ({ role: "user", content: [{ type: "text", text }], timestamp: 1 });
const said = (text: string): TranscriptMessage => ({
  role: "assistant",
  content: [{ type: "text", text }],
  timestamp: 1,
});

Deno.test("heartbeat prompts (ours with their time lines, the reference's poll marker) and acknowledgements are not shown", () => {
  assert.equal(isDisplayedMessage(user(`${DEFAULT_HEARTBEAT_PROMPT}\nCurrent time: now`)), false);
  assert.equal(isDisplayedMessage(user("[OpenClaw heartbeat poll]")), false);
  assert.equal(isDisplayedMessage(user("Check the deploys.\nCurrent time: now"), "Check the deploys."), false);
  assert.equal(isDisplayedMessage(user("Check the deploys."), undefined), true, "a custom prompt needs the agent's");
  assert.equal(isDisplayedMessage(said("HEARTBEAT_OK")), false);
  assert.equal(isDisplayedMessage(said("NO_REPLY")), false);
  assert.equal(isDisplayedMessage(said("All quiet. HEARTBEAT_OK")), false);
  assert.equal(isDisplayedMessage(said("The disk is 95% full.")), true);
  assert.equal(isDisplayedMessage(said("")), true, "an empty answer stays, as in the reference");
  assert.equal(isDisplayedMessage(user("hello")), true);
  const withTool: TranscriptMessage = {
    role: "assistant",
    content: [{ type: "text", text: "NO_REPLY" }, { type: "toolCall", id: "1", name: "read", arguments: {} }],
    timestamp: 1,
  };
  assert.equal(isDisplayedMessage(withTool), true);
});

Deno.test("the history shown: quiet heartbeats gone, an alert kept with a turn boundary, chat untouched", () => {
  const messages = [
    user("hello"),
    said("hi"),
    user(`${DEFAULT_HEARTBEAT_PROMPT}\nCurrent time: a`),
    said("HEARTBEAT_OK"),
    user(`${DEFAULT_HEARTBEAT_PROMPT}\nCurrent time: b`),
    said("The disk is 95% full."),
    user("thanks"),
  ];
  assert.deepEqual(displayedHistory(messages), [
    { index: 0, turnBoundary: false },
    { index: 1, turnBoundary: false },
    { index: 5, turnBoundary: true },
    { index: 6, turnBoundary: false },
  ]);
});

Deno.test("a heartbeat run's chat events: no deltas, an acknowledgement's final without message, others untouched", () => {
  const message = (text: string) => ({ role: "assistant", content: [{ type: "text", text }], timestamp: 1 });
  const base = { runId: "heartbeat:1", sessionKey: "agent:main:main", agentId: "main", seq: 2 };
  assert.equal(
    heartbeatChatEvent({ ...base, state: "delta", deltaText: "HEART", message: message("HEART") }),
    undefined,
  );
  assert.deepEqual(
    heartbeatChatEvent({ ...base, state: "final", stopReason: "stop", message: message("HEARTBEAT_OK") }),
    {
      ...base,
      state: "final",
      stopReason: "stop",
    },
  );
  assert.deepEqual(
    heartbeatChatEvent({
      ...base,
      state: "final",
      message: message("The disk is full. " + "x".repeat(300) + " HEARTBEAT_OK"),
    })
      ?.message,
    message(`The disk is full. ${"x".repeat(300)}`),
  );
  const alert = { ...base, state: "final", message: message("The disk is full.") };
  assert.equal(heartbeatChatEvent(alert), alert);
  const chat = { ...base, runId: "run-1", state: "delta", message: message("HEARTBEAT_OK") };
  assert.equal(heartbeatChatEvent(chat), chat);
});
