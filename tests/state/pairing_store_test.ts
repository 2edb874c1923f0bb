import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { PAIRING_MAX_PENDING, PairingStore } from "../../src/state/pairing_store.ts";

function rows(dir: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(`${dir}/state/openclaw.sqlite`, { readOnly: true });
  try {
    return (db.prepare(sql).all() as Record<string, unknown>[]).map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

Deno.test("pairing store: one code per sender, capped per account, approval moves the sender to the allowlist", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-pairing-" });
  const store = new PairingStore(dir);
  try {
    const first = await store.upsert("irc", { id: "alice!a@h", accountId: "default", meta: {} });
    assert.equal(first.created, true);
    assert.match(first.code!, /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    assert.deepEqual(await store.upsert("irc", { id: "alice!a@h", accountId: "default", meta: {} }), {
      created: false,
    });
    for (let i = 1; i < PAIRING_MAX_PENDING; i++) {
      assert.equal((await store.upsert("irc", { id: `u${i}`, accountId: "default", meta: {} })).created, true);
    }
    assert.equal((await store.upsert("irc", { id: "late", accountId: "default", meta: {} })).created, false, "capped");
    assert.equal((await store.upsert("irc", { id: "late", accountId: "work", meta: {} })).created, true, "per account");

    assert.equal(await store.approve("irc", "NOPE2345"), undefined);
    const approved = await store.approve("irc", first.code!.toLowerCase());
    assert.equal(approved?.id, "alice!a@h");
    assert.deepEqual(await store.allowed("irc", "default"), ["alice!a@h"]);
    assert.equal((await store.list("irc", "default")).length, PAIRING_MAX_PENDING - 1);
    assert.equal((await store.dismiss("irc", "work", "late"))?.id, "late");
    assert.deepEqual(await store.list("irc", "work"), []);
    // Where and how the reference keeps them (its `openclaw pairing list` reads these rows).
    assert.deepEqual(
      rows(dir, "SELECT channel_key, account_id, entry, sort_order FROM channel_pairing_allow_entries"),
      [
        { channel_key: "irc", account_id: "default", entry: "alice!a@h", sort_order: 0 },
      ],
    );
    const pending = rows(dir, "SELECT * FROM channel_pairing_requests ORDER BY request_id");
    assert.equal(pending.length, PAIRING_MAX_PENDING - 1);
    assert.deepEqual(JSON.parse(String(pending[0]!.meta_json)), { accountId: "default" });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pairing store: the earlier JSON files are imported once and kept as .migrated; expired requests vanish", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-pairing-" });
  const store = new PairingStore(dir);
  try {
    await Deno.mkdir(`${dir}/credentials`, { recursive: true });
    const old = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const fresh = new Date().toISOString();
    await Deno.writeTextFile(
      `${dir}/credentials/telegram-pairing.json`,
      JSON.stringify({
        version: 1,
        requests: [
          { id: "1", code: "ABCDEFGH", accountId: "default", createdAt: old, lastSeenAt: old, meta: {} },
          {
            id: "2",
            code: "HJKLMNPQ",
            accountId: "default",
            createdAt: fresh,
            lastSeenAt: fresh,
            meta: { name: "Bo" },
          },
        ],
      }),
    );
    await Deno.writeTextFile(
      `${dir}/credentials/telegram-default-allowFrom.json`,
      JSON.stringify({ version: 1, allowFrom: ["42", "43"] }),
    );
    assert.deepEqual((await store.list("telegram")).map((r) => [r.id, r.meta]), [["2", { name: "Bo" }]]);
    assert.equal(await store.approve("telegram", "ABCDEFGH"), undefined, "an expired code approves nothing");
    assert.deepEqual(await store.allowed("telegram", "default"), ["42", "43"]);
    await Deno.stat(`${dir}/credentials/telegram-pairing.json.migrated`);
    await Deno.stat(`${dir}/credentials/telegram-default-allowFrom.json.migrated`);
    await assert.rejects(Deno.stat(`${dir}/credentials/telegram-pairing.json`), Deno.errors.NotFound);
    await store.approve("telegram", "hjklmnpq");
    assert.deepEqual(await store.allowed("telegram", "default"), ["42", "43", "2"]);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
