// The read and pin steps tools/record_reference_session_read_state.ts records against the reference and the
// integration test replays against ours, through the reference client: a fresh session, a session after a
// run, `sessions.patch` with `unread`, `expectedMarkedUnreadAt` and `pinned`, and a run after the read.
import { DatabaseSync } from "node:sqlite";
import type { ReferenceSession } from "./reference_client.ts";
import { readStateOf, storedReadState } from "./read_state_facts.ts";
import { until } from "./until.ts";

/** The session the steps patch. */
export const READ_STATE_KEY = "agent:main:rail";

/** Resolves when the run `id` sent its last chat event. */
export function runEnded(client: ReferenceSession, id: string): Promise<void> {
  return until(
    () =>
      client.events.some((e) =>
        e.event === "chat" && (e.payload as { runId?: string }).runId === id &&
        ["final", "error", "aborted"].includes(String((e.payload as { state?: unknown }).state))
      ),
    id,
    60_000,
  );
}

/** The `sessions.changed` events of a key from the `from`th event on, in short. */
export function changedOf(client: ReferenceSession, key: string, from = 0): Record<string, unknown>[] {
  return client.events.slice(from).filter((e) =>
    e.event === "sessions.changed" && (e.payload as { sessionKey?: string }).sessionKey === key
  ).map((e) => {
    const p = e.payload as Record<string, unknown>;
    return { reason: p.reason, ...readStateOf(p), session: readStateOf(p.session as Record<string, unknown>) };
  });
}

/**
 * Runs the steps and answers what each showed. `quietMs`: how long to wait after a patch for its
 * `sessions.changed` (the recorder's; a test waits for the events it expects instead and passes 0).
 */
export async function readStateSteps(
  client: ReferenceSession,
  stateDir: string,
  quietMs: number,
): Promise<Record<string, unknown>> {
  const rowOf = async (key: string) => {
    const list = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
    return readStateOf(list.sessions.find((s) => s.key === key));
  };
  const stored = (key: string) => {
    const db = new DatabaseSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`, { readOnly: true });
    try {
      const row = db.prepare("SELECT entry_json, pinned_at, last_read_at FROM session_nodes WHERE session_key = ?")
        .get(key) as { entry_json: string; pinned_at: number | null; last_read_at: number | null };
      return storedReadState(row.entry_json, row);
    } finally {
      db.close();
    }
  };
  const patched = async (params: Record<string, unknown>) => {
    const from = client.events.length;
    let answer: Record<string, unknown>;
    try {
      const a = await client.request<{ entry?: Record<string, unknown> }>("sessions.patch", {
        key: READ_STATE_KEY,
        ...params,
      });
      answer = { ok: true, entry: readStateOf(a.entry) };
    } catch (error) {
      answer = { ok: false, error: (error as Error).message };
    }
    if (quietMs > 0) await new Promise((r) => setTimeout(r, quietMs));
    // The expected mark is a time, shaped as the others so two runs compare.
    const shown = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "number" ? "<ts>" : v]));
    return {
      params: shown,
      answer,
      changed: changedOf(client, READ_STATE_KEY, from),
      row: await rowOf(READ_STATE_KEY),
      stored: stored(READ_STATE_KEY),
    };
  };
  const facts: Record<string, unknown> = {};
  await client.request("sessions.create", { key: "agent:main:fresh" });
  facts.fresh = { row: await rowOf("agent:main:fresh"), stored: stored("agent:main:fresh") };
  await client.request("chat.send", { sessionKey: READ_STATE_KEY, message: "hello rail", idempotencyKey: "rail-1" });
  await runEnded(client, "rail-1");
  await client.request("sessions.subscribe", {});
  facts.afterRun = { row: await rowOf(READ_STATE_KEY), stored: stored(READ_STATE_KEY) };
  const steps: Record<string, unknown>[] = [];
  steps.push(await patched({ unread: false }));
  steps.push(await patched({ unread: true }));
  const marked = (await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {})).sessions
    .find((s) => s.key === READ_STATE_KEY)?.markedUnreadAt as number;
  steps.push(await patched({ unread: false, expectedMarkedUnreadAt: marked + 5 }));
  steps.push(await patched({ unread: false, expectedMarkedUnreadAt: marked, label: "x" }));
  steps.push(await patched({ unread: false, expectedMarkedUnreadAt: marked }));
  steps.push(await patched({ unread: false, expectedMarkedUnreadAt: null }));
  steps.push(await patched({ pinned: true }));
  steps.push(await patched({ pinned: true }));
  steps.push(await patched({ pinned: false }));
  facts.steps = steps;
  // Activity after the read makes the session unread again.
  await client.request("chat.send", { sessionKey: READ_STATE_KEY, message: "again", idempotencyKey: "rail-2" });
  await runEnded(client, "rail-2");
  facts.afterNewRun = { row: await rowOf(READ_STATE_KEY), stored: stored(READ_STATE_KEY) };
  return facts;
}
