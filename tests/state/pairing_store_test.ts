import assert from "node:assert/strict";
import { PAIRING_MAX_PENDING, PairingStore } from "../../src/state/pairing_store.ts";

Deno.test("pairing store: one code per sender, capped per account, approval moves the sender to the allowlist", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-pairing-" });
  try {
    const store = new PairingStore(dir);
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
    assert.equal((await Deno.stat(`${dir}/credentials/irc-default-allowFrom.json`)).mode! & 0o777, 0o600);
    assert.equal((await store.dismiss("irc", "work", "late"))?.id, "late");
    assert.deepEqual(await store.list("irc", "work"), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pairing store: expired requests vanish; a corrupt file is a clear error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-pairing-" });
  try {
    await Deno.mkdir(`${dir}/credentials`, { recursive: true });
    const old = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await Deno.writeTextFile(
      `${dir}/credentials/telegram-pairing.json`,
      JSON.stringify({
        version: 1,
        requests: [{ id: "1", code: "ABCDEFGH", accountId: "default", createdAt: old, lastSeenAt: old, meta: {} }],
      }),
    );
    const store = new PairingStore(dir);
    assert.deepEqual(await store.list("telegram"), []);
    assert.equal(await store.approve("telegram", "ABCDEFGH"), undefined, "an expired code approves nothing");
    await Deno.writeTextFile(`${dir}/credentials/telegram-pairing.json`, "{torn");
    await assert.rejects(() => store.list("telegram"), /pairing store .* not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
