// The Discord account on the durable inbound queue (in process: the account, the fake Discord, the queue on a
// temporary state database): every MESSAGE_CREATE kept before it is checked, as the reference keys it; a RESUME's
// replay of a kept message not answered again; what the queue kept answered when the account is READY.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { CHANNEL_KINDS } from "../../../src/channels/catalog.ts";
import { createDiscordAccount } from "../../../src/channels/discord/account.ts";
import { DurableInbound } from "../../../src/channels/durable_inbound.ts";
import { IngressQueue } from "../../../src/channels/ingress_queue.ts";
import type { ChannelAccount, InboundMessage } from "../../../src/channels/types.ts";
import { getLogger } from "../../../src/log/logger.ts";
import { openStateDb } from "../../../src/state/state_db.ts";
import { FAKE_DISCORD_BOT, FAKE_GUILD, type FakeDiscord, startFakeDiscord } from "../../support/fake_discord.ts";
import { until } from "../../support/until.ts";

const TOKEN = "discord-test-token.abc.def";
const ALICE = "1500000000000000001";
const QUEUE = { channel: "discord", accountId: "default" };
const discordKind = CHANNEL_KINDS.find((kind) => kind.id === "discord")!;

interface Side {
  discord: FakeDiscord;
  account: ChannelAccount;
  db: DatabaseSync;
  /** The messages the account's gate let through to be answered, in order. */
  answered: InboundMessage[];
  /** Each row's `payload_json` as the queue held it when its message was being answered. */
  kept: Map<string, string>;
  logs: string[];
}

/** The queue's rows as `event_id → status`. */
const statuses = (db: DatabaseSync): Record<string, string> =>
  Object.fromEntries(
    (db.prepare("SELECT event_id, status FROM channel_ingress_events").all() as {
      "event_id": string;
      status: string;
    }[])
      .map((r) => [r.event_id, r.status]),
  );

