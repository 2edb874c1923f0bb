import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db.ts";

function stored(stateDir: string, key: string): { entry: Record<string, unknown>; archivedAt: number | null } {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    const row = db.prepare(
      "SELECT entry_json AS json, archived_at AS archivedAt FROM session_nodes WHERE session_key = ?",
    )
      .get(key) as { json: string; archivedAt: number | null };
    return { entry: JSON.parse(row.json), archivedAt: row.archivedAt };
  } finally {
    db.close();
  }
}

Deno.test("archive writes the reference's entry fields and column; a second archive keeps the first time; restore clears", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    await store.ensure("agent:main:scratch", "main");
    assert.equal(await store.archive("agent:main:nope", "main", true), undefined);
    const row = (await store.archive("agent:main:scratch", "main", true))!;
    assert.equal(typeof row.archivedAt, "number");
    const first = stored(stateDir, "agent:main:scratch");
    assert.equal(first.entry.archivedAt, row.archivedAt);
    assert.equal(first.entry.archiveReason, "manual");
    assert.equal(first.archivedAt, row.archivedAt);
    assert.equal((await store.archive("agent:main:scratch", "main", true))!.archivedAt, row.archivedAt);
    assert.equal((await store.list(["main"]))[0]!.archivedAt, row.archivedAt);

    const restored = (await store.archive("agent:main:scratch", "main", false))!;
    assert.equal(restored.archivedAt, undefined);
    const after = stored(stateDir, "agent:main:scratch");
    assert.equal(after.archivedAt, null);
    assert.equal("archivedAt" in after.entry || "archiveReason" in after.entry, false);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
