// The state of tests/fixtures/sessions/reference_sessions_tail.json (recorded by
// tools/record_reference_sessions_tail.ts), seeded the same way for the recorder and for our replays: two
// sessions our SessionStore wrote and trajectory runtime events (one of each kind `sessions tail` tells
// apart) in the agent database's `trajectory_runtime_events`, as the reference's runtime writes them.
import { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { agentDbPath, openAgentDb } from "../../src/state/agent_db.ts";

const DAY = 86_400_000;
/** The main session's id. */
export const MAIN_ID = "11111111-1111-4111-8111-111111111111";
/** The other session's id. */
export const OTHER_ID = "33333333-3333-4333-8333-333333333333";

const at = (s: number) => `2026-01-02T03:04:${String(s).padStart(2, "0")}.000Z`;
const main = { sessionKey: "agent:main:main", sessionId: MAIN_ID };

/** The main session's events, in order (seq 1…). */
export const MAIN_EVENTS: Record<string, unknown>[] = [
  { ...main, type: "session.started", ts: at(1) },
  { ...main, type: "context.compiled", ts: at(2), data: { tools: [{ name: "a" }, { name: "b" }, { name: "c" }] } },
  { ...main, type: "context.compiled", ts: at(3) },
  { ...main, type: "prompt.submitted", ts: at(4) },
  { ...main, type: "prompt.skipped", ts: at(5), data: { reason: "empty prompt" } },
  { ...main, type: "tool.call", ts: at(6), data: { name: "exec", args: { command: "rm -rf /" } } },
  { ...main, type: "tool.result", ts: at(7), data: { toolName: "read", success: true } },
  { ...main, type: "tool.result", ts: at(8), data: { name: "exec", isError: true } },
  { ...main, type: "tool.result", ts: at(9), data: {} },
  { ...main, type: "tool.timeout", ts: at(10), data: { name: "web_fetch" } },
  { ...main, type: "model.completed", ts: at(11), provider: "openai", modelId: "gpt-5", data: {} },
  { ...main, type: "model.completed", ts: at(12), data: { timedOut: true } },
  { ...main, type: "model.completed", ts: at(13), provider: "anthropic", modelId: "claude", data: { aborted: true } },
  { ...main, type: "model.completed", ts: at(14), provider: "openai", data: { status: "error" } },
  { ...main, type: "model.completed", ts: at(15), modelId: "m", data: { promptError: "boom" } },
  { ...main, type: "model.completed", ts: at(16), data: { stopReason: "rpc", status: "cancelled" } },
  { ...main, type: "session.ended", ts: at(17), data: { status: "done" } },
  { ...main, type: "session.ended", ts: at(18) },
  { ...main, type: "trace.truncated", ts: at(19) },
  { ...main, type: "compaction.started", ts: at(20), data: { status: "running" } },
  { ...main, type: "x.custom", ts: at(21), data: { name: "named" } },
  { ...main, type: "x.empty", ts: at(22) },
  { sessionId: MAIN_ID, type: "prompt.submitted", ts: at(23) },
  {
    sessionKey: "agent:main:dashboard:a-very-long-session-name-here",
    sessionId: MAIN_ID,
    type: "a.very.long.event.type.name",
    ts: at(24),
  },
  { ...main, type: "bad\ntype\u001b[31m", ts: "not a time" },
  { ...main, type: "session.started", ts: Date.UTC(2026, 0, 2, 5, 6, 7) },
];

/** The event `--follow` sees appear after the snapshot. */
export const FOLLOW_EVENT: Record<string, unknown> = { ...main, type: "prompt.submitted", ts: at(59) };

/** Seeds the two sessions (main a day old, other two days old) and the events; answers nothing. */
export function seedTailScene(stateDir: string, now: number): void {
  const db = openAgentDb(stateDir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    for (const [key, id, age] of [["agent:main:main", MAIN_ID, 1], ["agent:main:other", OTHER_ID, 2]] as const) {
      sessions.importSession({ key, sessionId: id, createdAt: now - age * DAY, updatedAt: now - age * DAY }, [
        { role: "user", content: [{ type: "text", text: `${key}: hello` }], timestamp: now - age * DAY } as never,
      ]);
    }
  } finally {
    db.close();
  }
  MAIN_EVENTS.forEach((event, i) => appendTrajectoryEvent(stateDir, MAIN_ID, i + 1, event));
  appendTrajectoryEvent(stateDir, OTHER_ID, 1, {
    sessionKey: "agent:main:other",
    sessionId: OTHER_ID,
    type: "session.started",
    ts: at(30),
  });
}

/** Writes one trajectory runtime event row. */
export function appendTrajectoryEvent(stateDir: string, sessionId: string, seq: number, event: unknown): void {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"));
  try {
    db.prepare(
      "INSERT INTO trajectory_runtime_events (session_id, seq, run_id, event_json, created_at) VALUES (?, ?, ?, ?, ?)",
    ).run(sessionId, seq, "run-1", JSON.stringify(event), Date.now());
  } finally {
    db.close();
  }
}
