import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { SchemaIssue } from "../../src/state/sqlite_schema_issues.ts";
import {
  isStartupRepairable,
  preflightExitCode,
  preflightStateDatabase,
  schemaVerdict,
} from "../../src/state/state_preflight.ts";
import { STATE_SCHEMA_SQL } from "../../src/state/state_schema.ts";
import { openStateDb } from "../../src/state/state_db.ts";

const INDEXES = new Set(["idx_a"]);
const missingTable = (name: string): SchemaIssue => ({
  code: "missing-table",
  objectName: name,
  message: `missing table ${name}`,
});
const missingIndex = (name: string): SchemaIssue => ({
  code: "missing-or-drifted-index",
  objectName: name,
  message: `missing or drifted index ${name}`,
});

Deno.test("isStartupRepairable() admits the reference's additive tables and the schema's named indexes only", () => {
  assert.equal(isStartupRepairable(missingTable("worker_turn_tool_authorities"), INDEXES), true);
  assert.equal(isStartupRepairable(missingTable("worker_session_tool_operations"), INDEXES), true);
  assert.equal(isStartupRepairable(missingTable("skill_usage"), INDEXES), false);
  assert.equal(isStartupRepairable(missingIndex("idx_a"), INDEXES), true);
  assert.equal(isStartupRepairable(missingIndex("items"), INDEXES), false);
});

Deno.test("schemaVerdict() is exact, startup-repairable (a write) or incompatible with the blocking issues", () => {
  assert.deepEqual(schemaVerdict([], INDEXES), { status: "exact", issues: [], requiresWrite: false });
  assert.deepEqual(schemaVerdict([missingIndex("idx_a")], INDEXES), {
    status: "startup-repairable",
    issues: [missingIndex("idx_a")],
    requiresWrite: true,
  });
  assert.deepEqual(schemaVerdict([missingIndex("idx_a"), missingTable("skill_usage")], INDEXES), {
    status: "incompatible",
    issues: [missingTable("skill_usage")],
    requiresWrite: false,
  });
});

Deno.test("preflightExitCode() fails only what cannot be used as is or could not be judged", () => {
  const table = {
    exact: 0,
    "startup-repairable": 0,
    "migration-required": 0,
    incompatible: 1,
    indeterminate: 1,
  } as const;
  for (const [status, code] of Object.entries(table)) {
    assert.equal(preflightExitCode(status as keyof typeof table), code, status);
  }
});

Deno.test("preflightStateDatabase() finds a copy of this gateway's own database exact and leaves no sidecars", () => {
  const dir = Deno.makeTempDirSync();
  try {
    openStateDb(dir).close();
    const copy = `${dir}/copy.sqlite`;
    Deno.copyFileSync(`${dir}/state/openclaw.sqlite`, copy);
    const result = preflightStateDatabase(copy, STATE_SCHEMA_SQL);
    assert.equal(result.status, "exact");
    assert.equal(result.foundVersion, 18);
    assert.deepEqual(Array.from(Deno.readDirSync(dir), (entry) => entry.name).sort(), ["copy.sqlite", "state"]);
    const newer = new DatabaseSync(copy);
    newer.exec("PRAGMA journal_mode = DELETE; PRAGMA user_version = 19");
    newer.close();
    assert.equal(preflightStateDatabase(copy, STATE_SCHEMA_SQL).status, "incompatible");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("preflightStateDatabase() is indeterminate, in Node's words, for a path that does not exist", () => {
  const result = preflightStateDatabase("/nonexistent/openclaw.sqlite", STATE_SCHEMA_SQL);
  assert.equal(result.status, "indeterminate");
  assert.equal(result.reason, "ENOENT: no such file or directory, realpath '/nonexistent/openclaw.sqlite'");
});
