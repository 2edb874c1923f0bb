// The message and session internal hook events in the running gateway, seen by a workspace hook
// (tests/support/hook_recorder.ts) subscribed to the `message`, `session` and `command` families: what a Gateway
// client's chat.send, sessions.patch, /model, sessions.compact and /new emit, with the context keys the reference
// OpenClaw 2026.9.6 gave the same hook (tests/fixtures/hook_events/reference_events.jsonl).
import assert from "node:assert/strict";
import { isSummaryRequest, startContextUpstream } from "../support/fake_context_upstream.ts";
import { FAKE_ANSWER, FAKE_TRANSCRIPT, startFakeUpstream } from "../support/fake_upstream.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { IrcTestClient, startIrcServer } from "../support/ngircd.ts";
import { readHookEvents, type RecordedHookEvent, writeHookRecorder } from "../support/hook_recorder.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "hook-events-token-0123456789abcdef";
const KEY = "agent:main:main";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

/** The context keys of the reference's last event of each kind (`command:reset`: sessions.reset's), from the recording. */
async function referenceKeys(): Promise<Map<string, string[]>> {
  const text = await Deno.readTextFile(new URL("../fixtures/hook_events/reference_events.jsonl", import.meta.url));
  const keys = new Map<string, string[]>();
  for (const line of text.split("\n").filter(Boolean)) {
    const event = JSON.parse(line) as { type: string; action: string; contextKeys: string[] };
    const key = `${event.type}:${event.action}`;
    keys.set(key, event.contextKeys);
  }
  return keys;
}

/** Each recorded reference step's answer and the `chat` frames it caused. */
async function referenceSteps(): Promise<{ step: string; answer: unknown }[]> {
  const text = await Deno.readTextFile(new URL("../fixtures/hook_events/reference_steps.json", import.meta.url));
  return JSON.parse(text);
}

/** Sends a chat.send and waits for its `chat` final; returns the final's text. */
async function send(session: ReferenceSession, message: string, id: string): Promise<string> {
  await session.request("chat.send", { sessionKey: KEY, message, idempotencyKey: id });
  const finalOf = () =>
    session.events.find((e) => {
      const p = e.payload as { runId?: string; state?: string };
      return e.event === "chat" && p.runId === id && (p.state === "final" || p.state === "error");
    });
  await until(() => finalOf() !== undefined, `the answer to ${message}`);
  const payload = finalOf()!.payload as { message?: { content?: { text?: string }[] } };
  return (payload.message?.content ?? []).map((c) => c.text ?? "").join("");
}

/** The events of one key the `recorder` hook got. */
function only(events: RecordedHookEvent[], key: string): RecordedHookEvent[] {
  return events.filter((e) => e.hook === "recorder" && `${e.type}:${e.action}` === key);
}

