import assert from "node:assert/strict";
import { ChannelBridge, type NotifyOutcome } from "../../src/client/channel_bridge.ts";
import { ChannelEventQueue } from "../../src/client/channel_event_queue.ts";
import { ManualClock } from "../support/manual_clock.ts";
import { until } from "../support/until.ts";

/**
 * A gateway on a loopback socket in this process: the handshake, canned answers (methods in `held` are never
 * answered), events the test pushes, `drop` closing the live connection as a restarting gateway does, and
 * `refuseConnects` refusing later handshakes.
 */
function fakeGateway(
  answers: Record<string, (params: Record<string, unknown>) => unknown>,
  held: string[] = [],
  tickIntervalMs = 86_400_000,
) {
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  let socket: WebSocket | undefined;
  let refusal: Record<string, unknown> | undefined;
  const { promise: subscribed, resolve: onSubscribed } = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const { socket: ws, response } = Deno.upgradeWebSocket(request);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: "event", event: "connect.challenge", payload: { nonce: "n" } }));
    ws.onmessage = (message) => {
      const frame = JSON.parse(String(message.data));
      requests.push({ method: frame.method, params: frame.params });
      if (held.includes(frame.method)) return;
      if (frame.method === "connect" && refusal) {
        ws.send(JSON.stringify({ type: "res", id: frame.id, ok: false, error: refusal }));
        return;
      }
      const payload = frame.method === "connect"
        ? {
          server: { version: "t", connId: "c" },
          features: { methods: [], events: [] },
          auth: { role: "operator" },
          policy: { tickIntervalMs },
        }
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
    drop() {
      socket!.close(1012, "service restart");
    },
    /** Answers every later `connect` with this error. */
    refuseConnects(error: Record<string, unknown>) {
      refusal = error;
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
  options: { clock?: ManualClock; held?: string[]; logged?: string[]; tickIntervalMs?: number } = {},
) {
  const gateway = fakeGateway(answers, options.held, options.tickIntervalMs);
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
    log: (line) => options.logged?.push(line),
    verbose: false,
    clock: options.clock,
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

Deno.test("a dropped connection fails gateway tools with `gateway not connected`, then reconnects after 1 s and subscribes again", async () => {
  const clock = new ManualClock(1_000_000);
  await withBridge("auto", { "sessions.list": () => ({ sessions: [] }) }, async (bridge, gateway, queue) => {
    queue.push({ type: "message", sessionKey: "k" });
    gateway.drop();
    await until(
      () => bridge.listConversations({}).then(() => false, (e) => e.message === "gateway not connected"),
      "the bridge to see the drop",
    );
    assert.equal(clock.nextAt, 1_000_000 + 1000, "the first retry waits 1 s");
    // Local tools keep answering from the queue, cursor and all.
    assert.equal(queue.poll({ afterCursor: 0 }, 10).events.length, 1);
    await clock.advance(1000);
    await until(
      () => gateway.requests.filter((r) => r.method === "sessions.subscribe").length === 2,
      "the second subscription",
    );
    assert.deepEqual(await bridge.listConversations({}), []);
    const waiting = bridge.waitForEvent({ afterCursor: 1 }, 10_000);
    gateway.event("session.message", { sessionKey: "k", ...ROUTE, message: { role: "user", content: "back" } });
    const { event } = await waiting;
    assert.equal(event?.cursor, 2, "the cursor goes on after a reconnect");
    assert.equal(event?.text, "back");
  }, { clock });
});

Deno.test("a request in flight when the gateway drops fails in the reference's words", async () => {
  await withBridge("auto", {}, async (bridge, gateway) => {
    const listing = bridge.listConversations({});
    await until(() => gateway.requests.some((r) => r.method === "sessions.list"), "the held request");
    gateway.drop();
    await assert.rejects(listing, new Error("gateway closed (1012): service restart"));
  }, { clock: new ManualClock(0), held: ["sessions.list"] });
});

Deno.test("retries after failed reconnects double the wait up to 30 s; closing the bridge stops them", async () => {
  const clock = new ManualClock(0);
  const gateway = fakeGateway({});
  const bridge = new ChannelBridge({
    target: { url: gateway.url, token: "t" },
    claudeChannelMode: "off",
    queue: new ChannelEventQueue(),
    notify: () => Promise.resolve("delivered"),
    log: () => {},
    verbose: false,
    clock,
  });
  try {
    await bridge.start();
    await gateway.stop();
    // The server is gone (the tick watch went with the connection): each attempt is refused and the next waits
    // twice as long.
    await until(
      () => bridge.listConversations({}).then(() => false, (e) => e.message === "gateway not connected"),
      "the bridge to see the drop",
    );
    assert.equal(clock.pending, 1, "only the retry is armed");
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const at = clock.now();
      const next = clock.nextAt!;
      waits.push(next - at);
      await clock.advance(next - at);
      await until(() => clock.pending === 1, `retry ${i + 2} to be armed`);
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    bridge.close();
    assert.equal(clock.pending, 0, "close clears the reconnect timer");
  } finally {
    bridge.close();
  }
});

Deno.test("pending Claude permissions and approvals expire on the bridge's 5-minute sweep, which stops when none are left and on close", async () => {
  const clock = new ManualClock(0);
  await withBridge("auto", {}, async (bridge, gateway, queue, notified) => {
    assert.equal(bridge.sweeping, false);
    bridge.claudePermissionRequested({ requestId: "abcde", toolName: "Bash", description: "d", inputPreview: "ls" });
    gateway.event("exec.approval.requested", { id: "ap1", expiresAtMs: 600_000 });
    await until(() => queue.poll({ afterCursor: 0 }, 10).events.length === 2, "the approval's event");
    assert.equal(bridge.sweeping, true);
    assert.equal(clock.nextAt, 300_000);
    await clock.advance(600_000);
    // The approval expired at 10 min; the permission (1 h) is still pending, so the sweep goes on.
    assert.equal(bridge.listOpenApprovals().length, 0);
    assert.equal(bridge.sweeping, true);
    await clock.advance(3_000_000);
    assert.equal(bridge.sweeping, false, "nothing pending: the sweep stopped");
    // The expired request is no longer answered: the owner's reply is an ordinary message.
    const waiting = bridge.waitForEvent({ afterCursor: 2 }, 10_000);
    gateway.event("session.message", {
      sessionKey: "k",
      ...ROUTE,
      senderIsOwner: true,
      message: { role: "user", content: "yes abcde" },
    });
    assert.equal((await waiting).event?.text, "yes abcde");
    assert.equal(notified.filter((n) => n.method.endsWith("/permission")).length, 0);
    bridge.claudePermissionRequested({ requestId: "fghij", toolName: "Bash", description: "d", inputPreview: "ls" });
    assert.equal(bridge.sweeping, true);
    bridge.close();
    assert.equal(bridge.sweeping, false);
    assert.equal(clock.pending, 0, "close clears the sweep timer and the tick watch");
  }, { clock });
});

Deno.test("a reconnect the gateway refuses for good (token mismatch) is said on stderr and not retried", async () => {
  const clock = new ManualClock(0);
  const logged: string[] = [];
  await withBridge("auto", {}, async (bridge, gateway) => {
    gateway.refuseConnects({
      code: "INVALID_REQUEST",
      message: "unauthorized: gateway token mismatch",
      details: { code: "AUTH_TOKEN_MISMATCH" },
    });
    gateway.drop();
    await until(
      () => bridge.listConversations({}).then(() => false, (e) => e.message === "gateway not connected"),
      "the bridge to see the drop",
    );
    assert.equal(clock.pending, 1, "only the retry is armed");
    await clock.advance(1000);
    await until(() => logged.length === 1, "the refusal's line");
    assert.deepEqual(logged, ["gateway connect failed: unauthorized: gateway token mismatch"]);
    assert.equal(clock.pending, 0, "no further retry");
    await assert.rejects(bridge.listConversations({}), new Error("gateway not connected"));
  }, { clock, logged });
});

Deno.test("a connection silent for two tick intervals is closed and reconnected; events and answers keep it", async () => {
  const clock = new ManualClock(0);
  await withBridge("auto", { "sessions.list": () => ({ sessions: [] }) }, async (bridge, gateway, queue) => {
    // An event within each window keeps the connection (a tick does the same, it is only not queued).
    for (let i = 0; i < 4; i++) {
      gateway.event("session.message", { sessionKey: "k", ...ROUTE, message: { role: "assistant", content: "." } });
      await until(() => queue.poll({ afterCursor: 0 }, 10).events.length === i + 1, "the event to arrive");
      await clock.advance(1000);
    }
    assert.deepEqual(await bridge.listConversations({}), []);
    assert.equal(gateway.requests.filter((r) => r.method === "connect").length, 1);
    // Then silence: after more than 2 s the bridge gives the connection up and reconnects after 1 s.
    await clock.advance(3000);
    await assert.rejects(bridge.listConversations({}), new Error("gateway not connected"));
    await clock.advance(1000);
    await until(
      () => gateway.requests.filter((r) => r.method === "sessions.subscribe").length === 2,
      "the subscription of the new connection",
    );
    assert.equal(gateway.requests.filter((r) => r.method === "connect").length, 2);
    assert.equal(queue.poll({ afterCursor: 0 }, 10).events.length, 4, "the queue outlives the connection");
  }, { clock, tickIntervalMs: 1000 });
});
