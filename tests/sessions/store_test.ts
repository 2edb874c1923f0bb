import assert from "node:assert/strict";
import {
  agentOfKey,
  InvalidAgentIdError,
  MAX_CACHED_INDEXES,
  messageText,
  SessionStore,
  SessionWriteError,
  type WriteFailure,
} from "../../src/sessions/store.ts";
import type { DatabaseSync } from "node:sqlite";
import { agentDbPath, openAgentDb } from "../../src/state/agent_db.ts";

Deno.test("agentOfKey takes only well-formed agent ids", () => {
  assert.equal(agentOfKey("agent:main:main"), "main");
  assert.equal(agentOfKey("agent:../../etc:z"), undefined);
  assert.equal(agentOfKey("agent:a/b:z"), undefined);
  assert.equal(agentOfKey("agent:Main:z"), undefined);
});

Deno.test("SessionStore refuses an agent id that is not one, for reads and writes", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  for (const bad of ["../../x", "..", "a/b", "", "A"]) {
    await assert.rejects(store.history("agent:x:z", bad), InvalidAgentIdError);
    await assert.rejects(store.ensure("agent:x:z", bad), InvalidAgentIdError);
    await assert.rejects(store.list([bad]), InvalidAgentIdError);
  }
  assert.equal(store.cachedIndexes, 0);
  await Deno.remove(stateDir, { recursive: true });
});

/**
 * Opens agent databases as copies of one made once, so a test of the open-database bound need not run
 * the schema's 128 statements for each of its 18 agents.
 */
async function copiedDatabases(stateDir: string): Promise<(dir: string, agentId: string) => DatabaseSync> {
  const template = `${stateDir}/template`;
  openAgentDb(template, "t").close();
  const { DatabaseSync } = await import("node:sqlite");
  return (dir, agentId) => {
    const path = agentDbPath(dir, agentId);
    try {
      Deno.statSync(path);
    } catch {
      Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      Deno.copyFileSync(agentDbPath(template, "t"), path);
    }
    return new DatabaseSync(path);
  };
}

Deno.test("SessionStore keeps at most MAX_CACHED_INDEXES databases open, and an evicted one reopens intact", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir, { openDb: await copiedDatabases(stateDir) });
  await store.ensure("agent:main:main", "main");
  const ids = Array.from({ length: MAX_CACHED_INDEXES + 2 }, (_, i) => `a${i}`);
  for (const id of ids) await store.ensure(`agent:${id}:z`, id);
  assert.equal(store.cachedIndexes, MAX_CACHED_INDEXES);
  // Reading an agent without a database opens (and creates) nothing.
  await store.history("agent:none:z", "none");
  assert.equal((await store.list(["none"])).length, 0);
  await assert.rejects(Deno.stat(`${stateDir}/agents/none`), Deno.errors.NotFound);
  // "main" was evicted long ago: it comes back from disk with its row.
  const { row } = await store.history("agent:main:main", "main");
  assert.equal(row?.key, "agent:main:main");
  await Deno.remove(stateDir, { recursive: true });
});

Deno.test("SessionStore: a write whose index was evicted mid-flight is not undone by a stale reload", async () => {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir, { openDb: await copiedDatabases(stateDir) });
  const row = await store.ensure("agent:main:main", "main");
  const message = { role: "user" as const, content: [{ type: "text" as const, text: "hi" }], timestamp: 1 };
  const write = store.append("agent:main:main", "main", [message]);
  // Writers to many other agents evict "main" while the append is queued or running.
  await Promise.all(Array.from({ length: MAX_CACHED_INDEXES + 2 }, (_, i) => store.ensure("agent:x:z", `b${i}`)));
  await write;
  await store.append("agent:main:main", "main", [message]);
  const { row: after, messages } = await store.history("agent:main:main", "main");
  assert.equal(after?.sessionId, row.sessionId);
  assert.equal(after?.messageCount, 2);
  assert.equal(messages.length, 2);
  await Deno.remove(stateDir, { recursive: true });
});

function recordingLog() {
  const lines: string[] = [];
  const log = { error: (line: string) => lines.push(line) };
  return { lines, log: log as never };
}

const hello = [{ role: "user" as const, content: [{ type: "text" as const, text: "hi" }], timestamp: 1 }];