Deno.test("chat.send, sessions.patch, /model, sessions.compact and /new emit the message and session hook events", async () => {
  const upstream = startContextUpstream();
  const home = await tempHome();
  const workspace = `${home.home}/ws`;
  await writeHookRecorder(workspace, {
    events: ["message", "session", "command"],
    replies: { "command:new": ["Reset hook ran."], "session:compact:before": ["compacting"] },
  });
  // A second hook whose handler throws: the dispatcher logs it and the turn goes on.
  await writeHookRecorder(workspace, { name: "thrower", events: ["message:received"], throwOn: ["message:received"] });
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      gateway: { mode: "local", auth: { token: TOKEN } },
      tools: { profile: "minimal" },
      models: {
        providers: {
          fake: {
            baseUrl: upstream.url,
            api: "openai-completions",
            models: [{ id: "small", contextWindow: 2000 }, { id: "big" }],
          },
        },
      },
      agents: { defaults: { model: { primary: "fake/small" }, workspace, compaction: { keepRecentTokens: 200 } } },
      hooks: {
        internal: { enabled: true, entries: { recorder: { enabled: true }, thrower: { enabled: true } } },
      },
    }),
  );
  const { proc, port } = await startGateway({ home: home.home });
  let ui: ReferenceSession | undefined;
  try {
    await proc.waitForLine(/loaded 2 internal hook handlers/);
    ui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    const reference = await referenceKeys();

    // An accepted chat.send: received and preprocessed, each once; a Gateway client's reply is no `message:sent`.
    assert.equal(await send(ui, `hello there ${"a".repeat(600)}`, "e-1"), "Noted.");
    await until(async () => only(await readHookEvents(home.home), "message:preprocessed").length === 1, "preprocessed");
    await proc.waitForLine(/Hook error \[message:received\]: boom/);
    let events = await readHookEvents(home.home);
    const [received] = only(events, "message:received");
    assert.deepEqual(received!.contextKeys, reference.get("message:received"));
    assert.equal(received!.sessionKey, KEY);
    assert.deepEqual(received!.context, {
      from: "",
      content: `hello there ${"a".repeat(600)}`,
      channelId: "webchat",
      conversationId: KEY,
      messageId: "e-1",
      metadata: { provider: "webchat", surface: "webchat", senderId: "cli" },
    });
    const [preprocessed] = only(events, "message:preprocessed");
    assert.deepEqual(preprocessed!.contextKeys, reference.get("message:preprocessed"));
    assert.equal(preprocessed!.hasCfg, true);
    assert.deepEqual(
      {
        body: preprocessed!.context.body,
        isGroup: preprocessed!.context.isGroup,
        senderId: preprocessed!.context.senderId,
      },
      { body: `hello there ${"a".repeat(600)}`, isGroup: false, senderId: "cli" },
    );

    // sessions.patch: the request-shaped patch and the entry after it.
    await ui.request("sessions.patch", { key: KEY, label: "recorded" });
    await until(async () => only(await readHookEvents(home.home), "session:patch").length === 1, "session:patch");
    const [patch] = only(await readHookEvents(home.home), "session:patch");
    assert.deepEqual(patch!.contextKeys, reference.get("session:patch"));
    assert.deepEqual(patch!.context.patch, { key: KEY, label: "recorded" });
    assert.equal((patch!.context.sessionEntry as { label?: string }).label, "recorded");
    assert.equal(patch!.hasCfg, true);

    // /model: a changed choice is a patch naming the model as typed; choosing it again changes nothing.
    await send(ui, "/model fake/big", "e-2");
    await until(async () => only(await readHookEvents(home.home), "session:patch").length === 2, "the /model patch");
    await send(ui, "/model fake/big", "e-3");
    events = await readHookEvents(home.home);
    assert.deepEqual(only(events, "session:patch")[1]!.context.patch, { key: KEY, model: "fake/big" });
    await send(ui, "/model fake/small", "e-4");
    await send(ui, `second note ${"b".repeat(600)}`, "e-5");

    // sessions.compact: before (awaited, its reply handed to no one here) and after, with the counts.
    const compacted = await ui.request<{ compacted: boolean }>("sessions.compact", { key: KEY });
    assert.equal(compacted.compacted, true);
    assert.ok(upstream.requests.some(isSummaryRequest));
    events = await readHookEvents(home.home);
    const [before] = only(events, "session:compact:before");
    assert.deepEqual(before!.contextKeys, reference.get("session:compact:before"));
    assert.equal(before!.context.missingSessionKey, false);
    assert.equal(typeof before!.context.tokenCount, "number");
    const [after] = only(events, "session:compact:after");
    assert.deepEqual(after!.contextKeys, [
      "compactedCount",
      "firstKeptEntryId",
      "messageCount",
      "missingSessionKey",
      "sessionId",
      "summaryLength",
      "tokenCount",
      "tokensAfter",
      "tokensBefore",
    ]);
    assert.equal(after!.context.sessionId, before!.context.sessionId);
    assert.ok((after!.context.tokensAfter as number) < (after!.context.tokensBefore as number));

    // /new over chat.send: the hook's reply is not routed to a Gateway client (the reference's webchat path).
    assert.equal(await send(ui, "/new", "e-6"), "✅ New session started.");
    // The sixth message's observation runs beside the command: waited for, not assumed.
    await until(async () => only(await readHookEvents(home.home), "message:received").length === 6, "6 received");
    events = await readHookEvents(home.home);
    assert.equal(only(events, "command:new").length, 1);
    // The reference's chat-path keys; the store is the agent's database, the ended window's text read before the reset.
    const [chatNew] = only(events, "command:new");
    assert.deepEqual(chatNew!.contextKeys, reference.get("command:new"));
    const storePath = `${home.stateDir}/agents/main/agent/openclaw-agent.sqlite`;
    assert.equal(chatNew!.context.storePath, storePath);
    const memory = chatNew!.context.previousSessionMemory as { status: string; content: string; originClass: string };
    assert.deepEqual([memory.status, memory.originClass], ["available", "agent"]);
    assert.match(memory.content, /^user: "second note b+"$/m);
    assert.equal(only(events, "message:received").length, 6);
    assert.equal(only(events, "message:sent").length, 0);

    // /stop over chat.send: the reference's fast abort, its answer as recorded and no event at all.
    const stopStep = (await referenceSteps()).find((s) => s.step === "chat.send /stop")!;
    assert.deepEqual(
      await ui.request("chat.send", { sessionKey: KEY, message: "/stop", idempotencyKey: "e-stop" }),
      stopStep.answer,
    );
    // The next accepted send's events come after anything /stop could have emitted.
    await send(ui, "after the stop", "e-7");
    await until(
      async () => only(await readHookEvents(home.home), "message:preprocessed").length === 7,
      "7 preprocessed",
    );
    events = await readHookEvents(home.home);
    assert.equal(only(events, "message:received").length, 7);
    assert.equal(only(events, "command:stop").length, 0);

    // sessions.reset: command:reset before the reset, the replaced entry as both entries, no sender.
    const current = only(events, "command:new")[0]!.context.sessionEntry as { sessionId: string };
    await ui.request("sessions.reset", { key: KEY });
    events = await readHookEvents(home.home);
    const [gatewayReset] = only(events, "command:reset");
    assert.deepEqual(gatewayReset!.contextKeys, reference.get("command:reset"));
    assert.deepEqual(
      [
        gatewayReset!.context.commandSource,
        gatewayReset!.context.agentId,
        gatewayReset!.context.workspaceDir,
        gatewayReset!.context.storePath,
      ],
      ["gateway:sessions.reset", "main", workspace, storePath],
    );
    assert.equal((gatewayReset!.context.previousSessionEntry as { sessionId: string }).sessionId, current.sessionId);

    // A bare /new through `agent`: the Gateway reset's event (the sessions.reset keys), its source `gateway:agent`.
    const beforeAgent = (await ui.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {}))
      .sessions.find((r) => r.key === KEY)!.sessionId;
    const agentAnswer = await ui.request<{ status: string }>("agent", {
      sessionKey: KEY,
      message: "/new",
      idempotencyKey: "e-agent-new",
    });
    assert.equal(agentAnswer.status, "ok");
    events = await readHookEvents(home.home);
    const agentNew = only(events, "command:new")[1]!;
    assert.deepEqual(agentNew.contextKeys, reference.get("command:reset"));
    assert.deepEqual(
      [agentNew.context.commandSource, agentNew.context.storePath, agentNew.sessionKey],
      ["gateway:agent", storePath, KEY],
    );
    assert.equal((agentNew.context.previousSessionEntry as { sessionId: string }).sessionId, beforeAgent);

    // sessions.create succeeding an existing parent with emitCommandHooks: the parent's command:new, source webchat.
    const created = await ui.request<{ key: string }>("sessions.create", {
      parentSessionKey: KEY,
      emitCommandHooks: true,
    });
    events = await readHookEvents(home.home);
    const createNew = only(events, "command:new")[2]!;
    assert.deepEqual(createNew.contextKeys, reference.get("command:reset"));
    assert.deepEqual([createNew.context.commandSource, createNew.sessionKey], ["webchat", KEY]);
    assert.notEqual(created.key, KEY);
    // Without emitCommandHooks no event; a parent that does not exist is refused in the reference's words.
    await ui.request("sessions.create", { parentSessionKey: KEY });
    await assert.rejects(
      ui.request("sessions.create", { parentSessionKey: "agent:main:nobody", emitCommandHooks: true }),
      /unknown parent session: agent:main:nobody/,
    );
    assert.equal(only(await readHookEvents(home.home), "command:new").length, 3);
    // The recorded Gateway resets (tests/fixtures/hook_events/reference_resets_events.jsonl): the same keys and sources.
    const recordedResets = (await Deno.readTextFile(
      new URL("../fixtures/hook_events/reference_resets_events.jsonl", import.meta.url),
    )).split("\n").filter(Boolean).map((l) =>
      JSON.parse(l) as { type: string; contextKeys: string[]; context: { commandSource?: string } }
    )
      .filter((e) => e.type === "command");
    assert.deepEqual(
      recordedResets.map((e) => [e.contextKeys, e.context.commandSource]),
      [agentNew, createNew].map((e) => [e.contextKeys, e.context.commandSource]),
    );
    // A spoken stop word over chat.send is the same fast abort, as recorded.
    const resetSteps = JSON.parse(
      await Deno.readTextFile(
        new URL("../fixtures/hook_events/reference_resets_steps.json", import.meta.url),
      ),
    ) as { step: string; answer?: unknown }[];
    const eventsBeforeStop = (await readHookEvents(home.home)).length;
    assert.deepEqual(
      await ui.request("chat.send", { sessionKey: KEY, message: "stop", idempotencyKey: "e-stop-word" }),
      resetSteps.find((s) => s.step === "chat.send stop")!.answer,
    );
    assert.equal((await readHookEvents(home.home)).length, eventsBeforeStop);
  } finally {
    ui?.stop();
    await Promise.all([proc.stop(), upstream.stop()]);
    await home.cleanup();
  }
});

