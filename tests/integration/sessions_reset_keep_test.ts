// `sessions.reset` through our gateway keeps the transcript it resets, as the reference OpenClaw 2026.9.6
// keeps it (tests/fixtures/sessions/reference_session_reset.json, by tools/record_reference_session_reset.ts):
// nothing is archived and nothing is written beside the database; the old messages stay readable in it.
// The two keep it differently: the reference keeps the session id and appends a `reset` event to the same
// transcript; this gateway starts a new transcript (a new session window, `previous_session_id` naming
// the old one) and leaves the old one as it was.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db_path.ts";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "reset-keep-token-0123456789";
const KEY = "agent:main:scratch-1";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/sessions/reference_session_reset.json", import.meta.url)),
) as {
  seededSessionId: string;
  after: { currentSessionId: string; windows: { id: string; events: { type: string }[] }[]; archiveRows: number };
  sessionsDirFiles: string[];
};

Deno.test("the recording: the reference's sessions.reset keeps the session id, appends a reset event, archives nothing", () => {
  assert.equal(recorded.after.currentSessionId, recorded.seededSessionId);
  assert.deepEqual(recorded.after.windows.map((w) => w.events.map((e) => e.type)), [[
    "session",
    "message",
    "message",
    "reset",
  ]]);
  assert.equal(recorded.after.archiveRows, 0);
  assert.deepEqual(recorded.sessionsDirFiles, []);
});

Deno.test("sessions.reset through our gateway keeps the old transcript in the database and archives nothing", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const store = new SessionStore(home.stateDir);
  const at = Date.now();
  const old = await store.ensure(KEY, "main");
  await store.append(KEY, "main", [
    { role: "user", content: [{ type: "text", text: "before the reset" }], timestamp: at, runId: "r1" },
    { role: "assistant", content: [{ type: "text", text: "noted" }], timestamp: at, runId: "r1" },
  ] as never);
  await store.close();

  const { proc, port } = await startGateway({ home: home.home, args: ["--token", TOKEN] });
  try {
    const out = await runOpenclaw(
      [
        "gateway",
        "call",
        "sessions.reset",
        "--port",
        String(port),
        "--token",
        TOKEN,
        "--json",
        "--params",
        JSON.stringify({
          key: KEY,
        }),
      ],
      { home: home.home },
    );
    assert.equal(out.code, 0, `${out.stdout}${out.stderr}`);
    const answer = JSON.parse(out.stdout.slice(out.stdout.indexOf("{")));
    assert.deepEqual([answer.ok, answer.key], [true, KEY]);
    const fresh = answer.entry.sessionId as string;
    assert.notEqual(fresh, old.sessionId, "ours starts a new transcript");

    const db = new DatabaseSync(agentDbPath(home.stateDir, "main"), { readOnly: true });
    try {
      const windows = db.prepare(
        "SELECT session_id AS id, previous_session_id AS previous, reason FROM session_windows " +
          "WHERE session_key = ? ORDER BY created_at",
      ).all(KEY) as { id: string; previous: string | null; reason: string | null }[];
      assert.deepEqual(windows.map((w) => ({ ...w })), [
        { id: old.sessionId, previous: null, reason: null },
        { id: fresh, previous: old.sessionId, reason: "reset" },
      ]);
      const events = (id: string) =>
        (db.prepare("SELECT event_json AS j FROM transcript_events WHERE session_id = ? ORDER BY seq").all(id) as {
          j: string;
        }[]).map((e) => JSON.parse(e.j) as { type: string; message?: { content: { text: string }[] } });
      // The old transcript is as it was: its header and both messages, readable where they were.
      const kept = events(old.sessionId);
      assert.deepEqual(kept.map((e) => e.type), ["session", "message", "message"]);
      assert.deepEqual(kept.slice(1).map((e) => e.message!.content[0]!.text), ["before the reset", "noted"]);
      assert.deepEqual(events(fresh).map((e) => e.type), ["session"]);
      const archives = db.prepare("SELECT count(*) AS n FROM session_transcript_archives").get() as { n: number };
      assert.equal(archives.n, recorded.after.archiveRows, "nothing archived, as the reference");
    } finally {
      db.close();
    }
    const dir = `${home.stateDir}/agents/main/sessions`;
    const files = await Array.fromAsync(Deno.readDir(dir)).catch(() => []);
    assert.deepEqual(files.map((f) => f.name), recorded.sessionsDirFiles, "no archive file beside the database");
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});
