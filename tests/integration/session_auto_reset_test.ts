// `session.reset` in the running gateway: with an idle policy of one minute, a chat.send to a session whose
// last interaction is stored ten minutes back (written before start: no clock to wait on) starts a fresh
// session window before the turn, keeps the old transcript in the database, and fires `session:auto-reset`
// (seen by a workspace hook, tests/support/hook_recorder.ts) with the reference's context keys
// (tests/fixtures/session_reset/reference_facts.json). A session touched a moment ago keeps its id.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { readHookEvents, writeHookRecorder } from "../support/hook_recorder.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db_path.ts";

const TOKEN = "session-auto-reset-token-0123456789";
const STALE = "agent:main:main";
const FRESH = "agent:main:scratch-fresh";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

/** Sends a chat.send and waits for its `chat` final; returns the final's text. */
async function send(session: ReferenceSession, key: string, message: string, id: string): Promise<string> {
  await session.request("chat.send", { sessionKey: key, message, idempotencyKey: id });
  const finalOf = () =>
    session.events.find((e) => {
      const p = e.payload as { runId?: string; state?: string };
      return e.event === "chat" && p.runId === id && (p.state === "final" || p.state === "error");
    });
  await until(() => finalOf() !== undefined, `the answer to ${message}`);
  const payload = finalOf()!.payload as { message?: { content?: { text?: string }[] } };
  return (payload.message?.content ?? []).map((c) => c.text ?? "").join("");
}

/** Seeds a session with one exchange; `idleFor` moves its start and last interaction that far back. */
async function seed(stateDir: string, key: string, idleForMs: number): Promise<string> {
  const store = new SessionStore(stateDir);
  const at = Date.now();
  const { row } = await store.openTurn(key, "main", {
    user: { role: "user", content: [{ type: "text", text: `remember ${key}` }], timestamp: at, runId: `seed-${key}` },
    interaction: true,
  });
  await store.close();
  const past = at - idleForMs;
  const db = new DatabaseSync(agentDbPath(stateDir, "main"));
  try {
    db.prepare(
      "UPDATE session_nodes SET entry_json = json_set(entry_json, '$.lastInteractionAt', ?, '$.sessionStartedAt', ?, " +
        "'$.updatedAt', ?), last_interaction_at = ?, updated_at = ? WHERE session_key = ?",
    ).run(past, past, past, past, past, key);
  } finally {
    db.close();
  }
  return row.sessionId;
}

Deno.test("chat.send to a session idle past session.reset.idleMinutes starts a fresh session and fires session:auto-reset", async () => {
  const facts = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/session_reset/reference_facts.json", import.meta.url)),
  ) as { defaults: { mode: string; atHour: number } };
  assert.deepEqual([facts.defaults.mode.split(" ")[0], facts.defaults.atHour], ["none", 4]);
  const upstream = startFakeUpstream();
  const home = await tempHome();
  const workspace = `${home.home}/ws`;
  await writeHookRecorder(workspace, { events: ["session:auto-reset"] });
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      gateway: { mode: "local", auth: { token: TOKEN } },
      tools: { profile: "minimal" },
      models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: [{ id: "m" }] } } },
      agents: { defaults: { model: { primary: "fake/m" }, workspace } },
      hooks: { internal: { enabled: true, entries: { recorder: { enabled: true } } } },
      session: { reset: { mode: "idle", idleMinutes: 1 } },
    }),
  );
  const staleId = await seed(home.stateDir, STALE, 10 * 60_000);
  const freshId = await seed(home.stateDir, FRESH, 0);
  const { proc, port } = await startGateway({ home: home.home });
  let ui: ReferenceSession | undefined;
  try {
    await proc.waitForLine(/loaded 1 internal hook handler/);
    ui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    assert.equal(await send(ui, STALE, "hello again", "r-stale"), FAKE_ANSWER);
    assert.equal(await send(ui, FRESH, "still here", "r-fresh"), FAKE_ANSWER);

    const listed = await ui.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {});
    const idOf = (key: string) => listed.sessions.find((s) => s.key === key)?.sessionId;
    const next = idOf(STALE);
    assert.ok(next && next !== staleId, "the stale session got a new session id");
    assert.equal(idOf(FRESH), freshId, "the fresh session kept its id");

    // The new window holds only this turn, headed by the reference's reset marker; the old one stays in the
    // database as it was, and its turn (the seeded message) is shown above the marker, as the reference's
    // one transcript reads.
    const history = await ui.request<{ messages: { role: string; __openclaw?: { kind?: string } }[] }>(
      "chat.history",
      { sessionKey: STALE },
    );
    assert.deepEqual(history.messages.map((m) => m.__openclaw?.kind ?? m.role), ["user", "reset", "user", "assistant"]);
    const fresh = await ui.request<{ messages: { role: string }[] }>("chat.history", { sessionKey: FRESH });
    assert.ok(fresh.messages.every((m) => m.role !== "system"), "no marker where no reset happened");
    const db = new DatabaseSync(agentDbPath(home.stateDir, "main"), { readOnly: true });
    try {
      const windows = db.prepare(
        "SELECT session_id AS id, previous_session_id AS previous FROM session_windows WHERE session_key = ? " +
          "ORDER BY created_at",
      ).all(STALE) as { id: string; previous: string | null }[];
      assert.deepEqual(windows.map((w) => ({ ...w })), [{ id: staleId, previous: null }, {
        id: next,
        previous: staleId,
      }]);
    } finally {
      db.close();
    }

    await until(async () => (await readHookEvents(home.home)).length === 1, "the session:auto-reset event");
    const [event] = await readHookEvents(home.home);
    assert.deepEqual([event!.type, event!.action, event!.sessionKey, event!.hasCfg], [
      "session",
      "auto-reset",
      STALE,
      true,
    ]);
    assert.deepEqual(event!.contextKeys, [
      "agentId",
      "cfg",
      "nextSessionId",
      "nextSessionKey",
      "previousSessionMemory",
      "reason",
      "sessionEntry",
      "storePath",
      "transcriptArchived",
      "workspaceDir",
    ]);
    const context = event!.context as Record<string, unknown>;
    assert.deepEqual(context.sessionEntry, { sessionId: staleId });
    assert.deepEqual([context.reason, context.nextSessionId, context.nextSessionKey], ["idle", next, STALE]);
    assert.match(JSON.stringify(context.previousSessionMemory), /remember agent:main:main/);
  } finally {
    ui?.stop();
    assert.equal(await proc.stop(), 0);
    await upstream.stop();
    await home.cleanup();
  }
});