Deno.test("irc: a DM emits message:received, message:preprocessed and message:sent; /new's hook reply replaces the ack; a send for the session is its message:sent", async () => {
  const irc = await startIrcServer();
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome();
  const workspace = `${home.home}/ws`;
  await writeHookRecorder(workspace, {
    events: ["message", "command:new"],
    replies: { "command:new": ["Reset hook ran.", "Second line."] },
  });
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      gateway: { mode: "local", port, auth: { token: TOKEN } },
      models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["m1"] } } },
      agents: { defaults: { model: { primary: "fake/m1" }, workspace } },
      channels: {
        irc: {
          host: "127.0.0.1",
          port: irc.port,
          tls: false,
          nick: "ocbot",
          channels: ["#hooks"],
          dmPolicy: "open",
          allowFrom: ["*"],
          messagesPerSecond: 20,
        },
      },
      hooks: { internal: { enabled: true, entries: { recorder: { enabled: true } } } },
    }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  let alice: IrcTestClient | undefined;
  let ui: ReferenceSession | undefined;
  try {
    await proc.waitForLine(/loaded 1 internal hook handler$/);
    alice = await IrcTestClient.connect(irc.port, "alice");
    await alice.join("#hooks");
    await alice.waitForMember("#hooks", "ocbot");
    await alice.say("ocbot", "hello bot");
    await alice.waitFor((m) => m.length >= 1);
    await until(async () => only(await readHookEvents(home.home), "message:sent").length === 1, "message:sent");
    const events = await readHookEvents(home.home);
    const [received] = only(events, "message:received");
    const sessionKey = received!.sessionKey;
    assert.match(sessionKey, /^agent:main:/);
    assert.deepEqual(
      {
        content: received!.context.content,
        channelId: received!.context.channelId,
        accountId: received!.context.accountId,
      },
      { content: "hello bot", channelId: "irc", accountId: "default" },
    );
    assert.match(String(received!.context.from), /^irc:alice/);
    const [preprocessed] = only(events, "message:preprocessed");
    assert.equal(preprocessed!.context.bodyForAgent, "hello bot");
    assert.equal(preprocessed!.context.isGroup, false);
    const [sent] = only(events, "message:sent");
    assert.equal(sent!.sessionKey, sessionKey);
    assert.deepEqual(
      { content: sent!.context.content, success: sent!.context.success, channelId: sent!.context.channelId },
      { content: FAKE_ANSWER, success: true, channelId: "irc" },
    );
    assert.equal(sent!.context.to, sent!.context.conversationId);
    assert.equal("error" in sent!.context, false);

    // `/new`: the hook's replies, joined by a blank line, go to the DM instead of "✅ New session started.".
    const seen = alice.messages.length;
    await alice.say("ocbot", "/new");
    await until(
      async () => only(await readHookEvents(home.home), "message:sent").length === 2,
      "the hook reply's send",
    );
    const replies = (await alice.waitFor((m) => m.length >= seen + 2)).slice(seen).map((m) => m.text);
    assert.deepEqual(replies, ["Reset hook ran.", "Second line."]);
    assert.equal(
      only(await readHookEvents(home.home), "message:sent")[1]!.context.content,
      "Reset hook ran.\n\nSecond line.",
    );
    assert.equal(only(await readHookEvents(home.home), "command:new").length, 1);
    // The next answer comes after anything `/new` sent: no acknowledgement was among them.
    await alice.say("ocbot", "and now?");
    await until(async () => only(await readHookEvents(home.home), "message:sent").length === 3, "the next answer");
    assert.equal(alice.messages.some((m) => m.text.includes("New session started")), false);

    // The `send` method for a session: its delivery is that session's message:sent, as the reference's outbound.
    ui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    await ui.request("send", {
      to: "alice",
      channel: "irc",
      message: "from the operator",
      idempotencyKey: "send-1",
      sessionKey,
    });
    await alice.waitFor((m) => m.some((x) => x.text === "from the operator"));
    await until(async () => only(await readHookEvents(home.home), "message:sent").length === 4, "the send's event");
    const operatorSent = only(await readHookEvents(home.home), "message:sent")[3]!;
    assert.equal(operatorSent.sessionKey, sessionKey);
    assert.deepEqual(
      [
        operatorSent.context.content,
        operatorSent.context.success,
        operatorSent.context.to,
        operatorSent.context.channelId,
      ],
      ["from the operator", true, "alice", "irc"],
    );
  } finally {
    ui?.stop();
    await alice?.close();
    await Promise.all([proc.stop(), upstream.stop()]);
    await irc.cleanup();
    await home.cleanup();
  }
});

