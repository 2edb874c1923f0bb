import assert from "node:assert/strict";
import {
  APPROVE_SCOPE_TEXT,
  APPROVE_USAGE_TEXT,
  approveFromChat,
  approveFromGatewayClient,
  parseApproveArgs,
} from "../../src/agent/chat_approve.ts";
import { runChatCommand } from "../../src/agent/chat_command_run.ts";
import { parseChatCommand } from "../../src/agent/chat_commands.ts";
import { ExecApprovalQueue, type ExecApprovalRequestView } from "../../src/agent/exec_approval_queue.ts";

function request(sessionKey: string, extra: Partial<ExecApprovalRequestView> = {}): ExecApprovalRequestView {
  return {
    command: "rg x",
    cwd: "/w",
    nodeId: null,
    host: "gateway",
    security: "allowlist",
    ask: "on-miss",
    warningText: null,
    allowedDecisions: ["allow-once", "allow-always", "deny"],
    agentId: "main",
    resolvedPath: null,
    sessionKey,
    runId: "r1",
    toolCallId: null,
    turnSourceChannel: null,
    turnSourceTo: null,
    turnSourceAccountId: null,
    ...extra,
  };
}

const chatSession = "agent:main:telegram:direct:42";
const sender = { channel: "telegram", senderId: "42", chat: "42", sessionKey: chatSession };

Deno.test("/approve arguments: id and decision in either order, with the reference's aliases", () => {
  assert.deepEqual(parseApproveArgs("abc allow-once"), { id: "abc", decision: "allow-once" });
  assert.deepEqual(parseApproveArgs("always abc"), { id: "abc", decision: "allow-always" });
  assert.deepEqual(parseApproveArgs("abc reject"), { id: "abc", decision: "deny" });
  assert.deepEqual(parseApproveArgs("abc"), { error: APPROVE_USAGE_TEXT });
  assert.deepEqual(parseApproveArgs("abc maybe"), { error: APPROVE_USAGE_TEXT });
  assert.deepEqual(parseChatCommand("/approve abc deny"), { key: "approve", args: "abc deny" });
});

Deno.test("/approve resolves an approval of the same chat, with the channel sender as resolver", async () => {
  const events: string[] = [];
  const queue = new ExecApprovalQueue({ emit: (event) => events.push(event) });
  try {
    const record = queue.create(request(chatSession, { turnSourceChannel: "telegram", turnSourceTo: "42" }), 60_000);
    const waited = queue.wait(record.id)!;
    assert.equal(
      approveFromChat(queue, `${record.id} allow-once`, sender),
      `✅ Approval allow-once submitted for ${record.id}.`,
    );
    const ended = await waited;
    assert.equal(ended.decision, "allow-once");
    assert.deepEqual(ended.resolver, { kind: "channel", id: "telegram:42" });
    assert.deepEqual(events, ["exec.approval.requested", "exec.approval.resolved"]);
  } finally {
    queue.close();
  }
});

Deno.test("/approve cannot answer another chat's approval, nor a decision it was not offered", async () => {
  const queue = new ExecApprovalQueue({ emit: () => {} });
  try {
    const other = queue.create(
      request("agent:main:irc:direct:bob", { turnSourceChannel: "irc", turnSourceTo: "bob" }),
      60_000,
    );
    assert.equal(
      approveFromChat(queue, `${other.id} allow-once`, sender),
      "❌ Failed to submit approval: unknown or expired approval id",
    );
    assert.equal(queue.list().length, 1, "still pending");
    // A request naming this chat as its turn source is this chat's, whatever the session.
    const named = queue.create(
      request("agent:main:main", {
        turnSourceChannel: "telegram",
        turnSourceTo: "42",
        allowedDecisions: ["allow-once", "deny"],
      }),
      60_000,
    );
    assert.equal(
      approveFromChat(queue, `${named.id} allow-always`, sender),
      "❌ Failed to submit approval: allow-always is unavailable for this command",
    );
    assert.equal(approveFromChat(queue, `${named.id} deny`, sender), `✅ Approval deny submitted for ${named.id}.`);
    // Through the command runner: a channel command carries its sender.
    const reply = await runChatCommand(
      {
        sessions: undefined as never,
        runs: undefined as never,
        agents: undefined as never,
        models: () => [],
        approvals: queue,
      },
      { key: "approve", args: `${other.id} deny` },
      {
        agentId: "main",
        sessionKey: "agent:main:irc:direct:bob",
        sender: { channel: "irc", senderId: "bob", chat: "bob" },
      },
    );
    assert.equal(reply, `✅ Approval deny submitted for ${other.id}.`);
  } finally {
    queue.close();
  }
});

