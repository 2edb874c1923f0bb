// Every `openclaw secrets store` command the reference was recorded running (tests/fixtures/secrets/), replayed
// in the same order against our CLI in one private state dir: exit code, stdout and stderr word for word (only
// the row timestamps in `list --json` are blanked: they are the recording's clock), then the rows left behind
// compared with the rows the reference wrote.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  replayHome,
  runStoreCase,
  SECRETS_FIXTURES,
  storeCliCases,
  withoutTimestamps,
} from "../support/secrets_store_replay.ts";

interface StoreRow {
  name: string;
  value: string;
  kind: string;
  "scope_kind": string;
  "scope_id": string;
  "updated_by": string | null;
  deleted: boolean;
  "allowed_hosts": string | null;
}

/** A row without its id-like clock columns: only whether it is soft-deleted stays. */
function comparable(row: Record<string, unknown>): StoreRow {
  return {
    name: String(row.name),
    value: String(row.value),
    kind: String(row.kind),
    "scope_kind": String(row.scope_kind),
    "scope_id": String(row.scope_id),
    "updated_by": row.updated_by === null ? null : String(row.updated_by),
    deleted: row.deleted_at_ms !== null,
    "allowed_hosts": row.allowed_hosts === null
      ? null
      : typeof row.allowed_hosts === "string"
      ? row.allowed_hosts
      : JSON.stringify(row.allowed_hosts),
  };
}

Deno.test("secrets store: all recorded reference cases replay word for word and leave the reference's rows", async () => {
  const cases = storeCliCases();
  assert.equal(cases.length, 56, "the recording holds 56 cases");
  const where = replayHome();
  try {
    const mismatches: string[] = [];
    for (const c of cases) {
      const ours = await runStoreCase(c, where);
      const expected = { code: c.code, stdout: withoutTimestamps(c.stdout), stderr: c.stderr };
      const actual = { code: ours.code, stdout: withoutTimestamps(ours.stdout), stderr: ours.stderr };
      try {
        assert.deepEqual(actual, expected);
      } catch {
        mismatches.push(
          `${c.label} (${c.args.join(" ")}):\n  expected ${JSON.stringify(expected)}\n  actual   ${
            JSON.stringify(actual)
          }`,
        );
      }
    }
    assert.deepEqual(
      mismatches,
      [],
      `${mismatches.length} of ${cases.length} cases differ from the reference:\n${mismatches.join("\n")}`,
    );

    const reference = JSON.parse(await Deno.readTextFile(`${SECRETS_FIXTURES}/reference_store_rows.json`)) as {
      rows: Record<string, unknown>[];
    };
    const db = new DatabaseSync(`${where.stateDir}/state/openclaw.sqlite`, { readOnly: true });
    try {
      const rows = db.prepare("SELECT * FROM secret_store_entries ORDER BY name").all() as Record<string, unknown>[];
      assert.deepEqual(rows.map(comparable), reference.rows.map(comparable));
    } finally {
      db.close();
    }
  } finally {
    where.cleanup();
  }
});
