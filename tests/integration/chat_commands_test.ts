// Slash commands over `chat.send`, through the real program: the gateway answers them itself (the
// fake model never sees them): `/new` starts a fresh session window, `/model` switches the model the
// upstream receives, `/stop` aborts a running turn, `/usage`, `/send` and `/name` set the session's own
// settings, and the owner-only ones tell a client without operator.admin what it lacks.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "chat-commands-token-0123456789ab";
const KEY = "agent:main:main";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

type Payload = Record<string, unknown>;
const chatOf = (session: ReferenceSession, runId: string) =>
  session.events.filter((e) => e.event === "chat" && (e.payload as Payload).runId === runId)
    .map((e) => e.payload as Payload);
const finalText = (session: ReferenceSession, runId: string) => {
  const final = chatOf(session, runId).find((p) => p.state === "final");
  return final ? (final.message as { content: { text: string }[] }).content[0]!.text : undefined;
};
const userTexts = (body: Payload) =>
  (body.messages as { role: string; content: unknown }[]).filter((m) => m.role === "user")
    .map((m) => typeof m.content === "string" ? m.content : JSON.stringify(m.content));

Deno.test("chat commands over chat.send: /new and /model are answered by the gateway, /stop aborts", async () => {
  const upstream = startFakeUpstream();
  const models = ["m1", "m2", "stall"].map((id) => ({ id, name: id, contextWindow: 32000 }));
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, models } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const ui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES })
    .catch(async (error) => {
      await Promise.all([proc.stop(), upstream.stop()]);
      await home.cleanup();
      throw error;
    });
  let n = 0;
  const send = async (message: string) => {
    const runId = `cmd-${++n}`;
    const sent = await ui.request<{ runId: string; status: string }>("chat.send", {
      sessionKey: KEY,
      message,
      deliver: false,
      idempotencyKey: runId,
    });
    assert.equal(sent.runId, runId);
    return runId;
  };
  const answered = async (runId: string) => {
    await until(() => finalText(ui, runId) !== undefined, `the final of ${runId}`);
    return finalText(ui, runId)!;
  };
  try {
    // /new: the model never sees what came before it.
    await answered(await send("remember the word pineapple"));
    assert.equal(await answered(await send("/new")), "✅ New session started.");
    const calls = upstream.requests.length;
    await answered(await send("what was the word?"));
    assert.equal(upstream.requests.length, calls + 1, "the command itself reached no model");
    const fresh = upstream.requests.at(-1)!;
    assert.deepEqual(userTexts(fresh).some((t) => t.includes("pineapple")), false);
    assert.ok(userTexts(fresh).some((t) => t.includes("what was the word?")));

    // /model: shows the current model, switches this session's model for the next turn.
    assert.match(await answered(await send("/model")), /^Current: fake\/m1\n/);
    assert.equal(
      await answered(await send("/model fake/m2")),
      "Model set to fake/m2 for this session only; configured default unchanged.",
    );
    await answered(await send("and now?"));
    assert.equal(upstream.requests.at(-1)!.model, "m2");
    assert.equal(
      await answered(await send("/model nope/x")),
      'Unknown provider "nope". Use /models to list providers.',
    );

    // /stop: aborts the running turn; the upstream request is cancelled.
    await answered(await send("/model fake/stall"));
    const stalled = await send("take your time");
    await until(() => upstream.requests.at(-1)?.model === "stall", "the stalled model call");
    // As the reference: a plain abort answered as chat.abort is, with no run and no reply of its own.
    const stop = await ui.request("chat.send", { sessionKey: KEY, message: "/stop", idempotencyKey: "cmd-stop" });
    assert.deepEqual(stop, { ok: true, aborted: true, runIds: [stalled] });
    await until(() => chatOf(ui, stalled).some((p) => p.state === "aborted"), "the aborted turn");
    await until(() => upstream.cancelled.includes("stall"), "the upstream call cancelled");

    // A Gateway client without operator.admin may stop, not reset: the reference's owner rule and words.
    const writer = await connectReference({
      port,
      token: TOKEN,
      mode: "cli",
      clientName: "cli",
      scopes: ["operator.read", "operator.write"],
    });
    try {
      const sessionBefore = (await ui.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {}))
        .sessions.find((r) => r.key === KEY)!.sessionId;
      await writer.request("chat.send", { sessionKey: KEY, message: "/new", deliver: false, idempotencyKey: "w-1" });
      await until(() => finalText(writer, "w-1") !== undefined, "the refusal");
      assert.equal(
        finalText(writer, "w-1"),
        "⚠️ You are not authorized to reset this session. Gateway resets require operator.admin and command access. " +
          "Ask your administrator to reset it, or send your message without the command.",
      );
      const sessionAfter = (await ui.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {}))
        .sessions.find((r) => r.key === KEY)!.sessionId;
      assert.equal(sessionAfter, sessionBefore, "the refused /new reset nothing");
      // /approve from a Gateway client is decided by its scopes (the reference's words without approvals).
      await writer.request("chat.send", {
        sessionKey: KEY,
        message: "/approve deadbeef-0000 allow-once",
        deliver: false,
        idempotencyKey: "w-2",
      });
      await until(() => finalText(writer, "w-2") !== undefined, "the /approve refusal");
      assert.equal(finalText(writer, "w-2"), "❌ /approve requires operator.approvals for gateway clients.");
      assert.equal(
        await answered(await send("/approve deadbeef-0000 allow-once")),
        "❌ Failed to submit approval: unknown or expired approval id",
      );
      // `/send` is the owner's: a client without operator.admin is told what it lacks, and nothing changes.
      await writer.request("chat.send", {
        sessionKey: KEY,
        message: "/send off",
        deliver: false,
        idempotencyKey: "w-3",
      });
      await until(() => finalText(writer, "w-3") !== undefined, "the /send refusal");
      assert.equal(
        finalText(writer, "w-3"),
        "You are not authorized to use this owner-only command. " +
          "Ask the operator to grant this Gateway client operator.admin access.",
      );
      // `/whoami`: a client that is not an operator UI is the sender by its client id.
      await writer.request("chat.send", { sessionKey: KEY, message: "/whoami", deliver: false, idempotencyKey: "w-4" });
      await until(() => finalText(writer, "w-4") !== undefined, "the /whoami card");
      assert.equal(finalText(writer, "w-4"), "🧭 Identity\nChannel: webchat\nUser id: cli\nAllowFrom: cli");
    } finally {
      writer.stop();
    }

    // The session's own settings from chat, as sessions.list then shows them; `/activation` is for groups.
    assert.equal(await answered(await send("/usage tokens")), "⚙️ Usage footer: tokens.");
    assert.equal(await answered(await send("/name Groceries")), "✅ Session renamed to “Groceries”.");
    assert.equal(await answered(await send("/activation always")), "⚙️ Group activation only applies to group chats.");
    assert.equal(await answered(await send("/send off")), "⚙️ Send policy set to off.");
    const row = (await ui.request<{ sessions: Payload[] }>("sessions.list", {})).sessions.find((r) => r.key === KEY)!;
    assert.equal(row.responseUsage, "tokens");
    assert.equal(row.sendPolicy, "deny");
    assert.equal(row.label, "Groceries");
    assert.equal(row.groupActivation, undefined);
    // As the reference: a session whose policy denies sends takes no chat.send at all (commands too) until cleared.
    await assert.rejects(send("/send inherit"), /send blocked by session policy/);
    await ui.request("sessions.patch", { key: KEY, sendPolicy: null });

    // commands.list names exactly these commands.
    const listed = await ui.request<{ commands: { name: string }[] }>("commands.list", {});
    assert.deepEqual(listed.commands.map((c) => c.name), [
      "help",
      "status",
      "approve",
      "whoami",
      "usage",
      "stop",
      "activation",
      "send",
      "reset",
      "new",
      "name",
      "compact",
      "think",
      "model",
      "models",
    ]);
    // The chat view's metadata carries the same commands (text names), as the reference's does.
    const metadata = await ui.request<{ commands: { name: string }[] }>("chat.metadata", { sessionKey: KEY });
    assert.deepEqual(metadata.commands.map((c) => c.name), [
      "help",
      "status",
      "approve",
      "whoami",
      "usage",
      "stop",
      "activation",
      "send",
      "reset",
      "new",
      "name",
      "compact",
      "think",
      "model",
      "models",
    ]);
  } finally {
    ui.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
