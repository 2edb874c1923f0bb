import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { checkStateFenceAtStart, STATE_MAINTENANCE_GUIDANCE } from "../../src/server/state_fence_start.ts";
import { StartupError } from "../../src/server/startup_error.ts";
import { openStateDb, stateDbPath } from "../../src/state/state_db.ts";

Deno.test("checkStateFenceAtStart(): no database, an unclaimed one, or the supervisor's own start goes on", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-fence-start-" });
  try {
    await checkStateFenceAtStart(stateDir, {});
    openStateDb(stateDir).close();
    await checkStateFenceAtStart(stateDir, {});
    const db = new DatabaseSync(stateDbPath(stateDir));
    db.prepare(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('gateway.supervision', ?, 1)",
    ).run('{"version":1,"mode":"external","managerId":"ops-1","claimedAt":1}');
    db.close();
    await checkStateFenceAtStart(stateDir, { OPENCLAW_SUPERVISOR_MODE: "external" });
    const refusal = await checkStateFenceAtStart(stateDir, {}).then(() => undefined, (error) => error);
    assert.ok(refusal instanceof StartupError);
    assert.equal(refusal.kind, "config", "exit 78, as the reference's");
    const fence = `OpenClaw shared state database ${stateDbPath(stateDir)} is externally supervised by ops-1. ` +
      "Use that external supervisor with OPENCLAW_SUPERVISOR_MODE=external for writable operations.";
    assert.deepEqual(refusal.preface, [fence, `[gateway] requires state migration. ${STATE_MAINTENANCE_GUIDANCE}`]);
    assert.equal(refusal.message, `${fence} | gateway.maintenance_required. ${STATE_MAINTENANCE_GUIDANCE}`);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("LazyStateDb: the gateway's connection passes the fence for its own access, once per open", async () => {
  const { LazyStateDb } = await import("../../src/server/state_db_handle.ts");
  const stateDir = await Deno.makeTempDir({ prefix: "oc-fence-lazy-" });
  try {
    openStateDb(stateDir).close();
    const db = new DatabaseSync(stateDbPath(stateDir));
    db.prepare(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('gateway.supervision', ?, 1)",
    ).run('{"version":1,"mode":"external","managerId":"ops-1","claimedAt":1}');
    db.close();
    const unsupervised = new LazyStateDb(stateDir, "write");
    await assert.rejects(unsupervised.get(), /externally supervised by ops-1/);
    await unsupervised.close();
    const supervised = new LazyStateDb(stateDir, "supervised-write");
    assert.ok((await supervised.get()).isOpen);
    await supervised.close();
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("checkStateFenceAtStart(): a refusal asks beforeRefusal first (its refusal wins), and the runtime form exits 1", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-fence-start-" });
  try {
    let asked = 0;
    const before = () => (asked++, Promise.resolve());
    await checkStateFenceAtStart(stateDir, {}, before);
    openStateDb(stateDir).close();
    const db = new DatabaseSync(stateDbPath(stateDir));
    db.prepare(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('gateway.supervision', ?, 1)",
    ).run('{"version":1,"mode":"external","managerId":"ops-1","claimedAt":1}');
    db.close();
    await checkStateFenceAtStart(stateDir, { OPENCLAW_SUPERVISOR_MODE: "external" }, before);
    assert.equal(asked, 0, "an admitted start never asks");
    await assert.rejects(
      checkStateFenceAtStart(stateDir, {}, () => Promise.reject(new Error("locked"))),
      /^Error: locked$/,
    );
    const late = await checkStateFenceAtStart(stateDir, {}, before, "runtime").then(() => undefined, (error) => error);
    assert.equal(asked, 1);
    assert.ok(late instanceof StartupError);
    assert.equal(late.kind, "runtime", "exit 1, as the reference's generic start failure");
    assert.deepEqual(late.preface, []);
    assert.equal(
      late.message,
      `OpenClaw shared state database ${stateDbPath(stateDir)} is externally supervised by ops-1. ` +
        "Use that external supervisor with OPENCLAW_SUPERVISOR_MODE=external for writable operations.. " +
        "Run openclaw gateway status --deep for diagnostics.",
    );
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