/** An Ogg Opus voice note's first page (OpusHead), padded past the 1 KiB the reference skips below. */
function voiceNote(): Uint8Array {
  const bytes = new Uint8Array(4000);
  bytes.set(new TextEncoder().encode("OggS"));
  bytes[5] = 2;
  bytes.set(new TextEncoder().encode("OpusHead"), 28);
  return bytes;
}

Deno.test("telegram: a transcribed voice note emits message:received with its media, then message:transcribed and message:preprocessed", async () => {
  const botToken = "123456:TEST-hook-events-bot";
  const telegram = startFakeTelegram(botToken);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome();
  const workspace = `${home.home}/ws`;
  await writeHookRecorder(workspace, { events: ["message"] });
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      gateway: { mode: "local", port, auth: { token: TOKEN } },
      models: {
        providers: {
          fake: { baseUrl: upstream.url, api: "openai-completions", models: ["lines"] },
          openai: { baseUrl: upstream.url, apiKey: "sk-audio-key", models: [] },
        },
      },
      agents: { defaults: { model: { primary: "fake/lines" }, workspace } },
      tools: {
        media: {
          models: [{ provider: "openai", model: "whisper-1", capabilities: ["audio"] }],
          audio: { enabled: true },
        },
      },
      channels: { telegram: { botToken, apiRoot: telegram.url, dmPolicy: "open", allowFrom: ["*"] } },
      hooks: { internal: { enabled: true, entries: { recorder: { enabled: true } } } },
    }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  try {
    await proc.waitForLine(/telegram\/default: polling as @oc_test_bot/);
    await proc.waitForLine(/loaded 1 internal hook handler$/);
    telegram.push(telegram.media(42, { field: "voice", bytes: voiceNote(), mimeType: "audio/ogg" }));
    await telegram.waitForSent((s) => s.length === 1, 20_000);
    await until(async () => only(await readHookEvents(home.home), "message:sent").length === 1, "message:sent");
    const events = await readHookEvents(home.home);
    // Received before the files were read, sent after the answer; the two preprocessing events start together (their
    // handlers' writes may land in either order).
    const actions = events.filter((e) => e.hook === "recorder").map((e) => e.action);
    assert.deepEqual([actions[0], [...actions.slice(1, 3)].sort(), actions[3]], [
      "received",
      ["preprocessed", "transcribed"],
      "sent",
    ]);
    const [received] = only(events, "message:received");
    const media = received!.context.media as { path: string; contentType: string; kind: string }[];
    assert.equal(media.length, 1);
    assert.deepEqual([media[0]!.contentType, media[0]!.kind], ["audio/ogg", "audio"]);
    assert.equal((received!.context.metadata as { mediaPath?: string }).mediaPath, media[0]!.path);
    const [transcribed] = only(events, "message:transcribed");
    assert.equal(transcribed!.context.transcript, FAKE_TRANSCRIPT);
    assert.equal(transcribed!.hasCfg, true);
    const [preprocessed] = only(events, "message:preprocessed");
    assert.equal(preprocessed!.context.transcript, FAKE_TRANSCRIPT);
    assert.equal(
      preprocessed!.context.bodyForAgent,
      `[Audio transcript (machine-generated, untrusted)]: ${JSON.stringify(FAKE_TRANSCRIPT)}`,
    );
    assert.deepEqual(
      [only(events, "message:sent")[0]!.context.channelId, only(events, "message:sent")[0]!.context.success],
      ["telegram", true],
    );
  } finally {
    await proc.stop();
    await Promise.all([telegram.stop(), upstream.stop()]);
    await home.cleanup();
  }
});
