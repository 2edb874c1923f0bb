import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  claimStateOwnership,
  normalizeManagerId,
  parseExternalOwnership,
  readStateOwnership,
  STATE_SUPERVISION_KEY,
  StateOwnershipMetadataError,
} from "../../src/state/state_ownership.ts";

const PATH = "/state/openclaw.sqlite";

function machineStateDb(): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  db.exec(
    "CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT",
  );
  return db;
}

Deno.test("parseExternalOwnership() accepts exactly the version 1 external contract", () => {
  const value = { version: 1, mode: "external", managerId: "ops-1", claimedAt: 1796000000000 };
  assert.deepEqual(parseExternalOwnership(JSON.stringify(value), PATH), value);
  const refusals: [unknown, string][] = [
    ["{bad", "reserved value is not valid JSON"],
    [42, "reserved value is not text"],
    [JSON.stringify({ ...value, extra: true }), "does not match the version 1 external ownership contract"],
    [JSON.stringify({ ...value, version: 2 }), "does not match the version 1 external ownership contract"],
    [JSON.stringify({ ...value, managerId: "bad id" }), "does not match the version 1 external ownership contract"],
    [JSON.stringify({ ...value, claimedAt: -1 }), "does not match the version 1 external ownership contract"],
  ];
  for (const [raw, detail] of refusals) {
    assert.throws(() => parseExternalOwnership(raw, PATH), (error: Error) => {
      assert.ok(error instanceof StateOwnershipMetadataError);
      assert.ok(error.message.startsWith(`OpenClaw shared state ownership metadata is invalid at ${PATH}: `));
      assert.ok(error.message.includes(detail), error.message);
      assert.ok(error.message.endsWith("openclaw database ownership claim --manager <manager-id>."));
      return true;
    });
  }
});

Deno.test("normalizeManagerId() trims and refuses ids the reference refuses", () => {
  assert.equal(normalizeManagerId("  ops-1.a:b_c "), "ops-1.a:b_c");
  for (const bad of ["", " ", "-lead", "bad id", "x".repeat(129), "é"]) {
    assert.throws(() => normalizeManagerId(bad), {
      message: "External state ownership manager id must be a 1-128 character ASCII identifier.",
    });
  }
});

Deno.test("readStateOwnership() is null without the table or the row", () => {
  assert.equal(readStateOwnership(new DatabaseSync(":memory:"), PATH), null);
  assert.equal(readStateOwnership(machineStateDb(), PATH), null);
});

Deno.test("claimStateOwnership() writes once, keeps the same manager's claim and refuses another's", () => {
  const db = machineStateDb();
  const first = claimStateOwnership(db, PATH, "ops-1");
  assert.equal(first.managerId, "ops-1");
  assert.deepEqual(readStateOwnership(db, PATH), first);
  assert.deepEqual(claimStateOwnership(db, PATH, "ops-1"), first);
  assert.throws(() => claimStateOwnership(db, PATH, "ops-2"), {
    message:
      "OpenClaw shared state is already claimed by external manager ops-1; manager ops-2 cannot replace that durable ownership.",
  });
  assert.equal(db.isTransaction, false);
});

Deno.test("claimStateOwnership() replaces a malformed ownership row", () => {
  const db = machineStateDb();
  db.prepare("INSERT INTO config_machine_state VALUES (?, '{bad', 1)").run(STATE_SUPERVISION_KEY);
  const claimed = claimStateOwnership(db, PATH, "ops-1");
  assert.deepEqual(readStateOwnership(db, PATH), claimed);
});
