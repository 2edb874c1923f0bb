// What chat clients see of heartbeat turns, and which wake targets are refused, through the real
// program: the reference 2026.9.6's replies and its hidden heartbeat rows (both measured against it).
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "heartbeat-hidden-token-0123456789";
const ALERT = "Disk /var is 95% full.";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

const named = (session: ReferenceSession, name: string) =>
  session.events.filter((e) => e.event === name).map((e) => e.payload as Record<string, unknown>);

type View = { role: string; content: unknown; __openclaw?: { turnBoundary?: boolean } };

Deno.test("heartbeat turns: chat.history and live events hide prompts and acknowledgements, rows stay; wake targets are checked", async () => {
  const upstream = startFakeUpstream();
  upstream.script("hb", [{ text: "HEARTBEAT_OK" }, { text: ALERT }, { text: "NO_REPLY" }, { text: "hello back" }]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["hb"] } } },
    agents: {
      defaults: { model: { primary: "fake/hb" }, heartbeat: { every: "0m", target: "none" } },
      list: [{ id: "main", default: true }, { id: "ops" }],
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  let session: ReferenceSession | undefined;
  try {
    session = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    assert.deepEqual(await session.request("sessions.subscribe", {}), { subscribed: true });
    await session.request("sessions.messages.subscribe", { key: "agent:main:main" });

    // The reference's refusals, word for word, before anything is queued.
    await assert.rejects(
      session.request("wake", { mode: "now", text: "x", agentId: "nosuch" }),
      /^.*cron job agent is unavailable: nosuch$/,
    );
    await assert.rejects(
      session.request("wake", { mode: "now", text: "x", sessionKey: "agent:nosuch:main" }),
      /cron job agent is unavailable: nosuch/,
    );
    await assert.rejects(
      session.request("wake", { mode: "now", text: "x", sessionKey: "agent:main:subagent:a" }),
      /wake sessionKey cannot target a subagent session/,
    );
    await assert.rejects(
      session.request("wake", { mode: "now", text: "x", sessionKey: "agent::main" }),
      /malformed session key "agent::main"/,
    );
    assert.deepEqual((await session.request<{ queuedSystemEvents: string[] }>("status")).queuedSystemEvents, []);
    assert.equal(upstream.requestsOf("hb").length, 0);

    // Two heartbeat turns in the main session: an acknowledgement, then an alert.
    await session.request("wake", { mode: "now", text: "build finished" });
    await until(() => named(session!, "heartbeat").length === 1, "the first heartbeat");
    await session.request("wake", { mode: "now", text: "check the disk" });
    await until(() => named(session!, "heartbeat").length === 2, "the second heartbeat");
    await until(
      () => named(session!, "chat").filter((p) => p.state === "final").length === 2,
      "both heartbeat runs' finals",
    );

    const history = await session.request<{ messages: View[]; totalMessages: number; hasMore: boolean }>(
      "chat.history",
      { sessionKey: "agent:main:main" },
    );
    // Four rows in the transcript; only the alert shown, marked as the start of a turn.
    assert.equal(history.totalMessages, 4);
    // hasMore counts the stored rows: the reference answers true here too (measured: 2 rows, 1 shown).
    assert.equal(history.hasMore, true);
    assert.deepEqual(history.messages.map((m) => [m.role, JSON.stringify(m.content)]), [
      ["assistant", JSON.stringify([{ type: "text", text: ALERT }])],
    ]);
    assert.equal(history.messages[0]!.__openclaw?.turnBoundary, true);

    // Live: no deltas of a heartbeat run; the acknowledgement's final carries no message, the alert's does.
    const chat = named(session, "chat");
    assert.deepEqual(chat.filter((p) => p.state === "delta"), []);
    const finals = chat.filter((p) => p.state === "final");
    assert.equal(finals[0]!.message, undefined);
    assert.match(JSON.stringify(finals[1]!.message), /95% full/);
    // session.message only for the alert; the hidden rows come as sessions.changed phase message.
    const messages = named(session, "session.message");
    assert.deepEqual(messages.map((p) => (p.message as View).role), ["assistant"]);
    await until(
      () => named(session!, "sessions.changed").filter((p) => p.phase === "message").length === 3,
      "three hidden rows reported as changes",
    );

    // A bare session key belongs to the default agent: the turn runs in agent:main:foo.
    await session.request("wake", { mode: "now", text: "ping", sessionKey: "foo" });
    await until(() => named(session!, "heartbeat").length === 3, "the wake in foo");
    const foo = await session.request<{ messages: View[]; totalMessages: number }>("chat.history", {
      sessionKey: "agent:main:foo",
    });
    assert.deepEqual([foo.totalMessages, foo.messages.length], [2, 0]);

    // Ordinary chat is untouched.
    await session.request("chat.send", { sessionKey: "agent:main:main", message: "hi", idempotencyKey: "c-1" });
    await until(() => named(session!, "chat").some((p) => p.runId === "c-1" && p.state === "final"), "chat answer");
    const after = await session.request<{ messages: View[] }>("chat.history", { sessionKey: "agent:main:main" });
    assert.deepEqual(after.messages.map((m) => m.role), ["assistant", "user", "assistant"]);
  } finally {
    session?.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
