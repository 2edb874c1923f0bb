import assert from "node:assert/strict";
import { SessionStore } from "../../src/sessions/store.ts";
import { appendTranscript, type TranscriptMessage } from "../../src/sessions/transcript.ts";

const hello: TranscriptMessage = {
  role: "user",
  content: [{ type: "text", text: "hello" }],
  timestamp: 1,
  runId: "r1",
};
const answer: TranscriptMessage = {
  role: "assistant",
  content: [{ type: "text", text: "hi there" }],
  timestamp: 2,
  runId: "r1",
  provider: "fake",
  model: "m1",
  stopReason: "stop",
  usage: { input: 10, output: 3 },
};

function recordingLog() {
  const lines: { level: string; line: string }[] = [];
  const at = (level: string) => (line: string) => lines.push({ level, line });
  return { lines, log: { info: at("info"), warn: at("warn"), error: at("error") } as never };
}

/** The layout this gateway wrote before the agent database: sessions.json plus one JSONL per session. */
async function writeEarlierLayout(stateDir: string, index: unknown): Promise<string> {
  const dir = `${stateDir}/agents/main/sessions`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/sessions.json`, typeof index === "string" ? index : JSON.stringify(index));
  return dir;
}

const INDEX = {
  sessions: {
    "agent:main:main": { key: "agent:main:main", sessionId: "s-one", createdAt: 100, updatedAt: 200 },
    "agent:main:other": { key: "agent:main:other", sessionId: "s-two", createdAt: 300, updatedAt: 400 },
    "agent:main:lost": { key: "agent:main:lost", sessionId: "s-gone", createdAt: 1, updatedAt: 2 },
    "agent:main:bad": { key: "agent:main:bad", sessionId: "../../etc/passwd" },
  },
};

Deno.test("the earlier layout is imported once, with its messages, and kept as a renamed backup", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-import-" });
  try {
    const dir = await writeEarlierLayout(stateDir, INDEX);
    await appendTranscript(`${dir}/s-one.jsonl`, [hello, answer]);
    await Deno.writeTextFile(`${dir}/s-one.jsonl`, '{"type":"message","role":"us', { append: true }); // torn
    await appendTranscript(`${dir}/s-two.jsonl`, [hello]);
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, { log });
    const rows = await store.list(["main"]);
    assert.deepEqual(rows.map((r) => [r.key, r.messageCount, r.createdAt, r.updatedAt]), [
      ["agent:main:other", 1, 300, 400],
      ["agent:main:main", 2, 100, 200],
      ["agent:main:lost", 0, 1, 2],
    ]);
    assert.equal(rows.find((r) => r.key === "agent:main:main")?.sessionId, "s-one", "the session id is kept");
    const imported = (await store.history("agent:main:main", "main")).messages;
    assert.deepEqual(imported.map(({ id: _id, ...m }) => m), [hello, answer]);
    assert.ok(imported.every((m) => typeof m.id === "string"), "each stored message has its event id");
    assert.equal(rows.find((r) => r.key === "agent:main:main")?.lastPreview, "hi there");
    await store.close();

    // The earlier directory is renamed, never deleted: every file is still there.
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
    const backups = (await Array.fromAsync(Deno.readDir(`${stateDir}/agents/main`))).map((e) => e.name)
      .filter((n) => n.startsWith("sessions.imported-"));
    assert.equal(backups.length, 1);
    const kept = (await Array.fromAsync(Deno.readDir(`${stateDir}/agents/main/${backups[0]}`))).map((e) => e.name)
      .sort();
    assert.deepEqual(kept, ["s-one.jsonl", "s-two.jsonl", "sessions.json"]);
    assert.match(lines.find((l) => l.level === "info")!.line, /imported 3 sessions \(3 messages\)/);
    const warnings = lines.filter((l) => l.level === "warn").map((l) => l.line).join("\n");
    assert.match(warnings, /agent:main:bad: no valid sessionId/);
    assert.match(warnings, /agent:main:lost: transcript s-gone\.jsonl is missing/);

    // Imported again (an interrupted import left the directory): present sessions are not duplicated.
    await writeEarlierLayout(stateDir, INDEX);
    const again = new SessionStore(stateDir, { log: recordingLog().log });
    assert.equal((await again.list(["main"])).length, 3);
    assert.equal((await again.history("agent:main:main", "main")).messages.length, 2);
    await again.close();
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("an earlier index that cannot be read stays in place, reported, and nothing is lost", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-import-" });
  try {
    const dir = await writeEarlierLayout(stateDir, '{"sessions": {"agent:main:main": ');
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, { log });
    assert.deepEqual(await store.list(["main"]), []);
    assert.equal(await Deno.readTextFile(`${dir}/sessions.json`), '{"sessions": {"agent:main:main": ');
    assert.match(
      lines.find((l) => l.level === "error")!.line,
      /cannot import the earlier session layout in .*sessions: sessions\.json is not valid JSON.*it stays in place/,
    );
    // New sessions still work meanwhile.
    await store.ensure("agent:main:new", "main");
    assert.equal((await store.list(["main"])).length, 1);
    await store.close();
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("two keys sharing one sessionId: the second is reported and skipped, every other entry is imported", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-import-" });
  try {
    const dir = await writeEarlierLayout(stateDir, {
      sessions: {
        "agent:main:main": { sessionId: "s1", createdAt: 1, updatedAt: 3 },
        "agent:main:alias": { sessionId: "s1", createdAt: 1, updatedAt: 2 },
        "agent:main:other": { sessionId: "s2", createdAt: 1, updatedAt: 1 },
      },
    });
    await appendTranscript(`${dir}/s1.jsonl`, [hello]);
    await appendTranscript(`${dir}/s2.jsonl`, [hello, answer]);
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, { log });
    assert.deepEqual((await store.list(["main"])).map((r) => [r.key, r.messageCount]), [
      ["agent:main:main", 1],
      ["agent:main:other", 2],
    ]);
    await store.close();
    assert.deepEqual(lines.filter((l) => l.level === "error"), []);
    assert.match(
      lines.filter((l) => l.level === "warn").map((l) => l.line).join("\n"),
      /agent:main:alias: its sessionId s1 is already another session's transcript/,
    );
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound, "imported, so renamed to the backup");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("an entry the database refuses is reported; the others are imported and the import is done", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-import-" });
  try {
    const dir = await writeEarlierLayout(stateDir, {
      sessions: {
        "agent:main:main": { sessionId: "s1", createdAt: 1, updatedAt: 2 },
        "agent:main:refused": { sessionId: "s2", createdAt: 1, updatedAt: 1 },
      },
    });
    await appendTranscript(`${dir}/s1.jsonl`, [hello]);
    const { openAgentDb } = await import("../../src/state/agent_db.ts");
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, {
      log,
      openDb: (at, agentId) => {
        const db = openAgentDb(at, agentId);
        db.exec(
          "CREATE TEMP TRIGGER refuse BEFORE INSERT ON session_nodes WHEN NEW.session_key = 'agent:main:refused' " +
            "BEGIN SELECT RAISE(ABORT, 'simulated constraint failure'); END",
        );
        return db;
      },
    });
    assert.deepEqual((await store.list(["main"])).map((r) => r.key), ["agent:main:main"]);
    await store.close();
    assert.match(
      lines.filter((l) => l.level === "warn").map((l) => l.line).join("\n"),
      /agent:main:refused: simulated constraint failure/,
    );
    assert.deepEqual(lines.filter((l) => l.level === "error"), []);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound, "imported, so renamed to the backup");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("an index openclaw doctor rewrote to the reference's flat map is imported without an error", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-import-" });
  try {
    const dir = await writeEarlierLayout(stateDir, {
      "agent:main:main": { sessionId: "s1", updatedAt: 5 },
    });
    await appendTranscript(`${dir}/s1.jsonl`, [hello, answer]);
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, { log });
    assert.deepEqual((await store.list(["main"])).map((r) => [r.key, r.messageCount]), [["agent:main:main", 2]]);
    await store.close();
    assert.deepEqual(lines.filter((l) => l.level !== "info"), []);
    assert.match(lines[0]!.line, /sessions\.json is in the reference's shape \(flat\): importing its entries/);

    // Emptied by the doctor (its sessions moved elsewhere): one line, no error, and not again.
    const emptied = await writeEarlierLayout(stateDir, {});
    const second = recordingLog();
    const again = new SessionStore(stateDir, { log: second.log });
    assert.equal((await again.list(["main"])).length, 1);
    await again.close();
    assert.deepEqual(second.lines.filter((l) => l.level !== "info"), []);
    await assert.rejects(Deno.stat(emptied), Deno.errors.NotFound);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("an index openclaw doctor 2026.9.6 rewrote (our entries under agent:main:sessions) is imported", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-import-" });
  try {
    // Recorded: `openclaw doctor --non-interactive` on {"sessions":{"agent:main:main":{...}}} wrote this.
    const dir = await writeEarlierLayout(stateDir, {
      "agent:main:sessions": {
        "agent:main:main": { key: "agent:main:main", sessionId: "s-one", createdAt: 100, updatedAt: 200 },
        "delivery": { kind: "none" },
      },
    });
    await appendTranscript(`${dir}/s-one.jsonl`, [hello, answer]);
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, { log });
    assert.deepEqual((await store.list(["main"])).map((r) => [r.key, r.messageCount, r.createdAt]), [
      ["agent:main:main", 2, 100],
    ]);
    await store.close();
    assert.deepEqual(lines.filter((l) => l.level !== "info"), [], "no error, no warning");
    assert.match(lines[0]!.line, /rewritten by openclaw doctor, entries under agent:main:sessions/);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound, "imported, so renamed to the backup");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
