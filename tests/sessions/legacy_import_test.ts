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
    assert.deepEqual((await store.history("agent:main:main", "main")).messages, [hello, answer]);
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
