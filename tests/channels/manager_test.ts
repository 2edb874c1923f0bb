import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { type ChannelKind, defineChannelKind } from "../../src/channels/catalog.ts";
import { ChannelManager, type ChannelManagerDeps } from "../../src/channels/manager.ts";
import type { AccountHost, ChannelAccount, InboundMessage } from "../../src/channels/types.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { getLogger } from "../../src/log/logger.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { FAKE_ANSWER, FAKE_LINES_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { until } from "../support/until.ts";
import { resolveRouting } from "../../src/config/resolve_sections.ts";
import { routeInbound } from "../../src/channels/routing.ts";

/** A chat network in memory: the test delivers messages through `host`, and reads what the bot sent. */
class FakeNetwork {
  host: AccountHost | undefined;
  sent: { target: string; text: string }[] = [];
  started = 0;
  stopped = 0;

  /** A channel kind whose accounts live on this network (it takes the irc slot: ids are a closed set). */
  kind(): ChannelKind {
    return defineChannelKind({
      id: "irc",
      label: "Fake",
      section: (channels) => channels.irc,
      hasIdentity: (settings) => typeof settings.host === "string",
      create: (account, context) => {
        this.host = context.host;
        const created: ChannelAccount = {
          channel: "irc",
          accountId: account.accountId,
          textChunkLimit: 400,
          streamBreak: "line",
          start: () => void this.started++,
          stop: () => (this.stopped++, Promise.resolve()),
          probe: () => Promise.resolve({ ok: true, elapsedMs: 0 }),
          send: (target, text) => (this.sent.push({ target, text }), Promise.resolve({ messageId: "m" })),
          status: () => ({
            accountId: account.accountId,
            enabled: true,
            configured: true,
            running: true,
            connected: true,
            reconnectAttempts: 0,
            lastConnectedAt: 1,
            lastError: null,
            lastStartAt: 1,
            lastStopAt: null,
            lastInboundAt: null,
            lastOutboundAt: null,
          }),
        };
        return Promise.resolve(created);
      },
      targetPrefixes: ["fake"],
      dmTarget: (senderId) => senderId.split("!")[0]!,
      normalizeAllowEntry: (entry) => entry.trim(),
    });
  }

  /** Delivers a message from `sender` (a DM, or in `group` when given). */
  deliver(text: string, options: { sender?: string; group?: string; mentioned?: boolean; id?: string } = {}) {
    const sender = options.sender ?? "alice!a@host";
    const message: InboundMessage = {
      channel: "irc",
      accountId: "default",
      messageId: options.id ?? crypto.randomUUID(),
      peerKind: options.group ? "group" : "direct",
      senderId: sender,
      senderAliases: [],
      senderName: sender.split("!")[0]!,
      groupId: options.group,
      replyTo: options.group ?? sender.split("!")[0]!,
      text,
      mentioned: options.mentioned ?? false,
    };
    this.host!.inbound(message);
  }
}

/** A manager on a fake network, with real runs against the fake model server; `body` gets both. */
async function withManager(
  channel: Record<string, unknown>,
  body: (manager: ChannelManager, network: FakeNetwork, logs: string[], sessions: SessionStore) => Promise<void>,
  model = "m1",
  extra: Partial<ChannelManagerDeps> = {},
) {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-manager-" });
  const config = {
    models: { providers: { fake: { baseUrl: upstream.url, models: [model] } } },
    agents: { defaults: { model: { primary: `fake/${model}` } } },
    channels: { irc: { host: "irc.invalid", nick: "bot", ...channel } },
  } as unknown as RawConfig;
  const agents = agentsFromConfig(config, stateDir, "/home/test");
  const logs: string[] = [];
  const base = getLogger("test");
  const log = { ...base, info: (message: string) => logs.push(message) } as unknown as typeof base;
  const sessions = new SessionStore(stateDir);
  const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {} });
  const network = new FakeNetwork();
  const routing = resolveRouting(config);
  const manager = new ChannelManager({
    stateDir,
    env: {},
    config: () => routing,
    defaultAgentId: () => "main",
    runs,
    log,
    kinds: [network.kind()],
    sessionSettings: (key, agentId) => sessions.get(key, agentId),
    commands: { sessions, runs, agents: () => agents, models: () => [] },
    ...extra,
  });
  try {
    await manager.reconcile();
    assert.equal(network.started, 1, "the configured account was started");
    await body(manager, network, logs, sessions);
  } finally {
    await manager.stop();
    runs.abortAll();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("ChannelManager: a DM from an unknown sender gets a pairing code once; after approval it is answered", async () => {
  await withManager({ dmPolicy: "pairing" }, async (manager, network, logs) => {
    network.deliver("hello?");
    await until(() => network.sent.length === 1, "the pairing reply");
    const reply = network.sent[0]!;
    assert.equal(reply.target, "alice");
    const code = /Pairing code:\n```\n(\S+)\n```/.exec(reply.text)?.[1];
    assert.ok(code, reply.text);
    assert.match(reply.text, /Your Fake id: alice!a@host/);
    assert.match(reply.text, new RegExp(`openclaw pairing approve irc ${code}`));
    // A second message while the request is pending gets no second code.
    network.deliver("hello again?");
    await until(() => logs.some((l) => /already pending/.test(l)), "the pending request to be logged");
    assert.equal(network.sent.length, 1);
    assert.deepEqual((await manager.pairing.list("irc")).map((r) => r.code), [code]);

    assert.ok(await manager.pairing.approve("irc", code!));
    network.deliver("what now?");
    await until(() => network.sent.length === 2, "the agent's answer");
    assert.deepEqual(network.sent[1], { target: "alice", text: FAKE_ANSWER });
  });
});

Deno.test("ChannelManager: an allowlisted sender's DM starts a run whose answer streams back line by line", async () => {
  await withManager({ dmPolicy: "allowlist", allowFrom: ["alice!a@host"] }, async (_manager, network, logs) => {
    network.deliver("go", { sender: "mallory!m@evil" });
    await until(() => logs.some((l) => /drop dm sender mallory!m@evil \(dm-not-allowed/.test(l)), "the drop");
    network.deliver("go");
    await until(() => network.sent.length === 3, "three answer lines");
    assert.deepEqual(network.sent.map((s) => s.target), ["alice", "alice", "alice"]);
    assert.equal(network.sent.map((s) => s.text).join("\n"), FAKE_LINES_ANSWER);
  }, "lines");
});

Deno.test("ChannelManager: in a group only a listed sender who mentions the bot in a listed room is answered", async () => {
  const channel = { groupPolicy: "allowlist", groupAllowFrom: ["alice!a@host"], groups: { "#room": {} } };
  await withManager(channel, async (_manager, network, logs) => {
    const dropped = (reason: string) => until(() => logs.some((l) => l.includes(`(${reason}`)), reason);
    network.deliver("chatting among ourselves", { group: "#room" });
    await dropped("missing-mention");
    network.deliver("bot: hi", { group: "#elsewhere", mentioned: true });
    await dropped("group-not-allowed");
    network.deliver("bot: hi", { group: "#room", mentioned: true, sender: "mallory!m@evil" });
    await dropped("group-sender-not-allowed");
    assert.deepEqual(network.sent, []);
    network.deliver("bot: hi", { group: "#room", mentioned: true });
    await until(() => network.sent.length > 0, "the answer in #room");
    assert.deepEqual(network.sent, [{ target: "#room", text: FAKE_ANSWER }]);
  });
});

Deno.test("ChannelManager: a group session's groupActivation decides its mention gate over the group's", async () => {
  const channel = { groupPolicy: "allowlist", groupAllowFrom: ["alice!a@host"], groups: { "#room": {} } };
  await withManager(channel, async (_manager, network, logs, sessions) => {
    const key = routeInbound(
      {
        channel: "irc",
        accountId: "default",
        messageId: "m",
        peerKind: "group",
        senderId: "alice!a@host",
        senderAliases: [],
        senderName: "alice",
        groupId: "#room",
        replyTo: "#room",
        text: "",
        mentioned: false,
      },
      { bindings: [], session: resolveRouting({} as RawConfig).session, defaultAgentId: "main" },
    ).sessionKey;
    await sessions.ensure(key, "main");
    await sessions.update(key, "main", { groupActivation: "always" });
    network.deliver("chatting among ourselves", { group: "#room" });
    await until(() => network.sent.length > 0, "the answer without a mention");
    assert.deepEqual(network.sent, [{ target: "#room", text: FAKE_ANSWER }]);
    await sessions.update(key, "main", { groupActivation: "mention" });
    network.deliver("still chatting", { group: "#room" });
    await until(() => logs.some((l) => l.includes("(missing-mention")), "the drop once a mention is asked for again");
  });
});

Deno.test("ChannelManager: a session whose sendPolicy is deny runs the turn but sends nothing to the chat", async () => {
  await withManager({ dmPolicy: "open", allowFrom: ["*"] }, async (_manager, network, _logs, sessions) => {
    network.deliver("first");
    await until(() => network.sent.length === 1, "the first answer");
    const [row] = await sessions.list(["main"]);
    await sessions.update(row!.key, "main", { sendPolicy: "deny" });
    network.deliver("second");
    await until(
      async () =>
        (await sessions.history(row!.key, "main")).messages.filter((m) => m.role === "assistant").length === 2,
      "the second turn's answer in the transcript",
    );
    assert.equal(network.sent.length, 1, "the denied answer was not sent");
    await sessions.update(row!.key, "main", { sendPolicy: undefined });
    network.deliver("third");
    await until(() => network.sent.length === 2, "the answer once the policy is cleared");
  });
});

Deno.test("ChannelManager: send delivers once per idempotency key; a model failure is told to the sender", async () => {
  await withManager({ dmPolicy: "open", allowFrom: ["*"] }, async (manager, network) => {
    const request = { to: "fake:bob", message: "deploy finished", idempotencyKey: "k1" };
    const first = await manager.send(request);
    const again = await manager.send(request);
    assert.deepEqual(again, first);
    assert.deepEqual(network.sent, [{ target: "bob", text: "deploy finished" }]);
    await assert.rejects(manager.send({ ...request, idempotencyKey: "k2", channel: "telegram" }), /Unknown channel/);
    network.deliver("hi");
    await until(() => network.sent.length === 2, "the failure notice");
    assert.match(network.sent[1]!.text, /^⚠️ The agent could not answer: /);
  }, "fail");
});

Deno.test("ChannelManager: a listed sender's command skips a group's mention gate; another bot's and plain text do not", async () => {
  const channel = { groupPolicy: "allowlist", groupAllowFrom: ["alice!a@host"], groups: { "#room": {} } };
  await withManager(channel, async (_manager, network, logs) => {
    const drops = () => logs.filter((l) => l.includes("(missing-mention")).length;
    network.deliver("/status", { group: "#room" });
    await until(() => network.sent.length > 0, "the status card without a mention");
    assert.match(network.sent[0]!.text, /^🦞 OpenClaw /);
    const sent = network.sent.length;
    // Addressed to another bot, mentioning someone, or plain text: the mention gate stands.
    for (const text of ["/new@otherbot", "/status @carol", "hello"]) {
      const before = drops();
      network.deliver(text, { group: "#room" });
      await until(() => drops() > before, `the drop of ${text}`);
    }
    assert.equal(network.sent.length, sent, "nothing answered for the gated ones");
  });
});

Deno.test("ChannelManager: in an open group with no allowlist, a member's command still needs the mention", async () => {
  await withManager({ groupPolicy: "open", groups: { "#room": {} } }, async (_manager, network, logs) => {
    network.deliver("/status", { group: "#room" });
    await until(() => logs.some((l) => l.includes("(missing-mention")), "the drop");
    network.deliver("bot: /status", { group: "#room", mentioned: true });
    await until(() => network.sent.length > 0, "an answer once mentioned");
  });
});

Deno.test("ChannelManager: a message held at a host suspension is answered on resume, and never by a stop", async () => {
  let reopen = Promise.withResolvers<void>();
  let closed = true;
  const admitted = () => closed ? reopen.promise : undefined;
  await withManager(
    { dmPolicy: "open", allowFrom: ["*"] },
    async (manager, network, logs, sessions) => {
      network.deliver("are you there?");
      await until(
        () => logs.some((l) => l === "irc: message held until the gateway resumes (host suspension)"),
        "held",
      );
      assert.deepEqual(network.sent, [], "nothing answered while suspended");
      closed = false;
      reopen.resolve();
      await until(() => network.sent.length === 1, "the answer after the resume");
      assert.deepEqual(network.sent[0], { target: "alice", text: FAKE_ANSWER });

      // Held again, then the gateway stops: the stop reopens the fence, but the message is not answered.
      closed = true;
      reopen = Promise.withResolvers<void>();
      const held = logs.filter((l) => /message held/.test(l)).length;
      network.deliver("still there?");
      await until(() => logs.filter((l) => /message held/.test(l)).length === held + 1, "held again");
      manager.drain();
      reopen.resolve();
      await until(() => logs.includes("irc: held message not answered: the gateway is stopping"), "the stop's cut");
      await manager.stop();
      assert.equal(network.sent.length, 1, "the stop answered nothing");
      // No turn began: a turn records its message in the session as it starts.
      const { messages } = await sessions.history("agent:main:main", "main");
      assert.ok(JSON.stringify(messages).includes("are you there?"), "the first message's turn is on record");
      assert.ok(!JSON.stringify(messages).includes("still there?"), "the held message started no turn");
    },
    "m1",
    { admitted },
  );
});
