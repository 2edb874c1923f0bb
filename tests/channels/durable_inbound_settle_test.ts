// The durable inbound queue over a gateway's long life: tombstones are pruned while it runs, and a row that could
// not be settled after its answer (the state database locked) is never answered a second time by a reconnect.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type ChannelKind, defineChannelKind } from "../../src/channels/catalog.ts";
import { DurableInbound, type InboundDisposition } from "../../src/channels/durable_inbound.ts";
import { INGRESS_RETENTION_MS } from "../../src/channels/ingress_queue.ts";
import type { InboundMessage } from "../../src/channels/types.ts";
import { getLogger } from "../../src/log/logger.ts";
import { openStateDb } from "../../src/state/state_db.ts";

const kind: ChannelKind = defineChannelKind({
  id: "irc",
  label: "Fake",
  section: (channels) => channels.irc,
  hasIdentity: () => true,
  create: () => Promise.reject(new Error("not used")),
  targetPrefixes: ["fake"],
  dmTarget: (senderId) => senderId,
  normalizeAllowEntry: (entry) => entry.trim(),
});

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

const NAME = { channel: "irc", accountId: "default" };

function statuses(db: DatabaseSync): Record<string, string> {
  const rows = db.prepare("SELECT event_id, status FROM channel_ingress_events").all() as {
    "event_id": string;
    status: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.event_id, r.status]));
}

Deno.test("durable inbound: a gateway that runs for weeks prunes old tombstones without a restart", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  const db = openStateDb(stateDir);
  try {
    let clock = Date.UTC(2026, 0, 1);
    const durable = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: () => Promise.resolve("done" as const),
      log: getLogger("test"),
      now: () => clock,
    });
    await durable.ready(kind, NAME);
    await durable.receive(kind, message("old"), { eventId: "c1-1" });
    await durable.settled();
    assert.deepEqual(statuses(db), { "c1-1": "completed" });
    // The same process, past the tombstone retention: the next message finds the old tombstone gone.
    clock += INGRESS_RETENTION_MS + 2 * 60 * 60 * 1000;
    await durable.receive(kind, message("new"), { eventId: "c1-2" });
    await durable.settled();
    assert.deepEqual(statuses(db), { "c1-2": "completed" });
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("durable inbound: an answer whose row the locked database kept claimed is not given again on a reconnect", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  const db = openStateDb(stateDir);
  // Another process on the same state dir (the reference's CLI, say) holding the write lock.
  const other = new DatabaseSync(`${stateDir}/state/openclaw.sqlite`);
  try {
    db.exec("PRAGMA busy_timeout = 0");
    const handled: string[] = [];
    let answer: ((d: InboundDisposition) => void) | undefined;
    const durable = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: (_kind, m) => {
        handled.push(m.text);
        if (handled.length > 1) return Promise.resolve("done");
        return new Promise((resolve) => answer = resolve);
      },
      log: getLogger("test"),
    });
    await durable.receive(kind, message("hello"), { eventId: "c1-1" });
    other.exec("BEGIN IMMEDIATE");
    answer!("done");
    await durable.settled();
    other.exec("COMMIT");
    assert.deepEqual(statuses(db), { "c1-1": "claimed" }, "the tombstone could not be written");
    // A reconnect: the account is ready again. The message was answered: it must not be answered again.
    await durable.ready(kind, NAME);
    await durable.settled();
    assert.deepEqual(handled, ["hello"]);
    assert.deepEqual(statuses(db), { "c1-1": "completed" }, "the tombstone written once the lock is gone");
  } finally {
    other.close();
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("durable inbound: messages a ready could not read (database unavailable) are answered once it is back", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  const db = openStateDb(stateDir);
  try {
    // Kept across a restart: a message whose answer the stop cut off.
    db.prepare(
      `INSERT INTO channel_ingress_events (queue_name, event_id, channel_id, account_id, status, payload_json,
         received_at, updated_at, attempts) VALUES ('["irc","default"]', 'c0-1', 'irc', 'default', 'pending', ?, 1, 1, 1)`,
    ).run(JSON.stringify({ message: message("kept") }));
    let available = false;
    const handled: string[] = [];
    const durable = new DurableInbound({
      open: () => available ? Promise.resolve(db) : Promise.reject(new Error("database is locked")),
      handle: (_kind, m) => (handled.push(m.text), Promise.resolve("done" as const)),
      log: getLogger("test"),
    });
    await durable.ready(kind, NAME);
    assert.deepEqual(handled, []);
    available = true;
    await durable.receive(kind, message("new"), { eventId: "c1-1" });
    // The replay the failed ready owed runs beside the new message.
    await durable.settled();
    assert.deepEqual(handled.toSorted(), ["kept", "new"]);
    assert.deepEqual(statuses(db), { "c0-1": "completed", "c1-1": "completed" });
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("durable inbound: a claim names this process as the reference reads it (pid, start time unknown, instance)", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-" });
  const db = openStateDb(stateDir);
  try {
    let answer: ((d: InboundDisposition) => void) | undefined;
    const durable = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: () => new Promise((resolve) => answer = resolve),
      log: getLogger("test"),
    });
    await durable.receive(kind, message("hello"), { eventId: "c1-1" });
    const { owner } = db.prepare("SELECT claim_owner AS owner FROM channel_ingress_events").get() as { owner: string };
    // The reference takes a claim whose numeric start time is not the pid's real one for a dead process's;
    // with `x` (unknown) it checks only that the pid lives.
    assert.match(owner, new RegExp(`^${Deno.pid}:x:[0-9a-f-]{36}$`));
    answer!("done");
    await durable.settled();
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
