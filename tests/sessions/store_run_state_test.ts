// The last run's fields of the session entry, as the reference keeps them: written when a run's
// user message and answer are appended, read back into the row, cleared by a reset.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db.ts";

const KEY = "agent:main:main";

async function withStore(body: (store: SessionStore, stateDir: string) => Promise<void>): Promise<void> {
  const stateDir = await Deno.makeTempDir();
  const store = new SessionStore(stateDir);
  try {
    await body(store, stateDir);
  } finally {
    await store.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

function entryOf(stateDir: string): Record<string, unknown> {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    const row = db.prepare("SELECT entry_json AS json FROM session_nodes WHERE session_key = ?").get(KEY) as {
      json: string;
    };
    return JSON.parse(row.json);
  } finally {
    db.close();
  }
}

const user = (runId: string, at: number) => ({
  role: "user" as const,
  content: [{ type: "text" as const, text: "hi" }],
  timestamp: at,
  runId,
  senderIsOwner: true,
});

Deno.test("a finished run leaves its id, start, end, runtime and status in the entry, as the reference's", async () => {
  await withStore(async (store, stateDir) => {
    await store.ensure(KEY, "main");
    const startedAt = Date.now() - 50;
    await store.append(KEY, "main", [user("r1", startedAt)]);
    let row = await store.get(KEY, "main");
    assert.equal(row?.lastRunId, "r1");
    assert.equal(row?.startedAt, startedAt);
    assert.equal(row?.status, "running", "running until it ends: the previous run's end does not describe it");
    await store.append(KEY, "main", [{
      role: "assistant",
      content: [{ type: "text", text: "yo" }],
      timestamp: Date.now(),
      runId: "r1",
      stopReason: "stop",
      usage: { input: 3, output: 4 },
    }]);
    row = await store.get(KEY, "main");
    assert.equal(row?.status, "done");
    assert.equal(row?.abortedLastRun, false);
    assert.ok(row!.endedAt! >= startedAt && row!.runtimeMs === row!.endedAt! - startedAt);
    const entry = entryOf(stateDir);
    assert.equal(entry.abortedLastRun, false, "a JSON boolean, as the reference writes it");
    assert.deepEqual([entry.status, entry.lastRunId, entry.startedAt], ["done", "r1", startedAt]);
    assert.equal(typeof entry.lastActivityAt, "number");
  });
});

Deno.test("a run's answer writes the entry's totalTokens, fresh at version 1, in its append; a zero-usage one stales it", async () => {
  await withStore(async (store, stateDir) => {
    await store.ensure(KEY, "main");
    const answer = (runId: string, usage: { input: number; output: number }) => ({
      role: "assistant" as const,
      content: [{ type: "text" as const, text: "yo" }],
      timestamp: Date.now(),
      runId,
      stopReason: "stop",
      usage,
    });
    await store.append(KEY, "main", [user("r1", Date.now()), answer("r1", { input: 10, output: 8 })]);
    let entry = entryOf(stateDir);
    assert.deepEqual(
      [entry.inputTokens, entry.outputTokens, entry.totalTokens, entry.totalTokensFresh, entry.totalTokensVersion],
      [10, 8, 10, true, 1],
    );
    let row = await store.get(KEY, "main");
    assert.deepEqual([row?.totalTokens, row?.totalTokensFresh, row?.totalTokensVersion], [10, true, 1]);
    // A reader on a fresh connection reads the same row back.
    const reread = new SessionStore(stateDir);
    try {
      const listed = (await reread.list(["main"])).find((r) => r.key === KEY);
      assert.deepEqual([listed?.totalTokens, listed?.totalTokensFresh, listed?.totalTokensVersion], [10, true, 1]);
    } finally {
      await reread.close();
    }

    await store.append(KEY, "main", [user("r2", Date.now()), answer("r2", { input: 0, output: 0 })]);
    entry = entryOf(stateDir);
    assert.deepEqual([entry.totalTokens, entry.totalTokensFresh], [10, false], "the last size, no longer fresh");
    assert.ok(!("totalTokensVersion" in entry), "the version goes, as the reference drops it");
    row = await store.get(KEY, "main");
    assert.deepEqual([row?.totalTokens, row?.totalTokensFresh, row?.totalTokensVersion], [10, false, undefined]);

    // A reset's new window holds no context: 0, fresh, as the reference's reset writes it.
    await store.reset(KEY, "main");
    entry = entryOf(stateDir);
    assert.deepEqual([entry.totalTokens, entry.totalTokensFresh, entry.totalTokensVersion], [0, true, 1]);
    row = await store.get(KEY, "main");
    assert.deepEqual([row?.totalTokens, row?.totalTokensFresh, row?.totalTokensVersion], [0, true, 1]);
  });
});

Deno.test("an aborted run is killed and abortedLastRun; a reset starts the session with no last run", async () => {
  await withStore(async (store, stateDir) => {
    await store.ensure(KEY, "main");
    await store.append(KEY, "main", [user("r2", Date.now())]);
    await store.append(KEY, "main", [{
      role: "assistant",
      content: [{ type: "text", text: "partial" }],
      timestamp: Date.now(),
      runId: "r2",
      stopReason: "aborted",
    }]);
    assert.deepEqual([entryOf(stateDir).status, entryOf(stateDir).abortedLastRun], ["killed", true]);
    const row = await store.get(KEY, "main");
    assert.deepEqual([row?.status, row?.abortedLastRun], ["killed", true]);
    await store.reset(KEY, "main");
    const entry = entryOf(stateDir);
    for (const field of ["status", "abortedLastRun", "lastRunId", "startedAt", "endedAt", "runtimeMs"]) {
      assert.equal(field in entry, false, `${field} cleared by the reset`);
    }
    const fresh = await store.get(KEY, "main");
    assert.equal(fresh?.status, undefined);
  });
});

Deno.test("history reports the transcript's leaf entry id", async () => {
  await withStore(async (store) => {
    await store.ensure(KEY, "main");
    await store.append(KEY, "main", [user("r3", Date.now())]);
    const { leafEntryId } = await store.history(KEY, "main");
    assert.match(leafEntryId ?? "", /^[0-9a-f-]{36}$/);
  });
});

Deno.test("a run that ends with no answer (its deadline) leaves status timeout, its end and runtime in the entry", async () => {
  await withStore(async (store, stateDir) => {
    await store.ensure(KEY, "main");
    await store.append(KEY, "main", [user("r0", 1_000), {
      role: "assistant",
      content: [{ type: "text", text: "done" }],
      timestamp: 1_010,
      runId: "r0",
      stopReason: "stop",
    }]);
    await store.append(KEY, "main", [user("r4", 2_000)]);
    assert.equal((await store.get(KEY, "main"))?.status, "running");
    await store.recordRunEnd(KEY, "main", {
      runId: "r4",
      startedAt: 2_000,
      endedAt: 6_500,
      status: "timeout",
      aborted: false,
    });
    const row = await store.get(KEY, "main");
    assert.deepEqual(
      [row?.lastRunId, row?.status, row?.endedAt, row?.runtimeMs, row?.abortedLastRun],
      ["r4", "timeout", 6_500, 4_500, false],
    );
    const entry = entryOf(stateDir);
    assert.deepEqual([entry.status, entry.endedAt, entry.runtimeMs, entry.abortedLastRun], [
      "timeout",
      6_500,
      4_500,
      false,
    ]);
    await store.recordRunEnd("agent:main:nobody", "main", {
      runId: "x",
      startedAt: 0,
      endedAt: 1,
      status: "failed",
      aborted: false,
    });
    assert.equal(await store.get("agent:main:nobody", "main"), undefined, "no session is made for a run end");
  });
});

Deno.test("a failed or timed-out run's lastRunError stays in the entry until the next run starts, as the reference's", async () => {
  await withStore(async (store, stateDir) => {
    await store.ensure(KEY, "main");
    await store.append(KEY, "main", [user("r1", 1_000)]);
    await store.recordRunEnd(KEY, "main", {
      runId: "r1",
      startedAt: 1_000,
      endedAt: 5_000,
      status: "timeout",
      aborted: false,
      error: "Request timed out before a response was generated.",
    });
    assert.equal((await store.get(KEY, "main"))?.lastRunError, "Request timed out before a response was generated.");
    assert.equal(entryOf(stateDir).lastRunError, "Request timed out before a response was generated.");
    // Read back by a store that did not write it (the row index is rebuilt from the database).
    const other = new SessionStore(stateDir);
    try {
      assert.equal((await other.get(KEY, "main"))?.lastRunError, "Request timed out before a response was generated.");
    } finally {
      await other.close();
    }
    await store.append(KEY, "main", [user("r2", 6_000)]);
    assert.equal((await store.get(KEY, "main"))?.lastRunError, undefined, "a run's start clears it");
    assert.equal("lastRunError" in entryOf(stateDir), false);
    await store.recordRunEnd(KEY, "main", {
      runId: "r2",
      startedAt: 6_000,
      endedAt: 7_000,
      status: "failed",
      aborted: false,
      error: "boom",
    });
    await store.append(KEY, "main", [user("r3", 8_000)]);
    await store.recordRunEnd(KEY, "main", {
      runId: "r3",
      startedAt: 8_000,
      endedAt: 9_000,
      status: "killed",
      aborted: true,
    });
    assert.equal((await store.get(KEY, "main"))?.lastRunError, undefined, "a killed run has none");
    assert.equal("lastRunError" in entryOf(stateDir), false);
  });
});
