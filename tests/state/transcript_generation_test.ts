import assert from "node:assert/strict";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath, openAgentDb } from "../../src/state/agent_db.ts";
import { DatabaseSync } from "node:sqlite";

const generations = (stateDir: string) => {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    return db.prepare("SELECT session_id, generation FROM transcript_rewrite_watermarks ORDER BY session_id").all() as {
      session_id: string;
      generation: string;
    }[];
  } finally {
    db.close();
  }
};

Deno.test("every transcript this gateway writes has the reference's generation, kept by appends", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const message = { role: "user" as const, content: [{ type: "text" as const, text: "hello" }], timestamp: 1 };
    await store.ensure("agent:main:main", "main");
    await store.append("agent:main:main", "main", [message]);
    const first = generations(stateDir);
    assert.equal(first.length, 1);
    assert.match(first[0]!.generation, /^[0-9a-f]{32}$/, "the reference's format: a UUID's 32 hex digits");
    await store.append("agent:main:main", "main", [message, message]);
    assert.deepEqual(generations(stateDir), first, "a pure append keeps the generation");
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("opening a database written without generations gives each transcript one, once", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    const hi = { role: "user" as const, content: [{ type: "text" as const, text: "hi" }], timestamp: 1 };
    for (const key of ["agent:main:main", "agent:main:other"]) {
      await store.ensure(key, "main");
      await store.append(key, "main", [hi]);
    }
  } finally {
    await store.close();
  }
  try {
    const raw = new DatabaseSync(agentDbPath(stateDir, "main"));
    raw.exec("DELETE FROM transcript_rewrite_watermarks");
    raw.close();
    openAgentDb(stateDir, "main").close();
    const filled = generations(stateDir);
    assert.equal(filled.length, 2);
    openAgentDb(stateDir, "main").close();
    assert.deepEqual(generations(stateDir), filled, "a second open changes nothing");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