/** A Discord account whose host is the real durable queue (answering = the account's gate, then recorded). */
async function withSide(before: (db: DatabaseSync) => void, body: (side: Side) => Promise<void>): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-discord-queue-" });
  const db = openStateDb(stateDir);
  before(db);
  const discord = startFakeDiscord(TOKEN, { heartbeatIntervalMs: 200 });
  const answered: InboundMessage[] = [];
  const kept = new Map<string, string>();
  const logs: string[] = [];
  const base = getLogger("test");
  const logged = {
    ...base,
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(m),
  } as unknown as typeof base;
  const durable = new DurableInbound({
    open: () => Promise.resolve(db),
    handle: async (_kind, message, stored) => {
      const row = db.prepare("SELECT payload_json FROM channel_ingress_events WHERE event_id = ?")
        .get(message.messageId) as { "payload_json": string };
      kept.set(message.messageId, row.payload_json);
      const admitted = await account.admit!(message, stored);
      if (admitted) answered.push(admitted);
      return "done";
    },
    log: logged,
  });
  const account: ChannelAccount = createDiscordAccount({ accountId: "default", settings: { token: TOKEN } }, {
    env: { DISCORD_API_URL: discord.apiUrl },
    host: {
      inbound: (message, receipt) => durable.receive(discordKind, message, receipt!),
      ready: (rules) => void durable.ready(discordKind, QUEUE, rules),
      mountWebhook: () => () => {},
    },
  });
  account.start();
  try {
    await discord.waitForSessions(1);
    await body({ discord, account, db, answered, kept, logs });
  } finally {
    await account.stop();
    await durable.settled();
    await discord.stop();
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("discord queue: every MESSAGE_CREATE is kept before it is checked, keyed and enveloped as the reference keeps it", async () => {
  await withSide(() => {}, async ({ discord, db, answered, kept }) => {
    const dm = discord.dm(ALICE, "hello bot");
    // Dropped by the guild's mention gate, but kept (and settled) first, as the reference does.
    const unmentioned = discord.guildMessage(ALICE, FAKE_GUILD.general, "just talking");
    await until(() => statuses(db)[dm] === "completed" && statuses(db)[unmentioned] === "completed", "both settled");
    assert.deepEqual(answered.map((m) => m.messageId), [dm]);

    const fresh = discord.dm(ALICE, "keep me");
    await until(() => statuses(db)[fresh] === "completed", "the second DM settled");
    // While it was answered: the reference's envelope, our normalized message beside it.
    const payload = JSON.parse(kept.get(fresh)!);
    assert.deepEqual(Object.keys(payload), ["version", "receivedAt", "rawMessage", "message"]);
    assert.equal(payload.version, 1);
    assert.equal(typeof payload.receivedAt, "number");
    assert.equal(payload.rawMessage.id, fresh);
    assert.equal(payload.rawMessage.content, "keep me");
    assert.equal(payload.message.text, "keep me");
    const row = db.prepare("SELECT * FROM channel_ingress_events WHERE event_id = ?").get(fresh) as Record<
      string,
      unknown
    >;
    assert.equal(row.queue_name, '["discord","default"]');
    assert.equal(row.channel_id, "discord");
    assert.equal(row.account_id, "default");
    assert.equal(row.lane_key, `channel:${discord.dmChannel(ALICE)}`);
    assert.equal(row.status, "completed");
    assert.equal(row.payload_json, "null");
  });
});

Deno.test("discord queue: a RESUME that replays a message already kept does not answer it again", async () => {
  await withSide(() => {}, async ({ discord, db, answered, logs }) => {
    const id = discord.dm(ALICE, "only once");
    await until(() => statuses(db)[id] === "completed", "answered and settled");
    discord.replayAgainOnResume(1);
    discord.drop(4000);
    await discord.waitForSessions(2);
    await until(
      () => logs.some((l) => l === `discord/default: inbound ${id} already completed; not answered again`),
      "the replayed event turned away",
    );
    assert.deepEqual(answered.map((m) => m.messageId), [id]);
    assert.equal(discord.counts.resume, 1);
  });
});

Deno.test("discord queue: on READY, kept messages are answered once: ours, and a row the reference wrote (raw event only)", async () => {
  const ours = "1400000000000000901";
  const theirs = "1400000000000000902";
  const raw = (id: string, content: string) => ({
    id,
    type: 0,
    channel_id: "1300000000000000777",
    author: { id: ALICE, username: "alice", discriminator: "0", global_name: null, avatar: null },
    content,
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
  });
  const message: InboundMessage = {
    channel: "discord",
    accountId: "default",
    messageId: ours,
    peerKind: "direct",
    senderId: ALICE,
    senderAliases: [],
    senderName: "alice",
    groupId: undefined,
    replyTo: "channel:1300000000000000777",
    text: "cut off by a stop",
    mentioned: true,
  };
  const keep = (db: DatabaseSync) => {
    const queue = new IngressQueue(db, { owner: "1:x:earlier" });
    const envelope = (id: string, content: string) => ({ version: 1, receivedAt: 1, rawMessage: raw(id, content) });
    const lane = "channel:1300000000000000777";
    const a = queue.accept(QUEUE, ours, { ...envelope(ours, "cut off by a stop"), message }, lane);
    if (a.kind === "accepted") queue.release(QUEUE, a.claim, "interrupted by gateway stop");
    // Left claimed by a process that crashed: taken over.
    queue.accept(QUEUE, theirs, envelope(theirs, `<@${FAKE_DISCORD_BOT.id}> written by the reference`), lane);
    // A bot's own message: kept, but the gate drops it.
    queue.accept(QUEUE, "1400000000000000903", {
      version: 1,
      receivedAt: 2,
      rawMessage: { ...raw("1400000000000000903", "mine"), author: { ...FAKE_DISCORD_BOT } },
    }, lane);
  };
  await withSide(keep, async ({ db, answered, logs }) => {
    await until(() => Object.values(statuses(db)).every((s) => s === "completed"), "all kept rows settled");
    assert.deepEqual(answered.map((m) => [m.messageId, m.text]), [
      [ours, "cut off by a stop"],
      [theirs, "written by the reference"],
    ]);
    assert.ok(logs.includes("discord/default: answering 3 inbound message(s) kept across a restart"), logs.join("\n"));
  });
});

Deno.test("discord queue: pruned on every stored message, keeping the newest 5,000 tombstones as the reference's Discord monitor; received_at is the envelope's", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-discord-queue-" });
  const db = openStateDb(stateDir);
  try {
    const fill = db.prepare(
      `INSERT INTO channel_ingress_events (queue_name, event_id, channel_id, account_id, status, payload_json,
         received_at, updated_at, completed_at, attempts) VALUES (?, ?, 'discord', 'default', 'completed', 'null', ?, ?, ?, 0)`,
    );
    db.exec("BEGIN");
    for (let i = 0; i < 5100; i++) fill.run('["discord","default"]', `old-${i}`, i + 1, i + 1, Date.now());
    db.exec("COMMIT");
    const durable = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: () => Promise.resolve("done" as const),
      log: getLogger("test"),
    });
    const message = (id: string): InboundMessage => ({
      channel: "discord",
      accountId: "default",
      messageId: id,
      peerKind: "direct",
      senderId: ALICE,
      senderAliases: [],
      senderName: "alice",
      groupId: undefined,
      replyTo: "channel:1300000000000000777",
      text: "hi",
      mentioned: true,
    });
    const receipt = (id: string) => ({
      eventId: id,
      laneKey: "channel:1300000000000000777",
      raw: { version: 1, receivedAt: 1234, rawMessage: { id } },
    });
    await durable.receive(discordKind, message("1400000000000000001"), receipt("1400000000000000001"));
    await durable.settled();
    const count = () =>
      (db.prepare("SELECT count(*) AS n FROM channel_ingress_events WHERE status = 'completed'").get() as { n: number })
        .n;
    // Pruned before the new row went in (as the reference prunes on admission): 5,000 old ones and the new one.
    assert.equal(count(), 5001);
    assert.equal(
      (db.prepare("SELECT received_at FROM channel_ingress_events WHERE event_id = ?").get("1400000000000000001") as {
        "received_at": number;
      }).received_at,
      1234,
    );
    // Not hourly: the next message prunes again at once.
    await durable.receive(discordKind, message("1400000000000000002"), receipt("1400000000000000002"));
    await durable.settled();
    assert.equal(count(), 5001);
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
