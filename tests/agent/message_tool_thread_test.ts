// The `message` tool's `threadId` (the reference's send schema has it): passed on to the send, a number as
// its string; a run from a forum topic answers in the topic without it (the origin's target names the topic).
import assert from "node:assert/strict";
import { messageTool } from "../../src/agent/message_tool.ts";
import type { OutboundSend, ToolCall, ToolHost } from "../../src/agent/tool.ts";

const call: ToolCall = {
  runId: "r1",
  toolCallId: "c1",
  agentId: "main",
  sessionKey: "agent:main:telegram:group:-100555:topic:42",
  workspace: "/tmp",
  signal: new AbortController().signal,
  senderIsOwner: true,
  origin: { channel: "telegram", accountId: "default", to: "-100555:topic:42", threadId: 42 },
  update: () => {},
};

Deno.test("message tool: threadId goes to the send; the origin topic is the default place", async () => {
  const sent: OutboundSend[] = [];
  const host = { send: (message: OutboundSend) => (sent.push(message), Promise.resolve({})) } as unknown as ToolHost;
  const tool = messageTool(host);
  assert.deepEqual((tool.parameters as { properties: Record<string, unknown> }).properties.threadId, {
    type: "string",
  });
  await tool.execute({ action: "send", message: "here" }, call);
  assert.deepEqual(sent[0], {
    channel: "telegram",
    to: "-100555:topic:42",
    accountId: "default",
    text: "here",
    sessionKey: call.sessionKey,
  });
  await tool.execute({ action: "send", message: "there", target: "-100555", threadId: 7 }, call);
  assert.equal(sent[1]!.to, "-100555");
  assert.equal(sent[1]!.threadId, "7");
  await tool.execute({ action: "send", message: "again", threadId: " 9 " }, call);
  assert.equal(sent[2]!.threadId, "9");
});