Deno.test("SessionStore: a transcript write that fails is logged, recorded for health and thrown, never dropped", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-" });
  try {
    const { lines, log } = recordingLog();
    const told: WriteFailure[] = [];
    let db: DatabaseSync | undefined;
    const openDb = (dir: string, agentId: string) => (db = openAgentDb(dir, agentId));
    const store = new SessionStore(stateDir, { log, onWriteFailure: (f) => told.push(f), openDb });
    await store.ensure("agent:main:main", "main");
    await store.append("agent:main:main", "main", hello);
    const before = store.storage;
    assert.deepEqual(before, { ok: true, writeFailures: 0, lastWriteError: null });
    // Disk full, injected: the database may not grow by a single page.
    const { page_count: pages } = db!.prepare("PRAGMA page_count").get() as { page_count: number };
    db!.exec(`PRAGMA max_page_count = ${pages}`);
    const big = [{ ...hello[0]!, content: [{ type: "text" as const, text: "x".repeat(100_000) }] }];
    const error: unknown = await store.append("agent:main:main", "main", big).then(() => undefined, (e) => e);
    assert.ok(error instanceof SessionWriteError, String(error));
    assert.match(error.message, /Cannot append session agent:main:main/);
    assert.doesNotMatch(error.message, new RegExp(stateDir), "the caller's message names no path");
    const storage = store.storage;
    assert.equal(storage.ok, false);
    assert.equal(storage.writeFailures, 1);
    assert.equal(storage.lastWriteError?.operation, "append");
    assert.match(storage.lastWriteError?.error ?? "", /database or disk is full/);
    assert.deepEqual(told, [storage.lastWriteError]);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /session write failed \(append agent:main:main, agent main\).*database or disk is full/);
    assert.equal((await store.history("agent:main:main", "main")).messages.length, 1, "nothing half-written");
    // Disk space back: the next write lands and storage reads ok again, the failure still on record.
    db!.exec("PRAGMA max_page_count = 1073741823");
    await store.append("agent:main:main", "main", hello);
    assert.equal(store.storage.ok, true);
    assert.equal(store.storage.writeFailures, 1);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("SessionStore: an agent database path that is blocked fails session creation loudly", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-" });
  try {
    await Deno.mkdir(`${stateDir}/agents/main`, { recursive: true });
    await Deno.writeTextFile(`${stateDir}/agents/main/agent`, "not a directory");
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, { log });
    await assert.rejects(store.ensure("agent:main:main", "main"), SessionWriteError);
    assert.equal(store.storage.lastWriteError?.operation, "create");
    assert.equal(lines.filter((line) => /session write failed \(create agent:main:main/.test(line)).length, 1);
    assert.deepEqual(await store.list(["main"]), [], "a session that never reached the disk is not listed");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("SessionStore: summary() lists an agent's sessions, most recent first", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-" });
  try {
    const writer = new SessionStore(stateDir);
    await writer.ensure("agent:main:a", "main");
    await writer.ensure("agent:main:b", "main");
    await writer.append("agent:main:a", "main", hello);
    const reader = new SessionStore(stateDir);
    assert.equal(reader.summary("main").count, 0, "nothing loaded yet");
    await reader.load(["main"]);
    const summary = reader.summary("main");
    assert.equal(summary.path, `${stateDir}/agents/main/agent/openclaw-agent.sqlite`);
    assert.deepEqual(summary.recent.map((r) => r.key), ["agent:main:a", "agent:main:b"]);
    assert.equal(summary.count, 2);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("SessionStore: history() with a limit reads only the newest messages, oldest first, and counts them all", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-" });
  const store = new SessionStore(stateDir);
  try {
    await store.ensure("agent:main:main", "main");
    const say = (i: number) => ({
      role: "user" as const,
      content: [{ type: "text" as const, text: `m${i}` }],
      timestamp: i,
    });
    await store.append("agent:main:main", "main", Array.from({ length: 10 }, (_, i) => say(i)));
    const { messages, total } = await store.history("agent:main:main", "main", { limit: 3 });
    assert.deepEqual(messages.map((m) => messageText(m)), ["m7", "m8", "m9"]);
    assert.equal(total, 10);
    assert.equal((await store.history("agent:main:main", "main")).messages.length, 10);
    const [row] = await store.list(["main"]);
    assert.equal(row?.lastPreview, "m9");
    assert.equal(JSON.parse(JSON.stringify(row)).lastPreview, "m9", "the lazily read preview serializes");
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("SessionStore: an agent database at another schema version is refused, logged once with its fix, and left as it is", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-" });
  try {
    openAgentDb(stateDir, "main").close();
    const newer = new (await import("node:sqlite")).DatabaseSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`);
    newer.exec("PRAGMA user_version = 99");
    newer.close();
    const { lines, log } = recordingLog();
    const store = new SessionStore(stateDir, { log });
    await assert.rejects(
      store.list(["main"]),
      /schema version 99, this gateway reads 23; it was written by a newer OpenClaw/,
    );
    await assert.rejects(store.history("agent:main:main", "main"));
    // Refused, it counts no sessions (as the reference's health reports it) and `load` itself does not fail.
    await store.load(["main"]);
    assert.equal(store.summary("main").count, 0);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /cannot open the sessions of agent main: .*upgrade this gateway/);
    await assert.rejects(store.ensure("agent:main:main", "main"), SessionWriteError);
    assert.match(store.storage.lastWriteError?.error ?? "", /schema version 99/);
    const after = new (await import("node:sqlite")).DatabaseSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`);
    assert.equal((after.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 99);
    after.close();
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("SessionStore: sessions another process wrote (the reference's CLI or gateway) show up in a cached list", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-" });
  const ours = new SessionStore(stateDir);
  const theirs = new SessionStore(stateDir); // a second connection, as another process has
  try {
    await ours.ensure("agent:main:a", "main");
    assert.deepEqual((await ours.list(["main"])).map((r) => r.key), ["agent:main:a"]);
    await theirs.ensure("agent:main:b", "main");
    await theirs.append("agent:main:a", "main", hello);
    const rows = await ours.list(["main"]);
    assert.deepEqual(rows.map((r) => r.key).sort(), ["agent:main:a", "agent:main:b"]);
    assert.equal(rows.find((r) => r.key === "agent:main:a")?.messageCount, 1);
    assert.equal((await ours.history("agent:main:a", "main")).messages.length, 1);
  } finally {
    await ours.close();
    await theirs.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("SessionStore: summary() after writes counts what they wrote, and stands after the store closes", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-store-" });
  try {
    const store = new SessionStore(stateDir);
    await store.ensure("agent:main:a", "main");
    assert.equal(store.summary("main").count, 1);
    await store.ensure("agent:main:b", "main");
    await store.append("agent:main:a", "main", hello);
    assert.deepEqual(store.summary("main").recent.map((r) => r.key), ["agent:main:a", "agent:main:b"]);
    await store.ensure("agent:main:c", "main");
    await store.close();
    assert.equal(store.summary("main").count, 3, "a summary not yet taken is taken before the database closes");
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
