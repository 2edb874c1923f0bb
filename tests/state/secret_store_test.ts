import assert from "node:assert/strict";
import {
  deleteStoreEntry,
  listStoreEntries,
  purgeExpiredStoreEntries,
  readStoreValue,
  STORE_RETENTION_MS,
  updateStoreAllowedHosts,
  writeStoreEntry,
} from "../../src/state/secret_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";

interface FixtureRow {
  [column: string]: string | number | null;
}
const rows: FixtureRow[] = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/secrets/reference_store_rows.json", import.meta.url)),
).rows;

function withDb(body: (db: ReturnType<typeof openStateDb>) => void): void {
  const dir = Deno.makeTempDirSync();
  const db = openStateDb(dir);
  try {
    body(db);
  } finally {
    db.close();
    Deno.removeSync(dir, { recursive: true });
  }
}

function insertReferenceRows(db: ReturnType<typeof openStateDb>): void {
  const columns = Object.keys(rows[0] ?? {});
  const insert = db.prepare(
    `INSERT INTO secret_store_entries (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
  for (const row of rows) insert.run(...columns.map((c) => row[c] ?? null));
}

Deno.test("rows the reference wrote list as its `store list` did: soft-deleted gone, secrets masked", () => {
  withDb((db) => {
    insertReferenceRows(db);
    const entries = listStoreEntries(db);
    assert.equal(entries.some((e) => e.name === "APP_MODE"), false);
    const key = entries.find((e) => e.name === "OPENAI_API_KEY");
    assert.deepEqual([key?.kind, key?.allowedHosts, "valuePreview" in (key ?? {})], ["secret", [], false]);
    assert.equal(entries.find((e) => e.name === "LOG_LEVEL")?.valuePreview, "debug");
    assert.equal(readStoreValue(db, "APP_MODE"), undefined);
  });
});

Deno.test("write, hosts, soft delete, revive and purge round trip", () => {
  withDb((db) => {
    writeStoreEntry(db, { name: "SERVICE_TOKEN", value: "t1", kind: "secret", updatedBy: "cli" });
    updateStoreAllowedHosts(db, "SERVICE_TOKEN", ["B.example.com", "a.example.com"], "cli");
    writeStoreEntry(db, { name: "SERVICE_TOKEN", value: "t2", kind: "secret", updatedBy: "cli" });
    const row = db.prepare("SELECT value, allowed_hosts FROM secret_store_entries WHERE name = 'SERVICE_TOKEN'").get();
    assert.deepEqual({ ...row }, { value: "t2", allowed_hosts: '["a.example.com","b.example.com"]' });
    deleteStoreEntry(db, "SERVICE_TOKEN");
    assert.equal(readStoreValue(db, "SERVICE_TOKEN"), undefined);
    assert.equal(purgeExpiredStoreEntries(db), 0);
    assert.equal(purgeExpiredStoreEntries(db, Date.now() + STORE_RETENTION_MS + 1), 1);
  });
});
