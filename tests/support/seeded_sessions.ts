// A state dir with sessions in it, as every user's has after the first day: the first client's figures and the
// session counts' health event are measured against one (tests/bench/first_client_bench.ts,
// tests/integration/post_listen_start_test.ts).
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

/** Writes `count` sessions of one user message into the main agent's database, newest first. */
export function seedSessions(stateDir: string, count: number): void {
  const sessions = new AgentSessions(openAgentDb(stateDir, "main"), "main");
  try {
    for (let i = 0; i < count; i++) {
      const at = Date.now() - i * 1000;
      const entry = { key: `agent:main:seeded-${i}`, sessionId: crypto.randomUUID(), createdAt: at, updatedAt: at };
      sessions.importSession(entry, [{ role: "user", content: [{ type: "text", text: "hello" }], timestamp: at }]);
    }
  } finally {
    sessions.close();
  }
}
