import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { INGRESS_MAX_ENTRIES, IngressQueue } from "../../src/channels/ingress_queue.ts";
import { openStateDb } from "../../src/state/state_db.ts";

const TG = { channel: "telegram", accountId: "default" };

async function withQueue(body: (queue: IngressQueue, db: DatabaseSync, clock: { now: number }) => void) {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-ingress-" });
  const db = openStateDb(stateDir);
  const clock = { now: 1_000 };
  try {
    body(new IngressQueue(db, { owner: "4242", now: () => clock.now }), db, clock);
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

const rows = (db: DatabaseSync) =>
  db.prepare(
    "SELECT queue_name, event_id, channel_id, account_id, status, lane_key, payload_json, claim_owner, attempts FROM channel_ingress_events ORDER BY event_id",
  ).all().map((row) => ({ ...row }));

Deno.test("IngressQueue: a received message is stored claimed, in the reference's queue naming; a second receipt is a duplicate", async () => {
  await withQueue((queue, db) => {
    const first = queue.accept(TG, "0000000000000007", { message: { text: "hi" } }, "telegram:42");
    assert.equal(first.kind, "accepted");
    assert.deepEqual(rows(db), [{
      queue_name: '["telegram","default"]',
      event_id: "0000000000000007",
      channel_id: "telegram",
      account_id: "default",
      status: "claimed",
      lane_key: "telegram:42",
      payload_json: '{"message":{"text":"hi"}}',
      claim_owner: "4242",
      attempts: 0,
    }]);
    assert.deepEqual(queue.accept(TG, "0000000000000007", { message: { text: "hi" } }, undefined), {
      kind: "duplicate",
      status: "claimed",
    });
    // Another account's queue is another queue.
    assert.equal(queue.accept({ ...TG, accountId: "work" }, "0000000000000007", {}, undefined).kind, "accepted");
  });
});

Deno.test("IngressQueue: an answered message leaves a tombstone that still rejects a redelivery", async () => {
  await withQueue((queue, db) => {
    const accepted = queue.accept(TG, "e1", { message: { text: "hi" } }, undefined);
    assert.equal(accepted.kind, "accepted");
    if (accepted.kind !== "accepted") return;
    assert.equal(queue.complete(TG, { ...accepted.claim, claimToken: "someone else's" }), false);
    assert.equal(queue.complete(TG, accepted.claim), true);
    const [row] = rows(db) as { status: string; payload_json: string; claim_owner: string | null }[];
    assert.equal(row!.status, "completed");
    assert.equal(row!.payload_json, "null", "the payload is scrubbed");
    assert.equal(row!.claim_owner, null);
    assert.deepEqual(queue.accept(TG, "e1", { message: { text: "hi" } }, undefined), {
      kind: "duplicate",
      status: "completed",
    });
    assert.deepEqual(queue.claimWaiting(TG, new Set()), []);
  });
});

Deno.test("IngressQueue: what a stop released or a crash left claimed is claimed again once, oldest first; live claims stay", async () => {
  await withQueue((queue, _db, clock) => {
    const take = (id: string) => {
      clock.now += 1;
      const result = queue.accept(TG, id, { message: { text: id } }, undefined);
      assert.equal(result.kind, "accepted");
      return result.kind === "accepted" ? result.claim : assert.fail();
    };
    const released = take("a");
    const crashed = take("b");
    const live = take("c");
    assert.equal(queue.release(TG, released, "interrupted by gateway stop"), true);
    const claimed = queue.claimWaiting(TG, new Set([live.claimToken]));
    assert.deepEqual(claimed.map((c) => [c.eventId, c.attempts, c.payload]), [
      ["a", 1, { message: { text: "a" } }],
      ["b", 1, { message: { text: "b" } }],
    ]);
    assert.notEqual(claimed[1]!.claimToken, crashed.claimToken);
    // The old claim token is void: the process that held it cannot settle the row any more.
    assert.equal(queue.complete(TG, crashed), false);
    assert.deepEqual(queue.claimWaiting(TG, new Set([live.claimToken, ...claimed.map((c) => c.claimToken)])), []);
  });
});

Deno.test("IngressQueue: unreadable payloads fail instead of blocking; prune keeps the newest tombstones", async () => {
  await withQueue((queue, db, clock) => {
    db.prepare(
      `INSERT INTO channel_ingress_events (queue_name, event_id, channel_id, account_id, status, payload_json,
         received_at, updated_at, attempts) VALUES ('["telegram","default"]', 'bad', 'telegram', 'default', 'pending', '{', 1, 1, 0)`,
    ).run();
    assert.deepEqual(queue.claimWaiting(TG, new Set()), []);
    assert.deepEqual({ ...db.prepare("SELECT status, failed_reason FROM channel_ingress_events").get() }, {
      status: "failed",
      failed_reason: "corrupt_payload",
    });
    for (let i = 0; i < INGRESS_MAX_ENTRIES + 5; i++) {
      clock.now += 1;
      const result = queue.accept(TG, `m${String(i).padStart(5, "0")}`, {}, undefined);
      if (result.kind === "accepted") queue.complete(TG, result.claim);
    }
    assert.equal(queue.prune(TG), 5);
    const kept = db.prepare(
      "SELECT min(event_id) AS oldest, count(*) AS n FROM channel_ingress_events WHERE status = 'completed'",
    )
      .get();
    assert.deepEqual({ ...kept }, { oldest: "m00005", n: INGRESS_MAX_ENTRIES });
    clock.now += 31 * 24 * 60 * 60 * 1000;
    assert.equal(queue.prune(TG), INGRESS_MAX_ENTRIES + 1, "past 30 days every tombstone and failure goes");
  });
});
