import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { type ChannelKind, defineChannelKind } from "../../src/channels/catalog.ts";
import { DurableInbound, type InboundDisposition } from "../../src/channels/durable_inbound.ts";
import { ChannelManager } from "../../src/channels/manager.ts";
import type { AccountHost, ChannelAccount, InboundMessage } from "../../src/channels/types.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { resolveRouting } from "../../src/config/resolve_sections.ts";
import { getLogger } from "../../src/log/logger.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { FAKE_ANSWER, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { until } from "../support/until.ts";

/** One account of a chat network in memory: the test hands it messages, reads what it sent. */
class FakeNetwork {
  host: AccountHost | undefined;
  sent: { target: string; text: string }[] = [];

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
          textChunkLimit: 4000,
          streamBreak: "paragraph",
          start: () => {},
          stop: () => Promise.resolve(),
          probe: () => Promise.resolve({ ok: true, elapsedMs: 0 }),
          send: (target, text) => (this.sent.push({ target, text }), Promise.resolve({})),
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
      dmTarget: (senderId) => senderId,
      normalizeAllowEntry: (entry) => entry.trim(),
    });
  }

  /** A message in `#room` addressed to the bot, stored under `eventId`; resolves once stored. */
  deliver(text: string, eventId: string): Promise<void> {
    const message: InboundMessage = {
      channel: "irc",
      accountId: "default",
      messageId: eventId,
      peerKind: "channel",
      senderId: "alice!a@host",
      senderAliases: [],
      senderName: "alice",
      groupId: "#room",
      replyTo: "#room",
      text,
      mentioned: true,
    };
    return this.host!.inbound(message, { eventId });
  }
}

/** A gateway's channel side on `stateDir`, answering with `model`; stopped as the gateway stops it. */
async function withGatewaySide(
  stateDir: string,
  upstream: FakeUpstream,
  model: string,
  body: (network: FakeNetwork, logs: string[]) => Promise<void>,
) {
  const config = {
    models: { providers: { fake: { baseUrl: upstream.url, models: [model] } } },
    agents: { defaults: { model: { primary: `fake/${model}` } } },
    channels: { irc: { host: "irc.invalid", nick: "bot", groupPolicy: "open" } },
  } as unknown as RawConfig;
  const agents = agentsFromConfig(config, stateDir);
  const logs: string[] = [];
  const base = getLogger("test");
  const log = { ...base, info: (message: string) => logs.push(message) } as unknown as typeof base;
  const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
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
  });
  try {
    await manager.reconcile();
    await body(network, logs);
  } finally {
    // The gateway's order: drain, abort the runs, stop the channels.
    manager.drain();
    runs.abortAll();
    await manager.stop();
  }
}

function statuses(stateDir: string): Record<string, string> {
  const db = openStateDb(stateDir);
  try {
    const rows = db.prepare("SELECT event_id, status FROM channel_ingress_events").all() as {
      "event_id": string;
      status: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.event_id, r.status]));
  } finally {
    db.close();
  }
}

