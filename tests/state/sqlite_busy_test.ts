import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SQLITE_BUSY_TIMEOUT_MS, writeIfUnlocked } from "../../src/state/sqlite_busy.ts";

function busyTimeout(db: DatabaseSync): number {
  return (db.prepare("PRAGMA busy_timeout").get() as { timeout: number }).timeout;
}

Deno.test("writeIfUnlocked: skips quickly while another connection holds the write lock, writes once it is free", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-sqlite-busy-" });
  const ours = new DatabaseSync(`${dir}/db.sqlite`);
  const theirs = new DatabaseSync(`${dir}/db.sqlite`);
  try {
    ours.exec("PRAGMA journal_mode = WAL");
    ours.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    ours.exec("CREATE TABLE t (x)");
    theirs.exec("BEGIN IMMEDIATE"); // the reference's CLI in the middle of a write

    const started = performance.now();
    assert.equal(writeIfUnlocked(ours, () => void ours.prepare("INSERT INTO t VALUES (1)").run()), false);
    assert.ok(performance.now() - started < 1_000, "did not wait out the 5 s timeout");
    assert.equal(busyTimeout(ours), SQLITE_BUSY_TIMEOUT_MS, "the long timeout is back for writes that must land");
    // A transaction the write opened is rolled back, not left holding a snapshot.
    assert.equal(
      writeIfUnlocked(ours, () => {
        ours.exec("BEGIN IMMEDIATE");
        ours.exec("COMMIT");
      }),
      false,
    );
    assert.equal(ours.isTransaction, false);

    theirs.exec("COMMIT");
    assert.equal(writeIfUnlocked(ours, () => void ours.prepare("INSERT INTO t VALUES (2)").run()), true);
    assert.deepEqual(ours.prepare("SELECT x FROM t").all().map((r) => r.x), [2]);
    assert.throws(() => writeIfUnlocked(ours, () => ours.exec("INSERT INTO missing VALUES (1)")), /no such table/);
    assert.equal(busyTimeout(ours), SQLITE_BUSY_TIMEOUT_MS);
  } finally {
    if (theirs.isTransaction) theirs.exec("ROLLBACK");
    theirs.close();
    ours.close();
    await Deno.remove(dir, { recursive: true });
  }
});
