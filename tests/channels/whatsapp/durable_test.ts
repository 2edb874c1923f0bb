// The WhatsApp account on the durable inbound queue (in process: the account on a fake socket at Baileys'
// event boundary, the queue on a temporary state database): a message is kept before it is answered, keyed
// as the reference keys it; what the queue kept across a stop (ours, and a row the reference wrote with
// only the Baileys message) is answered once when the connection opens.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { CHANNEL_KINDS } from "../../../src/channels/catalog.ts";
import { DurableInbound } from "../../../src/channels/durable_inbound.ts";
import { IngressQueue } from "../../../src/channels/ingress_queue.ts";
import type { InboundMessage } from "../../../src/channels/types.ts";
import { createWhatsAppAccount } from "../../../src/channels/whatsapp/account.ts";
import { getLogger } from "../../../src/log/logger.ts";
import { openStateDb } from "../../../src/state/state_db.ts";
import { FakeWaNetwork, waText } from "../../support/fake_wa_socket.ts";
import { until } from "../../support/until.ts";

const BOT = "15550001111";
const ALICE = "15552223333";
const QUEUE = { channel: "whatsapp", accountId: "default" };
const kind = CHANNEL_KINDS.find((k) => k.id === "whatsapp")!;

const statuses = (db: DatabaseSync): Record<string, string> =>
  Object.fromEntries(
    (db.prepare("SELECT event_id, status FROM channel_ingress_events").all() as { event_id: string; status: string }[])
      .map((r) => [r.event_id, r.status]),
  );

async function eventId(remoteJid: string, id: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${remoteJid}\n${id}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function withQueue(
  before: (db: DatabaseSync) => Promise<void> | void,
  body: (
    side: { network: FakeWaNetwork; db: DatabaseSync; answered: InboundMessage[]; kept: Map<string, string> },
  ) => Promise<void>,
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-queue-" });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  await Deno.mkdir(authDir, { recursive: true });
  await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: `${BOT}:7@s.whatsapp.net` } }));
  const db = openStateDb(stateDir);
  await before(db);
  const answered: InboundMessage[] = [];
  const kept = new Map<string, string>();
  const durable = new DurableInbound({
    open: () => Promise.resolve(db),
    handle: (_kind, message) => {
      // While a message is answered its row holds the payload (a settled row keeps none).
      const rows = db.prepare("SELECT event_id, payload_json FROM channel_ingress_events WHERE payload_json != 'null'")
        .all() as { event_id: string; payload_json: string }[];
      for (const r of rows) kept.set(r.event_id, r.payload_json);
      answered.push(message);
      return Promise.resolve("done");
    },
    log: getLogger("test"),
  });
  const network = new FakeWaNetwork();
  const account = await createWhatsAppAccount({ accountId: "default", settings: { sendReadReceipts: false } }, {
    env: {},
    stateDir,
    host: {
      inbound: (message, receipt) => durable.receive(kind, message, receipt!),
      ready: (rules) => void durable.ready(kind, QUEUE, rules),
      mountWebhook: () => () => {},
    },
  }, network.factory);
  account.start();
  try {
    await body({ network, db, answered, kept });
  } finally {
    await account.stop();
    await durable.settled();
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("whatsapp queue: a message is kept before it is answered, keyed and laned as the reference keys it", async () => {
  await withQueue(() => {}, async ({ network, db, answered, kept }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waText({ id: "KEEP1", from: ALICE, text: "keep me" })],
    });
    const id = await eventId(`${ALICE}@s.whatsapp.net`, "KEEP1");
    await until(() => statuses(db)[id] === "completed", "the message answered and settled");
    assert.deepEqual(answered.map((m) => m.text), ["keep me"]);
    const payload = JSON.parse(kept.get(id)!);
    assert.deepEqual(Object.keys(payload).sort(), ["message", "rawMessage", "receivedAt", "version"]);
    assert.equal(payload.rawMessage.key.id, "KEEP1");
    assert.equal(payload.message.senderId, `+${ALICE}`);
    const row = db.prepare("SELECT queue_name, lane_key FROM channel_ingress_events WHERE event_id = ?").get(id) as {
      queue_name: string;
      lane_key: string;
    };
    assert.equal(row.queue_name, '["whatsapp","default"]');
    assert.equal(row.lane_key, `${ALICE}@s.whatsapp.net`);
    // Redelivered (Baileys replays after a reconnect): turned away, not answered again.
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waText({ id: "KEEP1", from: ALICE, text: "keep me" })],
    });
    socket.emit("messages.upsert", { type: "notify", messages: [waText({ id: "KEEP2", from: ALICE, text: "next" })] });
    await until(() => answered.length === 2, "the next message");
    assert.deepEqual(answered.map((m) => m.text), ["keep me", "next"]);
  });
});

Deno.test("whatsapp queue: on open, kept messages are answered once: ours cut off by a stop, and a row the reference wrote", async () => {
  const lane = `${ALICE}@s.whatsapp.net`;
  const ours = await eventId(lane, "OURS");
  const theirs = await eventId(lane, "THEIRS");
  const keep = (db: DatabaseSync) => {
    const queue = new IngressQueue(db, { owner: "1:x:earlier" });
    const raw = (id: string, text: string) => waText({ id, from: ALICE, text });
    const message: InboundMessage = {
      channel: "whatsapp",
      accountId: "default",
      messageId: "OURS",
      peerKind: "direct",
      senderId: `+${ALICE}`,
      senderAliases: [lane],
      senderName: "Alice",
      groupId: undefined,
      replyTo: `+${ALICE}`,
      text: "cut off by a stop",
      mentioned: true,
    };
    const a = queue.accept(
      QUEUE,
      ours,
      { version: 1, receivedAt: 1, rawMessage: raw("OURS", "cut off"), message },
      lane,
    );
    if (a.kind === "accepted") queue.release(QUEUE, a.claim, "interrupted by gateway stop");
    // The reference's row: only the Baileys message, under `message`.
    queue.accept(
      QUEUE,
      theirs,
      { version: 1, receivedAt: 2, message: raw("THEIRS", "written by the reference") },
      lane,
    );
  };
  await withQueue(keep, async ({ network, db, answered }) => {
    assert.equal(answered.length, 0, "nothing is answered before the connection opens");
    (await network.socket(1)).open(BOT);
    await until(() => statuses(db)[ours] === "completed" && statuses(db)[theirs] === "completed", "both settled");
    assert.deepEqual(answered.map((m) => [m.messageId, m.senderId, m.text]), [
      ["OURS", `+${ALICE}`, "cut off by a stop"],
      ["THEIRS", `+${ALICE}`, "written by the reference"],
    ]);
  });
});