Deno.test("durable inbound: an answered message is a tombstone; the same event again is not answered twice", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  try {
    await withGatewaySide(stateDir, upstream, "m1", async (network, logs) => {
      await network.deliver("hello", "c1-1");
      await until(() => network.sent.length === 1, "the answer");
      assert.deepEqual(network.sent, [{ target: "#room", text: FAKE_ANSWER }]);
      await until(() => statuses(stateDir)["c1-1"] === "completed", "the row completed");
      await network.deliver("hello", "c1-1");
      await until(
        () => logs.some((l) => /inbound c1-1 already completed; not answered again/.test(l)),
        "the duplicate",
      );
      assert.equal(network.sent.length, 1);
      assert.equal(upstream.requests.length, 1);
    });
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("durable inbound: an answer the stop cut off is given once after the next start, when the account is ready", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  try {
    await withGatewaySide(stateDir, upstream, "stall", async (network) => {
      await network.deliver("are you there?", "c1-1");
      await until(() => upstream.requests.length === 1, "the run to reach the model");
    });
    // The stop aborted the run: nothing was sent, and the message waits.
    assert.deepEqual(statuses(stateDir), { "c1-1": "pending" });
    await withGatewaySide(stateDir, upstream, "m1", async (network, logs) => {
      assert.equal(network.sent.length, 0, "nothing is answered before the account is ready");
      network.host!.ready();
      await until(() => network.sent.length === 1, "the kept message answered");
      assert.deepEqual(network.sent, [{ target: "#room", text: FAKE_ANSWER }]);
      assert.ok(logs.some((l) => /irc\/default: answering 1 inbound message\(s\) kept across a restart/.test(l)));
      await until(() => statuses(stateDir)["c1-1"] === "completed", "the row completed");
      // Ready again (a reconnect): nothing left to answer.
      network.host!.ready();
      await network.deliver("next", "c2-1");
      await until(() => network.sent.length === 2, "the next answer");
      assert.equal(upstream.requests.length, 3);
    });
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("durable inbound: a message a crash left claimed is answered once; a kept DM from another IRC connection is not", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  try {
    // What a killed gateway leaves: one channel message and one DM claimed by a process that is gone.
    const db = openStateDb(stateDir);
    const insert = db.prepare(
      `INSERT INTO channel_ingress_events (queue_name, event_id, channel_id, account_id, status, payload_json,
         received_at, updated_at, claim_token, claim_owner, claimed_at, attempts)
       VALUES ('["irc","default"]', ?, 'irc', 'default', 'claimed', ?, ?, ?, 'dead-token', '1', 1, 0)`,
    );
    const message = (text: string, direct: boolean) => ({
      message: {
        channel: "irc",
        accountId: "default",
        messageId: "x",
        peerKind: direct ? "direct" : "channel",
        senderId: "alice!a@host",
        senderAliases: [],
        senderName: "alice",
        groupId: direct ? undefined : "#room",
        replyTo: direct ? "alice" : "#room",
        text,
        mentioned: true,
      },
    });
    insert.run("old-1", JSON.stringify(message("in the room", false)), 1, 1);
    insert.run("old-2", JSON.stringify(message("in private", true)), 2, 2);
    db.close();
    await withGatewaySide(stateDir, upstream, "m1", async (network, logs) => {
      network.host!.ready({ connection: "new" });
      await until(() => statuses(stateDir)["old-1"] === "completed", "the channel message answered");
      assert.deepEqual(network.sent, [{ target: "#room", text: FAKE_ANSWER }]);
      assert.equal(statuses(stateDir)["old-2"], "failed");
      assert.ok(logs.some((l) => /inbound old-2 not answered \(a direct message from an earlier connection\)/.test(l)));
    });
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("durable inbound: a message its restarting account could not take, or that came during the stop, waits for the next ready", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  const db = openStateDb(stateDir);
  try {
    const answers: InboundDisposition[] = ["account-down", "done", "done"];
    const handled: string[] = [];
    const durable = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: (_kind, message) => (handled.push(message.text), Promise.resolve(answers.shift()!)),
      log: getLogger("test"),
    });
    const kind = new FakeNetwork().kind();
    const message = (text: string): InboundMessage => ({
      channel: "irc",
      accountId: "default",
      messageId: text,
      peerKind: "channel",
      senderId: "alice!a@host",
      senderAliases: [],
      senderName: "alice",
      groupId: "#room",
      replyTo: "#room",
      text,
      mentioned: true,
    });
    const status = (id: string) =>
      (db.prepare("SELECT status FROM channel_ingress_events WHERE event_id = ?").get(id) as { status: string }).status;
    await durable.receive(kind, message("one"), { eventId: "c1-1" });
    await durable.settled();
    assert.equal(status("c1-1"), "pending", "the restarting account's message waits");
    await durable.ready(kind, { channel: "irc", accountId: "default" });
    await durable.settled();
    assert.equal(status("c1-1"), "completed");
    assert.deepEqual(handled, ["one", "one"]);

    durable.drain();
    await durable.receive(kind, message("two"), { eventId: "c1-2" });
    assert.equal(status("c1-2"), "pending", "stored, not begun, during the stop");
    assert.deepEqual(handled, ["one", "one"]);
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("durable inbound: a row the reference kept (its transport event only) is read by the account's decoder and answered", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  const db = openStateDb(stateDir);
  try {
    db.prepare(
      `INSERT INTO channel_ingress_events (queue_name, event_id, channel_id, account_id, status, lane_key, payload_json,
         received_at, updated_at, claim_token, claim_owner, claimed_at, attempts)
       VALUES ('["irc","default"]', 'r1', 'irc', 'default', 'claimed', 'irc:#room', '{"version":1,"line":"hi there"}',
         1, 1, 'b2a86bda', '4782:2994273:4f206daa', 1, 0)`,
    ).run();
    const handled: InboundMessage[] = [];
    const durable = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: (_kind, message) => (handled.push(message), Promise.resolve("done" as const)),
      log: getLogger("test"),
    });
    await durable.ready(new FakeNetwork().kind(), { channel: "irc", accountId: "default" }, {
      decode: (payload) =>
        typeof payload.line === "string"
          ? {
            channel: "irc",
            accountId: "default",
            messageId: "r1",
            peerKind: "channel",
            senderId: "bob!b@host",
            senderAliases: [],
            senderName: "bob",
            groupId: "#room",
            replyTo: "#room",
            text: payload.line,
            mentioned: true,
          }
          : undefined,
    });
    await durable.settled();
    assert.deepEqual(handled.map((m) => m.text), ["hi there"]);
    const row = { ...db.prepare("SELECT status, attempts FROM channel_ingress_events").get() };
    assert.deepEqual(row, { status: "completed", attempts: 1 });
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