Deno.test("/approve: a shared session key is no proof of the same chat; short prefixes are refused", () => {
  const queue = new ExecApprovalQueue({ emit: () => {} });
  try {
    // Alice's Telegram DM and Mallory's share agent:main:main (the default DM scope).
    const alice = queue.create(
      request("agent:main:main", { turnSourceChannel: "telegram", turnSourceTo: "111" }),
      60_000,
      "a1b2c3d4-0000-4000-8000-000000000001",
    );
    const mallory = { channel: "telegram", senderId: "222", chat: "222", sessionKey: "agent:main:main" };
    assert.equal(
      approveFromChat(queue, `${alice.id} always`, mallory),
      "❌ Failed to submit approval: unknown or expired approval id",
    );
    // A Control UI run on the main session (no turn source) is no channel's either.
    const ui = queue.create(request("agent:main:main"), 60_000);
    assert.equal(
      approveFromChat(queue, `${ui.id} allow-once`, { ...mallory, channel: "irc", senderId: "n", chat: "n" }),
      "❌ Failed to submit approval: unknown or expired approval id",
    );
    const aliceChat = { channel: "telegram", senderId: "111", chat: "111", sessionKey: "agent:main:main" };
    // A 1-character prefix no longer names an approval, even in its own chat.
    assert.equal(
      approveFromChat(queue, "a deny", aliceChat),
      "❌ Failed to submit approval: unknown or expired approval id",
    );
    assert.equal(queue.list().length, 2);
    // Eight characters (any case) do; the reply echoes what was typed, as the reference's does.
    assert.equal(approveFromChat(queue, "A1B2C3D4 deny", aliceChat), "✅ Approval deny submitted for A1B2C3D4.");
    assert.equal(queue.get(alice.id)?.decision, "deny");
  } finally {
    queue.close();
  }
});

Deno.test("/approve from a Gateway client: approval scopes resolve, others get the reference's refusal", () => {
  const queue = new ExecApprovalQueue({ emit: () => {} });
  try {
    const record = queue.create(request("agent:main:main"), 60_000);
    const writer = { scopes: ["operator.write", "operator.read"], label: "webchat:ui" };
    assert.equal(approveFromGatewayClient(queue, `${record.id} allow-once`, writer), APPROVE_SCOPE_TEXT);
    assert.equal(APPROVE_SCOPE_TEXT, "❌ /approve requires operator.approvals for gateway clients.");
    assert.equal(queue.list().length, 1);
    const approver = { scopes: ["operator.write", "operator.approvals"], label: "webchat:ui" };
    assert.equal(
      approveFromGatewayClient(queue, `${record.id} allow-once`, approver),
      `✅ Approval allow-once submitted for ${record.id}.`,
    );
    assert.equal(queue.get(record.id)?.resolvedBy, "webchat:ui");
  } finally {
    queue.close();
  }
});

Deno.test("/approve through the command runner: a Gateway client's scopes decide, not a channel sender's chat", async () => {
  const queue = new ExecApprovalQueue({ emit: () => {} });
  try {
    const record = queue.create(request("agent:main:main"), 60_000);
    const deps = {
      sessions: undefined as never,
      runs: undefined as never,
      agents: undefined as never,
      models: () => [],
      approvals: queue,
    };
    const target = { agentId: "main", sessionKey: "agent:main:main" };
    const command = { key: "approve" as const, args: `${record.id} allow-once` };
    assert.equal(
      await runChatCommand(deps, command, {
        ...target,
        gatewayClient: { scopes: ["operator.write"], label: "webchat:x" },
      }),
      APPROVE_SCOPE_TEXT,
    );
    assert.equal(
      await runChatCommand(deps, command, {
        ...target,
        gatewayClient: { scopes: ["operator.admin"], label: "webchat:x" },
      }),
      `✅ Approval allow-once submitted for ${record.id}.`,
    );
  } finally {
    queue.close();
  }
});
