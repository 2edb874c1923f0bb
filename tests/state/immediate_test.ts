import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { immediate } from "../../src/state/immediate.ts";

function twoConnections() {
  const dir = Deno.makeTempDirSync({ prefix: "oc-immediate-" });
  const path = `${dir}/x.sqlite`;
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
  db.exec("INSERT INTO t VALUES ('a', 1)");
  const other = new DatabaseSync(path);
  other.exec("PRAGMA busy_timeout = 0");
  const close = () => {
    db.close();
    other.close();
    Deno.removeSync(dir, { recursive: true });
  };
  return { db, other, close };
}

Deno.test("immediate: another connection cannot write between the read and the write", () => {
  const { db, other, close } = twoConnections();
  try {
    const result = immediate(db, () => {
      const row = db.prepare("SELECT v FROM t WHERE k = 'a'").get() as { v: number };
      assert.throws(() => other.exec("UPDATE t SET v = 100 WHERE k = 'a'"), /locked|busy/i);
      db.prepare("UPDATE t SET v = ? WHERE k = 'a'").run(row.v + 1);
      return row.v + 1;
    });
    assert.equal(result, 2);
    assert.deepEqual({ ...other.prepare("SELECT v FROM t").get() as object }, { v: 2 });
  } finally {
    close();
  }
});

Deno.test("immediate: a body that throws rolls back and leaves the connection usable", () => {
  const { db, close } = twoConnections();
  try {
    assert.throws(() =>
      immediate(db, () => {
        db.exec("UPDATE t SET v = 7");
        throw new Error("refused");
      }), /refused/);
    assert.deepEqual({ ...db.prepare("SELECT v FROM t").get() as object }, { v: 1 });
    assert.equal(immediate(db, () => 3), 3, "no transaction was left open");
  } finally {
    close();
  }
});
