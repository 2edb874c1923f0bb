import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { collectSchemaIssues, namedIndexes } from "../../src/state/sqlite_schema_issues.ts";

const SCHEMA = [
  "CREATE TABLE items (id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, note TEXT) STRICT",
  "CREATE INDEX idx_items_kind ON items(kind)",
  "CREATE TABLE logs (seq INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT",
];

function actual(statements: string[]): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  for (const sql of statements) db.exec(sql);
  return db;
}

const issue = (code: string, objectName: string, message: string) => ({ code, objectName, message });

Deno.test("collectSchemaIssues() finds nothing in a database made from the same DDL, extra tables allowed", () => {
  assert.deepEqual(collectSchemaIssues(actual([...SCHEMA, "CREATE TABLE extra (a)"]), SCHEMA), []);
});

Deno.test("collectSchemaIssues() reports each difference in the reference's codes and words", () => {
  const cases: [string, string[], ReturnType<typeof issue>[]][] = [
    ["a missing table", [SCHEMA[0]!, SCHEMA[1]!], [issue("missing-table", "logs", "missing table logs")]],
    ["a missing index", [SCHEMA[0]!, SCHEMA[2]!], [
      issue("missing-or-drifted-index", "idx_items_kind", "missing or drifted index idx_items_kind"),
    ]],
    ["a missing column", [
      "CREATE TABLE items (id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL) STRICT",
      SCHEMA[1]!,
      SCHEMA[2]!,
    ], [issue("missing-column", "items.note", "column definitions differ for items")]],
    ["a drifted column", [
      "CREATE TABLE items (id TEXT NOT NULL PRIMARY KEY, kind TEXT, note TEXT) STRICT",
      SCHEMA[1]!,
      SCHEMA[2]!,
    ], [issue("column-definition-drift", "items.kind", "column definitions differ for items")]],
    ["an extra NOT NULL column", [
      "CREATE TABLE items (id TEXT NOT NULL PRIMARY KEY, kind TEXT NOT NULL, note TEXT, x TEXT NOT NULL DEFAULT '') STRICT",
      SCHEMA[1]!,
      SCHEMA[2]!,
    ], [issue("unexpected-column", "items.x", "column definitions differ for items")]],
    ["an extra unique index", [...SCHEMA, "CREATE UNIQUE INDEX zz ON items(kind)"], [
      issue("unexpected-unique-index", "zz", "unexpected unique index zz"),
    ]],
    ["a table without STRICT", [
      SCHEMA[0]!,
      SCHEMA[1]!,
      "CREATE TABLE logs (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    ], [
      issue("table-options-drift", "logs", "table options differ for logs"),
    ]],
  ];
  for (const [label, statements, expected] of cases) {
    assert.deepEqual(collectSchemaIssues(actual(statements), SCHEMA), expected, label);
  }
});

Deno.test("collectSchemaIssues() allows an extra nullable column without a default", () => {
  const db = actual([...SCHEMA, "ALTER TABLE items ADD COLUMN later TEXT"]);
  assert.deepEqual(collectSchemaIssues(db, SCHEMA), []);
});

Deno.test("namedIndexes() names the indexes a schema creates", () => {
  assert.deepEqual([...namedIndexes(SCHEMA)], ["idx_items_kind"]);
});
