import assert from "node:assert/strict";
import { LazyStateDb, StateDbClosedError } from "../../src/server/state_db_handle.ts";

Deno.test("LazyStateDb: a failed open is retried; once closed it never reopens, and close settles first", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-lazy-state-" });
  try {
    await Deno.writeTextFile(`${dir}/state`, "in the way"); // state/ cannot be created
    const handle = new LazyStateDb(dir, "write");
    await assert.rejects(handle.get());
    await Deno.remove(`${dir}/state`);
    const db = await handle.get();
    assert.equal(await handle.get(), db, "one connection");
    const settled: boolean[] = [];
    await handle.close((open) => settled.push(open.isOpen));
    assert.deepEqual(settled, [true], "settle runs on the open connection, once");
    assert.equal(db.isOpen, false);
    await assert.rejects(handle.get(), StateDbClosedError, "a late handler cannot reopen it");
    await handle.close(() => assert.fail("nothing left to settle"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LazyStateDb: closing while the open is in flight closes what it opens", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-lazy-state-" });
  try {
    const handle = new LazyStateDb(dir, "write");
    const opening = handle.get();
    await handle.close();
    assert.equal((await opening).isOpen, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
