// The two session facts clients set (sessions.create/patch): a label and a chosen model.
import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { SessionStore } from "../../src/sessions/store.ts";

Deno.test("SessionStore.update sets and clears a label and model override, and a fresh store reads them back", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    const store = new SessionStore(stateDir);
    assert.equal(await store.get("agent:main:w", "main"), undefined);
    assert.equal(await store.update("agent:main:w", "main", { label: "x" }), undefined, "no row, nothing patched");
    await store.ensure("agent:main:w", "main");
    const row = await store.update("agent:main:w", "main", {
      label: "Work",
      providerOverride: "fake",
      modelOverride: "m2",
    });
    assert.equal(row?.label, "Work");
    const reread = await new SessionStore(stateDir).get("agent:main:w", "main");
    assert.deepEqual([reread?.label, reread?.providerOverride, reread?.modelOverride], ["Work", "fake", "m2"]);
    const cleared = await store.update("agent:main:w", "main", {
      providerOverride: undefined,
      modelOverride: undefined,
    });
    assert.equal("modelOverride" in cleared!, false);
    assert.equal(cleared!.label, "Work", "fields not named stay");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a failed update leaves the row as it is in the database", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    let db: DatabaseSync | undefined;
    const store = new SessionStore(stateDir, {
      log: { error: () => {} } as never,
      openDb: (dir, agentId) => (db = openAgentDb(dir, agentId)),
    });
    await store.ensure("agent:main:w", "main");
    // The database refuses writes, as on a failing disk.
    db!.exec("PRAGMA query_only = ON");
    await assert.rejects(store.update("agent:main:w", "main", { label: "Lost" }));
    assert.equal((await store.get("agent:main:w", "main"))?.label, undefined);
    assert.equal(store.storage.ok, false, "the failure is recorded for health");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
