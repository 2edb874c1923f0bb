// SessionStore.discard: a run's own session removed outright, its transcript unarchived (a model run's, as the
// reference removes it), where `delete` archives.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db.ts";

const KEY = "agent:main:explicit:model-run-0b9b2c4e-7d3a-4f7e-9a51-6c1f0e2d3b4a";

Deno.test("discard removes the row, its windows and transcript events, and archives nothing", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    await store.ensure("agent:main:main", "main");
    await store.ensure(KEY, "main");
    await store.append(KEY, "main", [{ role: "user", content: [{ type: "text", text: "hello" }], timestamp: 1 }]);
    await store.list(["main"]); // the whole index cached: discard must take the row out of it
    assert.equal(await store.discard(KEY, "main"), true);
    assert.equal(await store.get(KEY, "main"), undefined);
    assert.deepEqual((await store.list(["main"])).map((r) => r.key), ["agent:main:main"]);
    assert.equal(await store.discard(KEY, "main"), false, "nothing left to remove");
    assert.equal(await store.discard(KEY, "other"), false, "an agent with no database has none");

    const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
    try {
      const count = (sql: string, ...args: string[]) => (db.prepare(sql).get(...args) as { n: number }).n;
      assert.equal(count("SELECT count(*) AS n FROM session_windows WHERE session_key = ?", KEY), 0);
      assert.equal(
        count(
          "SELECT count(*) AS n FROM transcript_events WHERE session_id NOT IN (SELECT session_id FROM session_windows)",
        ),
        0,
      );
      assert.equal(count("SELECT count(*) AS n FROM session_transcript_archives"), 0);
    } finally {
      db.close();
    }
    const files = (await Array.fromAsync(Deno.readDir(`${stateDir}/agents/main`))).map((e) => e.name);
    assert.ok(!files.includes("sessions"), `no archive file: ${files}`);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
