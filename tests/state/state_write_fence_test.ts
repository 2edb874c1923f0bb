import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openExistingStateDb, openStateDb, stateDbPath } from "../../src/state/state_db.ts";
import { checkStateWritable } from "../../src/state/state_db_existing.ts";
import { probeStateWriteFence } from "../../src/state/state_fence_probe.ts";
import {
  type StateDbAccess,
  StateExternalOwnershipError,
  StateOwnershipMetadataError,
  writeAccessFor,
} from "../../src/state/state_write_fence.ts";
import { fileDigest } from "../support/state_fence_cases.ts";

const CLAIM = '{"version":1,"mode":"external","managerId":"ops-1","claimedAt":1796000000000}';

/** A state dir whose database (rollback journal, so the main file is all there is) holds `row` as its claim. */
async function stateWith(row: string | undefined): Promise<{ stateDir: string; path: string }> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-fence-unit-" });
  openStateDb(stateDir).close();
  const path = stateDbPath(stateDir);
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA journal_mode = DELETE");
    if (row !== undefined) {
      db.prepare(
        "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('gateway.supervision', ?, 1)",
      ).run(row);
    }
  } finally {
    db.close();
  }
  return { stateDir, path };
}

function opens(stateDir: string, access: StateDbAccess): true {
  openExistingStateDb(stateDir, access)!.close();
  openStateDb(stateDir, access).close();
  return true;
}

Deno.test("writeAccessFor() reads OPENCLAW_SUPERVISOR_MODE as the reference does (trimmed, any case)", () => {
  assert.equal(writeAccessFor(" External "), "supervised-write");
  assert.equal(writeAccessFor("external"), "supervised-write");
  assert.equal(writeAccessFor("internal"), "write");
  assert.equal(writeAccessFor(""), "write");
  assert.equal(writeAccessFor(undefined), "write");
});

Deno.test("state fence: an unclaimed database opens for every access", async () => {
  const { stateDir } = await stateWith(undefined);
  try {
    for (const access of ["read", "claim", "write", "supervised-write"] as const) assert.ok(opens(stateDir, access));
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("state fence: a claim refuses an unsupervised write in the reference's words and leaves the file as it was", async () => {
  const { stateDir, path } = await stateWith(CLAIM);
  try {
    const before = await fileDigest(path);
    const expected = `OpenClaw shared state database ${path} is externally supervised by ops-1. ` +
      "Use that external supervisor with OPENCLAW_SUPERVISOR_MODE=external for writable operations.";
    assert.throws(
      () => openStateDb(stateDir),
      (error) => error instanceof StateExternalOwnershipError && error.message === expected,
    );
    assert.throws(() => openExistingStateDb(stateDir, "write"), StateExternalOwnershipError);
    assert.throws(() => checkStateWritable(stateDir, "write"), StateExternalOwnershipError);
    assert.equal(await fileDigest(path), before, "a refused open writes nothing (not even the journal mode)");
    // The supervisor writes; readers and the claim itself are never fenced.
    const db = openStateDb(stateDir, "supervised-write");
    try {
      db.prepare("INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('x', '1', 1)").run();
    } finally {
      db.close();
    }
    assert.ok(opens(stateDir, "read"));
    assert.ok(opens(stateDir, "claim"));
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("state fence: a claim row that does not parse refuses every write, supervised too; reads still open", async () => {
  const { stateDir, path } = await stateWith("{bad");
  try {
    const expected =
      `OpenClaw shared state ownership metadata is invalid at ${path}: reserved value is not valid JSON. ` +
      "Repair it with OPENCLAW_SUPERVISOR_MODE=external openclaw database ownership claim --manager <manager-id>.";
    for (const access of ["write", "supervised-write"] as const) {
      assert.throws(
        () => openStateDb(stateDir, access),
        (error) => error instanceof StateOwnershipMetadataError && error.message === expected,
      );
    }
    assert.ok(opens(stateDir, "read"));
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("probeStateWriteFence(): refuses a claim read-only, leaves other failures to the first real open", async () => {
  const { stateDir, path } = await stateWith(CLAIM);
  try {
    const before = await fileDigest(path);
    assert.throws(() => probeStateWriteFence(path, "write"), StateExternalOwnershipError);
    probeStateWriteFence(path, "supervised-write");
    assert.equal(await fileDigest(path), before);
    await Deno.writeTextFile(path, "this is not a database\n".repeat(400));
    probeStateWriteFence(path, "write");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
