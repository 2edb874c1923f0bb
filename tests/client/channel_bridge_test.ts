import assert from "node:assert/strict";
import { ChannelBridge, type NotifyOutcome } from "../../src/client/channel_bridge.ts";
import { ChannelEventQueue } from "../../src/client/channel_event_queue.ts";

/** A gateway on a loopback socket in this process: the handshake, canned answers, and events the test pushes. */
function fakeGateway(answers: Record<string, (params: Record<string, unknown>) => unknown>) {
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  let socket: WebSocket | undefined;
  const { promise: subscribed, resolve: onSubscribed } = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const { socket: ws, response } = Deno.upgradeWebSocket(request);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: "n" } }));
    ws.onmessage = (message) => {
      const frame = JSON.parse(String(message.data));
      requests.push({ method: frame.method, params: frame.params });
      const payload = frame.method === "connect"
        ? { server: { version: "t", connId: "c" }, features: { methods: [], events: [] }, auth: { role: "operator" } }
        : answers[frame.method]?.(frame.params) ?? {};
      ws.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload }));
      if (frame.method === "sessions.subscribe") onSubscribed();
    };
    return response;
  });
  return {
    url: `ws://127.0.0.1:${server.addr.port}`,
    requests,
    subscribed,
    event(event: string, payload: unknown) {
      socket!.send(JSON.stringify({ type: "event", event, payload }));
    },
    stop: () => server.shutdown(),
  };
}

const ROUTE = { lastChannel: "telegram", lastTo: "4242", lastAccountId: "default" };

async function withBridge(
  mode: "auto" | "off",
  answers: Record<string, (params: Record<string, unknown>) => unknown>,
  body: (
    bridge: ChannelBridge,
    gateway: ReturnType<typeof fakeGateway>,
    queue: ChannelEventQueue,
    notified: { method: string; params: Record<string, unknown> }[],
  ) => Promise<void>,
) {
  const gateway = fakeGateway(answers);
  const queue = new ChannelEventQueue();
  const notified: { method: string; params: Record<string, unknown> }[] = [];
  const bridge = new ChannelBridge({
    target: { url: gateway.url, token: "t" },
    claudeChannelMode: mode,
    queue,
    notify: (method, params): Promise<NotifyOutcome> => {
      notified.push({ method, params });
      return Promise.resolve("delivered");
    },
    log: () => {},
    verbose: false,
  });
  try {
    await bridge.start();
    await gateway.subscribed;
    await body(bridge, gateway, queue, notified);
  } finally {
    bridge.close();
    await gateway.stop();
  }
}

Deno.test("the bridge connects as the reference's (cli, read/write/approvals, approvals cap) and subscribes", async () => {
  await withBridge("auto", {}, async (_bridge, gateway) => {
    const connect = gateway.requests[0]!;
    assert.equal(connect.method, "connect");
    assert.deepEqual(connect.params.scopes, ["operator.read", "operator.write", "operator.approvals"]);
    assert.deepEqual(connect.params.caps, ["approvals"]);
    assert.equal((connect.params.client as { displayName: string }).displayName, "OpenClaw MCP");
    assert.deepEqual(connect.params.auth, { token: "t" });
    assert.equal(gateway.requests[1]!.method, "sessions.subscribe");
    await Promise.resolve();
  });
});

Deno.test("a user message becomes an event and, in Claude mode, a channel notification; an answer only an event", async () => {
  await withBridge("auto", {}, async (bridge, gateway, queue, notified) => {
    const waiting = bridge.waitForEvent({ afterCursor: 0 }, 10_000);
    gateway.event("session.message", {
      sessionKey: "agent:main:main",
      ...ROUTE,
      message: { role: "user", content: "hi" },
      messageId: "m1",
      messageSeq: 3,
    });
    const { event } = await waiting;
    assert.equal(event?.type, "message");
    assert.equal(event?.text, "hi");
    assert.deepEqual(event?.conversation, {
      sessionKey: "agent:main:main",
      channel: "telegram",
      to: "4242",
      accountId: "default",
      threadId: undefined,
      label: undefined,
      displayName: undefined,
      derivedTitle: undefined,
      lastMessagePreview: undefined,
      updatedAt: null,
    });
    assert.deepEqual(notified, [{
      method: "notifications/claude/channel",
      params: {
        content: "hi",
        meta: {
          "session_key": "agent:main:main",
          channel: "telegram",
          to: "4242",
          "account_id": "default",
          "thread_id": "",
          "message_id": "m1",
        },
      },
    }]);
    const next = bridge.waitForEvent({ afterCursor: 1 }, 10_000);
    gateway.event("session.message", {
      sessionKey: "agent:main:main",
      ...ROUTE,
      message: { role: "assistant", content: [{ type: "text", text: "yo" }] },
    });
    assert.equal((await next).event?.role, "assistant");
    assert.equal(notified.length, 1, "an answer is not pushed to Claude");
    assert.equal(queue.poll({ afterCursor: 0 }, 10).events.length, 2);
  });
});

