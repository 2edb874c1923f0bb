// The messaging tools through the real program: a scripted model calls `message` and the text
// reaches a real IRC server (ngircd) — to an explicit target from an operator run, and by default
// back to the chat a channel run came from; `sessions_send` runs a second session and returns its reply.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "message-tool-token-0123456789ab";
const BOT = "msgbot";

type Final = { status: string; result: { payloads: { text: string }[] } };
type ToolMessage = { role: string; content?: string };

function toolResultOf(request: Record<string, unknown> | undefined): Record<string, unknown> {
  const messages = (request?.messages ?? []) as ToolMessage[];
  const tool = messages.findLast((m) => m.role === "tool");
  assert.ok(tool?.content, "the model got a tool result");
  return JSON.parse(tool.content) as Record<string, unknown>;
}

Deno.test("message tool: the model's send reaches IRC, explicitly and back to the chat a run came from", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["op", "dm"] } } },
    // Channel runs go to agent "dm" (model fake/dm), operator runs to "main" (fake/op).
    agents: {
      defaults: { model: { primary: "fake/op" } },
      list: [{ id: "main", default: true }, { id: "dm", model: "fake/dm" }],
    },
    bindings: [{ agentId: "dm", match: { channel: "irc" } }],
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
    channels: {
      irc: {
        host: "127.0.0.1",
        port: irc.port,
        tls: false,
        nick: BOT,
        channels: ["#ops"],
        dmPolicy: "open",
        allowFrom: ["*"],
        messagesPerSecond: 20,
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const alice = await IrcTestClient.connect(irc.port, "alice");
  const session = await connectReference({ port, token: TOKEN });
  try {
    await alice.join("#ops");
    await alice.waitForMember("#ops", BOT);

    // An operator run: no origin, so the model names channel and target.
    upstream.script("op", [
      {
        toolCalls: [{
          name: "message",
          args: { action: "send", channel: "irc", target: "#ops", message: "deploy finished" },
        }],
      },
      { text: "Sent." },
    ]);
    const final = await session.request<Final>(
      "agent",
      { message: "tell #ops the deploy finished", sessionKey: "agent:main:main", idempotencyKey: "msg-op" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    assert.equal(final.result.payloads[0]!.text, "Sent.");
    const got = await alice.waitFor((m) => m.some((x) => x.target === "#ops" && x.text === "deploy finished"));
    assert.equal(got.find((x) => x.text === "deploy finished")?.from, BOT);
    const sent = toolResultOf(upstream.requestsOf("op")[1]);
    assert.equal(sent.ok, true);
    assert.equal(sent.channel, "irc");
    assert.equal(sent.to, "#ops");

    // A run a DM started: `message` without channel or target answers in that DM.
    upstream.script("dm", [
      { toolCalls: [{ name: "message", args: { action: "send", message: "progress: half way" } }] },
      { text: "All done." },
    ]);
    await alice.say(BOT, "do the thing");
    const dm = await alice.waitFor((m) =>
      m.filter((x) => x.target === "alice").map((x) => x.text).includes("All done.")
    );
    assert.deepEqual(dm.filter((x) => x.target === "alice").map((x) => x.text), ["progress: half way", "All done."]);
    const fromDm = toolResultOf(upstream.requestsOf("dm")[1]);
    assert.equal(fromDm.to, "alice");

    // Without a channel and with no origin chat, the tool refuses in words the model can act on.
    upstream.script("op", [
      { toolCalls: [{ name: "message", args: { action: "send", target: "#ops", message: "x" } }] },
      { text: "Could not." },
    ]);
    await session.request<Final>(
      "agent",
      { message: "again", sessionKey: "agent:main:main", idempotencyKey: "msg-op-2" },
      { expectFinal: true },
    );
    const refused = (upstream.requestsOf("op").at(-1)!.messages as ToolMessage[]).findLast((m) => m.role === "tool");
    assert.match(refused!.content!, /Channel is required/);

    // `agent` with deliver: the finished reply goes to the channel target, reported as the reference's deliveryStatus.
    upstream.script("op", [{ text: "Report ready" }]);
    const delivered = await session.request<Final & { result: { deliveryStatus: Record<string, unknown> } }>(
      "agent",
      {
        message: "report",
        sessionKey: "agent:main:main",
        idempotencyKey: "msg-deliver",
        deliver: true,
        channel: "irc",
        to: "#ops",
      },
      { expectFinal: true },
    );
    assert.deepEqual(delivered.result.deliveryStatus, {
      requested: true,
      attempted: true,
      status: "sent",
      succeeded: true,
      resultCount: 1,
      payloadOutcomes: [{ index: 0, status: "sent", resultCount: 1 }],
    });
    await alice.waitFor((m) => m.some((x) => x.target === "#ops" && x.text === "Report ready"));
  } finally {
    session.stop();
    await alice.close();
    await proc.stop();
    await upstream.stop();
    await irc.cleanup();
    await home.cleanup();
  }
});

Deno.test("sessions_send: runs a second session through the run engine and returns its reply", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["boss", "worker"] } } },
    agents: { defaults: { model: { primary: "fake/boss" } } },
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    // The worker session runs on its own model (a session model override), so each script is its own.
    await session.request("sessions.create", { key: "agent:main:worker", model: "fake/worker" });
    upstream.script("worker", [{ text: "42 widgets in stock." }]);
    upstream.script("boss", [
      {
        toolCalls: [{
          name: "sessions_send",
          args: { sessionKey: "worker", message: "How many widgets?", timeoutSeconds: 20 },
        }],
      },
      { text: "The worker says 42." },
    ]);
    const final = await session.request<Final>(
      "agent",
      { message: "ask the worker", sessionKey: "agent:main:main", idempotencyKey: "send-1" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    assert.equal(final.result.payloads[0]!.text, "The worker says 42.");
    const result = toolResultOf(upstream.requestsOf("boss")[1]);
    assert.equal(result.status, "ok");
    assert.equal(result.sessionKey, "agent:main:worker");
    assert.equal(result.reply, "42 widgets in stock.");
    assert.deepEqual(result.delivery, { status: "skipped", mode: "announce" });
    const asked = upstream.requestsOf("worker")[0]!.messages as ToolMessage[];
    assert.ok(asked.some((m) => m.role === "user" && String(m.content).includes("How many widgets?")));

    // The second session's transcript holds the exchange.
    const history = await session.request<{ messages: { role: string }[] }>("chat.history", {
      sessionKey: "agent:main:worker",
    });
    assert.deepEqual(history.messages.map((m) => m.role), ["user", "assistant"]);

    // Sending into the calling session itself would wait on itself: refused as the reference words it.
    upstream.script("boss", [
      { toolCalls: [{ name: "sessions_send", args: { sessionKey: "main", message: "hello me" } }] },
      { text: "ok" },
    ]);
    await session.request<Final>(
      "agent",
      { message: "loop", sessionKey: "agent:main:main", idempotencyKey: "send-2" },
      { expectFinal: true },
    );
    const self = toolResultOf(upstream.requestsOf("boss").at(-1));
    assert.equal(self.status, "error");
    assert.equal(self.error, "sessions_send cannot target the calling session; use your own reply instead");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
