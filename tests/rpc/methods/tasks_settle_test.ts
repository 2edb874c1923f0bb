import assert from "node:assert/strict";
import type { RunOutcome } from "../../../src/agent/runs.ts";
import { recordAgentTask, settleAgentTasks } from "../../../src/rpc/methods/tasks.ts";
import { getTaskRun } from "../../../src/state/task_runs.ts";
import { DatabaseSync } from "node:sqlite";
import { openStateDb } from "../../../src/state/state_db.ts";

Deno.test("gateway stop: an unsettled agent task becomes lost, and its late outcome changes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-tasks-settle-" });
  const db = openStateDb(dir);
  const warnings: string[] = [];
  let finish!: (outcome: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => finish = resolve);
  let finished!: () => void;
  const late = new Promise<void>((resolve) => finished = resolve);
  try {
    await recordAgentTask({ db: () => Promise.resolve(db), warn: (m) => warnings.push(m) }, {
      runId: "run-1",
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "hello",
      done: done.finally(() => queueMicrotask(finished)),
    });
    assert.equal(getTaskRun(db, "run-1")?.status, "running");
    // Another process's running task is not ours to settle.
    db.prepare(
      "INSERT INTO task_runs (task_id, runtime, owner_key, scope_kind, task, status, delivery_status, " +
        "notify_policy, created_at, execution_owner_host, execution_owner_pid) VALUES " +
        "('other', 'cli', 'k', 'session', 't', 'running', 'not_applicable', 'silent', 1, 'elsewhere', 1)",
    ).run();

    assert.equal(settleAgentTasks(db, 1_000), 1);
    const lost = getTaskRun(db, "run-1")!;
    assert.equal(lost.status, "lost");
    assert.equal(lost.error, "owning process exited");
    assert.equal(lost.endedAt, 1_000);
    assert.equal(getTaskRun(db, "other")?.status, "running");
    db.close(); // the gateway closes the state database right after

    finish({
      runId: "run-1",
      status: "aborted",
      text: "",
      stopReason: "aborted",
      error: undefined,
      upstreamStatus: undefined,
      usage: { input: 0, output: 0 },
      provider: null,
      model: null,
      sessionId: null,
      startedAt: 1,
      endedAt: 2_000,
    });
    await late;
    await Promise.resolve();
    assert.deepEqual(warnings, [], "a run that ends after the stop is not a ledger failure");
  } finally {
    if (db.isOpen) db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a task's end written while another process holds the lock is written again later", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-tasks-busy-" });
  const db = openStateDb(dir);
  const reference = new DatabaseSync(`${dir}/state/openclaw.sqlite`);
  const warnings: string[] = [];
  let finish!: (outcome: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => finish = resolve);
  try {
    await recordAgentTask({ db: () => Promise.resolve(db), warn: (m) => warnings.push(m), retryDelaysMs: [20] }, {
      runId: "run-2",
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "hello",
      done,
    });
    reference.exec("BEGIN IMMEDIATE");
    const started = performance.now();
    finish({
      runId: "run-2",
      status: "ok",
      text: "hi",
      stopReason: "stop",
      error: undefined,
      upstreamStatus: undefined,
      usage: { input: 1, output: 1 },
      provider: null,
      model: null,
      sessionId: null,
      startedAt: 1,
      endedAt: 2_000,
    });
    await done;
    await Promise.resolve();
    assert.ok(performance.now() - started < 1_000, "the end did not wait out the 5 s busy timeout");
    assert.equal(getTaskRun(db, "run-2")?.status, "running", "not written while locked");
    reference.exec("ROLLBACK");
    const deadline = Date.now() + 5_000;
    while (getTaskRun(db, "run-2")?.status === "running" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(getTaskRun(db, "run-2")?.status, "succeeded");
    assert.deepEqual(warnings, []);
  } finally {
    if (reference.isTransaction) reference.exec("ROLLBACK");
    reference.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
