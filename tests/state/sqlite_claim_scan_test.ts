import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { mayHoldOwnershipRow } from "../../src/state/sqlite_claim_scan.ts";
import { openStateDb, stateDbPath } from "../../src/state/state_db.ts";
import { rebuildFromDump, REFERENCE_STATE_DUMP, type SchemaDump } from "../support/database_cli_cases.ts";

const CLAIM = '{"version":1,"mode":"external","managerId":"ops-1","claimedAt":1}';

/** Runs `body` on the database, then leaves it in rollback mode with no journal (the main file is all). */
function edit(path: string, body: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(path);
  try {
    body(db);
    db.exec("PRAGMA journal_mode = DELETE");
  } finally {
    db.close();
  }
}

function setRow(db: DatabaseSync, key: string, value: string): void {
  db.prepare(
    "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, 1) " +
      "ON CONFLICT (state_key) DO UPDATE SET value_json = excluded.value_json",
  ).run(key, value);
}

async function withStateDir(body: (path: string) => void | Promise<void>): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-claim-scan-" });
  try {
    openStateDb(stateDir).close();
    await body(stateDbPath(stateDir));
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("mayHoldOwnershipRow(): no for a database without the row, yes once it holds one", () =>
  withStateDir((path) => {
    edit(path, () => {});
    assert.equal(mayHoldOwnershipRow(path), false);
    edit(path, (db) => setRow(db, "gateway.supervision", CLAIM));
    assert.equal(mayHoldOwnershipRow(path), true);
  }));

Deno.test("mayHoldOwnershipRow(): the table grown past one page (interior pages) is walked whole", () =>
  withStateDir((path) => {
    const filler = "x".repeat(300);
    edit(path, (db) => {
      for (let i = 0; i < 400; i++) setRow(db, `zz.filler.${String(i).padStart(4, "0")}`, filler);
    });
    assert.equal(mayHoldOwnershipRow(path), false, "400 rows, no claim");
    // A key sorting last lands on the right-most leaf; a long value sends the row past one page (overflow).
    edit(path, (db) => setRow(db, "gateway.supervision", `${CLAIM}${" ".repeat(9000)}`));
    assert.equal(mayHoldOwnershipRow(path), true);
  }));

Deno.test("mayHoldOwnershipRow(): a pending WAL, a file that is not a database, or a missing one answer maybe", () =>
  withStateDir(async (path) => {
    const db = new DatabaseSync(path);
    try {
      db.exec("PRAGMA journal_mode = WAL");
      setRow(db, "some.key", "1");
      // The connection stays open: the write is in the WAL, not yet in the main file.
      assert.ok((await Deno.stat(`${path}-wal`)).size > 0);
      assert.equal(mayHoldOwnershipRow(path), true);
    } finally {
      db.close();
    }
    await Deno.writeTextFile(path, "this is not a database\n".repeat(400));
    assert.equal(mayHoldOwnershipRow(path), true);
    assert.equal(mayHoldOwnershipRow(`${path}.missing`), true);
  }));

Deno.test("mayHoldOwnershipRow(): a database made as the reference's gateway makes it reads as unclaimed, then claimed", async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-claim-scan-ref-" });
  try {
    const path = `${root}/state/openclaw.sqlite`;
    const dump: SchemaDump = JSON.parse(await Deno.readTextFile(REFERENCE_STATE_DUMP));
    rebuildFromDump(path, dump).close();
    edit(path, () => {});
    assert.equal(mayHoldOwnershipRow(path), false);
    edit(path, (db) => setRow(db, "gateway.supervision", CLAIM));
    assert.equal(mayHoldOwnershipRow(path), true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
