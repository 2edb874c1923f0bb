import assert from "node:assert/strict";
import { DurableInbound, type InboundDisposition } from "../../src/channels/durable_inbound.ts";
import type { InboundMessage } from "../../src/channels/types.ts";
import { getLogger } from "../../src/log/logger.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { FakeNetwork, statuses, withGatewaySide } from "../support/channel_side.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { until } from "../support/until.ts";

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

Deno.test("durable inbound: an answer the stop cut off sends no truncated tail; the next start answers it in full, once", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  try {
    let cutOff: FakeNetwork | undefined;
    // "slow" streams its answer in pieces 100 ms apart: the stop comes while the first ones wait in the buffer.
    await withGatewaySide(stateDir, upstream, "slow", async (network, _logs, chat) => {
      cutOff = network;
      await network.deliver("are you there?", "c1-1");
      await until(() => chat.some((c) => c.state === "delta"), "the first piece of the answer");
    });
    assert.deepEqual(cutOff!.sent, [], "nothing of the cut-off answer is sent");
    assert.deepEqual(statuses(stateDir), { "c1-1": "pending" });
    await withGatewaySide(stateDir, upstream, "m1", async (network) => {
      network.host!.ready();
      await until(() => statuses(stateDir)["c1-1"] === "completed", "the kept message answered");
      assert.deepEqual(network.sent, [{ target: "#room", text: FAKE_ANSWER }]);
    });
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