Deno.test("with Claude mode off, messages are events only", async () => {
  await withBridge("off", {}, async (bridge, gateway, _queue, notified) => {
    const waiting = bridge.waitForEvent({ afterCursor: 0 }, 10_000);
    gateway.event("session.message", { sessionKey: "k", ...ROUTE, message: { role: "user", content: "hi" } });
    assert.equal((await waiting).event?.text, "hi");
    assert.deepEqual(notified, []);
  });
});

Deno.test("an owner's `yes <id>` answers a pending Claude permission instead of becoming an event", async () => {
  await withBridge("auto", {}, async (bridge, gateway, queue, notified) => {
    bridge.claudePermissionRequested({ requestId: "abcde", toolName: "Bash", description: "d", inputPreview: "ls" });
    assert.equal(queue.poll({ afterCursor: 0 }, 10).events[0]!.type, "claude_permission_request");
    // Not the owner: an ordinary message.
    const first = bridge.waitForEvent({ afterCursor: 1 }, 10_000);
    gateway.event("session.message", {
      sessionKey: "k",
      ...ROUTE,
      senderIsOwner: false,
      message: { role: "user", content: "yes abcde" },
    });
    assert.equal((await first).event?.text, "yes abcde");
    notified.length = 0;
    gateway.event("session.message", {
      sessionKey: "k",
      ...ROUTE,
      senderIsOwner: true,
      message: { role: "user", content: "NO ABCDE" },
    });
    const deadline = Date.now() + 10_000;
    while (notified.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(notified, [{
      method: "notifications/claude/channel/permission",
      params: { "request_id": "abcde", behavior: "deny" },
    }]);
    assert.equal(queue.poll({ afterCursor: 2 }, 10).events.length, 0, "the reply is no event");
  });
});

Deno.test("approval requests are listed until resolved, and a decision goes to the matching resolve method", async () => {
  await withBridge("auto", { "exec.approval.resolve": () => ({ ok: true }) }, async (bridge, gateway, queue) => {
    const waiting = bridge.waitForEvent({ afterCursor: 0 }, 10_000);
    gateway.event("exec.approval.requested", { id: "ap1", request: { command: "ls" }, createdAtMs: 5 });
    assert.equal((await waiting).event?.type, "exec_approval_requested");
    assert.deepEqual(bridge.listOpenApprovals(), [{
      kind: "exec",
      id: "ap1",
      request: { command: "ls" },
      createdAtMs: 5,
      expiresAtMs: undefined,
    }]);
    assert.deepEqual(await bridge.respondToApproval({ kind: "exec", id: "ap1", decision: "deny" }), { ok: true });
    assert.deepEqual(gateway.requests.at(-1), {
      method: "exec.approval.resolve",
      params: { id: "ap1", decision: "deny" },
    });
    const resolved = bridge.waitForEvent({ afterCursor: 1 }, 10_000);
    gateway.event("exec.approval.resolved", { id: "ap1" });
    assert.equal((await resolved).event?.type, "exec_approval_resolved");
    assert.deepEqual(bridge.listOpenApprovals(), []);
    assert.equal(queue.poll({ afterCursor: 0 }, 10).events.length, 2);
  });
});

Deno.test("messages_send goes out with `send` on the stored route; a session without one is refused", async () => {
  const answers = {
    "sessions.describe": (p: Record<string, unknown>) =>
      p.key === "agent:main:main"
        ? { session: { key: "agent:main:main", deliveryContext: { channel: "telegram", to: "4242" }, lastThreadId: 9 } }
        : { session: null },
    send: () => ({ messageId: "104", channel: "telegram" }),
  };
  await withBridge("auto", answers, async (bridge, gateway) => {
    assert.deepEqual(await bridge.sendMessage("agent:main:main", "hello"), { messageId: "104", channel: "telegram" });
    const send = gateway.requests.at(-1)!;
    assert.equal(send.method, "send");
    const { idempotencyKey, ...rest } = send.params;
    assert.equal(typeof idempotencyKey, "string");
    assert.deepEqual(rest, {
      to: "4242",
      channel: "telegram",
      threadId: "9",
      message: "hello",
      sessionKey: "agent:main:main",
    });
    await assert.rejects(
      bridge.sendMessage("agent:main:nope", "x"),
      new Error("Conversation not found for session agent:main:nope"),
    );
  });
});
