// How a database differs from the schema this gateway speaks, in the reference 2026.9.6's issue
// vocabulary (code, object, message) so `openclaw database preflight` reports what it reports. The
// expected side is the DDL itself, loaded into a private in-memory database, so both sides are read
// with the same pragmas and nothing is parsed by hand. Objects the schema does not name are allowed,
// as the reference allows them, except a unique index (it changes what writes succeed).
import { DatabaseSync } from "node:sqlite";

/** The reference's schema issue codes this comparison reports. */
export type SchemaIssueCode =
  | "missing-table"
  | "missing-column"
  | "unexpected-column"
  | "column-definition-drift"
  | "missing-or-drifted-index"
  | "unexpected-unique-index"
  | "missing-or-drifted-trigger"
  | "unexpected-trigger"
  | "table-options-drift";

/** One difference, as the reference's preflight JSON prints it. */
export interface SchemaIssue {
  code: SchemaIssueCode;
  objectName: string;
  message: string;
}

/** The reference's message for each code (column issues name the table only). */
function issueMessage(code: SchemaIssueCode, objectName: string): string {
  const table = objectName.split(".", 1)[0];
  switch (code) {
    case "missing-table":
      return `missing table ${objectName}`;
    case "missing-column":
    case "unexpected-column":
    case "column-definition-drift":
      return `column definitions differ for ${table}`;
    case "missing-or-drifted-index":
      return `missing or drifted index ${objectName}`;
    case "unexpected-unique-index":
      return `unexpected unique index ${objectName}`;
    case "missing-or-drifted-trigger":
      return `missing or drifted trigger ${objectName}`;
    case "unexpected-trigger":
      return `unexpected trigger ${objectName}`;
    case "table-options-drift":
      return `table options differ for ${objectName}`;
  }
}

type Row = Record<string, unknown>;

function rows(db: DatabaseSync, sql: string, ...params: string[]): Row[] {
  return db.prepare(sql).all(...params) as Row[];
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function tableNames(db: DatabaseSync): string[] {
  return rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    .map((row) => String(row.name));
}

function columns(db: DatabaseSync, table: string): Map<string, string> {
  return new Map(
    rows(db, `PRAGMA table_xinfo(${quote(table)})`).map((
      c,
    ) => [String(c.name), JSON.stringify([c.type, c.notnull, c.dflt_value, c.pk, c.hidden])]),
  );
}

/** An index as its structure (autoindex names vary, so only created indexes keep theirs). */
function indexes(db: DatabaseSync, table: string): { name: string | null; unique: boolean; fingerprint: string }[] {
  return rows(db, `PRAGMA index_list(${quote(table)})`).map((index) => {
    const name = index.origin === "c" ? String(index.name) : null;
    const parts = rows(db, `PRAGMA index_xinfo(${quote(String(index.name))})`).filter((part) => part.key === 1)
      .map((part) => [part.name, part.desc, part.coll]);
    const sql = name
      ? rows(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", name)[0]?.sql ?? null
      : null;
    const where = typeof sql === "string" && /\bWHERE\b/i.test(sql) ? sql.replace(/^[\s\S]*?\bWHERE\b/i, "") : "";
    return {
      name,
      unique: index.unique === 1,
      fingerprint: JSON.stringify([name, index.unique, index.origin, parts, where.replace(/\s+/g, " ").trim()]),
    };
  });
}

function triggers(db: DatabaseSync, table: string): Map<string, string> {
  return new Map(
    rows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", table)
      .map((t) => [String(t.name), String(t.sql).replace(/\s+/g, " ").trim()]),
  );
}

function options(db: DatabaseSync, table: string): string {
  const row = rows(db, "SELECT strict, wr FROM pragma_table_list WHERE schema = 'main' AND name = ?", table)[0];
  return JSON.stringify([row?.strict, row?.wr]);
}

/** A column the reference lets a database add: a bare nullable column with no default. */
function isAdditive(definition: string): boolean {
  const [, notnull, dflt, pk, hidden] = JSON.parse(definition) as unknown[];
  return notnull === 0 && dflt === null && pk === 0 && hidden === 0;
}

function compareTable(actual: DatabaseSync, expected: DatabaseSync, table: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (code: SchemaIssueCode, objectName: string) =>
    issues.push({ code, objectName, message: issueMessage(code, objectName) });
  const want = columns(expected, table);
  const have = columns(actual, table);
  for (const [name, definition] of have) {
    if (!want.has(name) && !isAdditive(definition)) add("unexpected-column", `${table}.${name}`);
  }
  for (const [name, definition] of want) {
    const found = have.get(name);
    if (found === undefined) add("missing-column", `${table}.${name}`);
    else if (found !== definition) add("column-definition-drift", `${table}.${name}`);
  }
  const wantIndexes = indexes(expected, table);
  const haveIndexes = indexes(actual, table);
  const haveFingerprints = new Set(haveIndexes.map((index) => index.fingerprint));
  const wantFingerprints = new Set(wantIndexes.map((index) => index.fingerprint));
  for (const index of wantIndexes) {
    if (!haveFingerprints.has(index.fingerprint)) add("missing-or-drifted-index", index.name ?? table);
  }
  for (const index of haveIndexes) {
    if (index.unique && !wantFingerprints.has(index.fingerprint)) add("unexpected-unique-index", index.name ?? table);
  }
  const wantTriggers = triggers(expected, table);
  const haveTriggers = triggers(actual, table);
  for (const [name, sql] of wantTriggers) if (haveTriggers.get(name) !== sql) add("missing-or-drifted-trigger", name);
  for (const [name, sql] of haveTriggers) if (wantTriggers.get(name) !== sql) add("unexpected-trigger", name);
  if (options(actual, table) !== options(expected, table)) add("table-options-drift", table);
  return issues;
}

/** The created (named) indexes of a schema: the ones a start-up may recreate. */
export function namedIndexes(statements: readonly string[]): Set<string> {
  return new Set(
    statements.map((sql) => /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/i.exec(sql)?.[1])
      .filter((name): name is string => name !== undefined),
  );
}

/** Every difference between `actual` and the schema `statements` create, table by table in schema order. */
export function collectSchemaIssues(actual: DatabaseSync, statements: readonly string[]): SchemaIssue[] {
  const expected = new DatabaseSync(":memory:");
  try {
    for (const sql of statements) expected.exec(sql);
    const present = new Set(tableNames(actual));
    const issues: SchemaIssue[] = [];
    for (const table of tableNames(expected)) {
      if (!present.has(table)) {
        issues.push({ code: "missing-table", objectName: table, message: issueMessage("missing-table", table) });
        continue;
      }
      issues.push(...compareTable(actual, expected, table));
    }
    return issues;
  } finally {
    expected.close();
  }
}
