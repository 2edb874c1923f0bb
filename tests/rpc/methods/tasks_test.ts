import assert from "node:assert/strict";
import type { RunOutcome } from "../../../src/agent/runs.ts";
import { dispatch } from "../../../src/rpc/dispatch.ts";
import { recordAgentTask, taskMethods } from "../../../src/rpc/methods/tasks.ts";
import { ProtocolValidators } from "../../../src/rpc/validators.ts";
import { operatorCaller } from "../../support/rpc_caller.ts";
import { tempStateDb } from "../../support/temp_devices.ts";

function outcome(runId: string, status: RunOutcome["status"], error?: string): RunOutcome {
  return {
    runId,
    status,
    text: "",
    stopReason: "stop",
    error,
    upstreamStatus: undefined,
    usage: { input: 0, output: 0 },
    provider: null,
    model: null,
    sessionId: null,
    startedAt: 1,
    endedAt: Date.now(),
  };
}

function harness() {
  const { db } = tempStateDb();
  const aborted: string[] = [];
  const methods = taskMethods({
    db: () => Promise.resolve(db),
    runs: { abort: ({ runId }) => (runId ? (aborted.push(runId), [runId]) : []) },
    history: (sessionKey) =>
      Promise.resolve({
        messages: sessionKey === "agent:main:main"
          ? [
            { role: "user", runId: "run-0" },
            { role: "user", runId: "run-1" },
            { role: "assistant", runId: "run-1" },
          ]
          : [],
      }),
  });
  const deps = {
    methods,
    validators: new ProtocolValidators(),
    onUnexpected: (_: string, e: unknown) => assert.fail(String(e)),
  };
  const call = async (method: string, params: unknown) => {
    const result = await dispatch(deps, { method, params, caller: operatorCaller(["operator.admin"]) });
    if (!result.ok) throw new Error(result.error.message);
    return result.payload as Record<string, unknown>;
  };
  const track = (runId: string, done: Promise<RunOutcome>) =>
    recordAgentTask({ db: () => Promise.resolve(db), warn: (m) => assert.fail(m) }, {
      runId,
      agentId: "main",
      sessionKey: "agent:main:main",
      message: `task ${runId}`,
      done,
    });
  return { db, call, track, aborted };
}

Deno.test("an agent run is a task in the ledger: running, then completed, as the reference's row and summary", async () => {
  const h = harness();
  let finish!: (o: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => finish = resolve);
  h.track("run-1", done);
  const running = await h.call("tasks.list", {});
  const [first] = running.tasks as Record<string, unknown>[];
  assert.equal(first!.status, "running");
  assert.equal(first!.runtime, "cli");
  assert.equal(first!.title, "task run-1");
  finish(outcome("run-1", "ok"));
  await done;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const row = { ...h.db.prepare("SELECT * FROM task_runs").get() as Record<string, unknown> };
  assert.equal(row.status, "succeeded");
  assert.equal(row.scope_kind, "session");
  assert.equal(row.owner_key, "agent:main:main");
  assert.equal(row.notify_policy, "silent");
  assert.equal(row.delivery_status, "not_applicable");
  assert.equal(row.terminal_summary, "completed");
  assert.equal(row.cleanup_after, Number(row.ended_at) + 7 * 24 * 3_600_000);
  const got = await h.call("tasks.get", { taskId: String(row.task_id) });
  const task = got.task as Record<string, unknown>;
  assert.equal(task.status, "completed");
  assert.equal(task.prompt, "task run-1");
  assert.equal(task.result, "completed");
  const cancel = await h.call("tasks.cancel", { taskId: String(row.task_id) });
  assert.deepEqual([cancel.found, cancel.cancelled, cancel.reason], [true, false, "Task is already terminal."]);
  await assert.rejects(h.call("tasks.get", { taskId: "nope" }), /task not found: nope/);
});

Deno.test("tasks.list filters by status and pages with nextCursor; tasks.cancel aborts a running run", async () => {
  const h = harness();
  h.track("a", Promise.resolve(outcome("a", "error", "boom")));
  await new Promise((resolve) => setTimeout(resolve, 0));
  h.track("b", new Promise(() => {}));
  h.track("c", new Promise(() => {}));
  const failed = await h.call("tasks.list", { status: "failed" });
  assert.deepEqual((failed.tasks as { runId: string; error: string }[]).map((t) => [t.runId, t.error]), [[
    "a",
    "boom",
  ]]);
  const page1 = await h.call("tasks.list", { limit: 2 });
  assert.equal((page1.tasks as unknown[]).length, 2);
  assert.equal(typeof page1.nextCursor, "string");
  const page2 = await h.call("tasks.list", { limit: 2, cursor: page1.nextCursor });
  assert.equal((page2.tasks as unknown[]).length, 1);
  assert.equal(page2.nextCursor, undefined);
  const running = (await h.call("tasks.list", { status: "running" })).tasks as { taskId: string; runId: string }[];
  const cancelled = await h.call("tasks.cancel", { taskId: running[0]!.taskId });
  assert.equal(cancelled.cancelled, true);
  assert.deepEqual(h.aborted, [running[0]!.runId]);
  assert.equal((cancelled.task as { status: string }).status, "cancelled");
  // The error the reference records for a cancel: the caller's reason, else its default words.
  assert.equal((cancelled.task as { error?: string }).error, "Cancelled by operator.");
  const withReason = await h.call("tasks.cancel", { taskId: running[1]!.taskId, reason: "  stop it  " });
  assert.equal((withReason.task as { error?: string }).error, "stop it");
});

Deno.test("tasks.history pages the task's own run of its session; retry and dismiss answer as for a task with nothing blocked", async () => {
  const h = harness();
  h.track("run-1", Promise.resolve(outcome("run-1", "ok")));
  const [task] = (await h.call("tasks.list", {})).tasks as { taskId: string }[];
  const newest = await h.call("tasks.history", { taskId: task!.taskId, limit: 1 });
  assert.deepEqual(newest.messages, [{ role: "assistant", runId: "run-1" }]);
  const older = await h.call("tasks.history", { taskId: task!.taskId, limit: 1, cursor: newest.nextCursor });
  assert.deepEqual(older.messages, [{ role: "user", runId: "run-1" }]);
  assert.equal(older.nextCursor, undefined);
  await assert.rejects(h.call("tasks.history", { taskId: "nope" }), /Task not found\./);
  await assert.rejects(h.call("tasks.history", {}), /must have required property 'taskId'/);
  const retry = await h.call("tasks.retry", { taskIds: [task!.taskId] });
  assert.deepEqual(retry.results, [
    { taskId: task!.taskId, ok: false, reason: "task has no recoverable subagent completion" },
  ]);
  const dismiss = await h.call("tasks.dismiss", { taskIds: [task!.taskId] });
  assert.deepEqual(dismiss.results, [{
    taskId: task!.taskId,
    ok: false,
    reason: "completion delivery is not blocked",
  }]);
});

Deno.test("tasks.list takes the Control UI's sortBy: finished tasks by when they ended, newest first", async () => {
  const h = harness();
  let finishFirst!: (o: RunOutcome) => void;
  h.track("first", new Promise((resolve) => (finishFirst = resolve)));
  await new Promise((resolve) => setTimeout(resolve, 2));
  h.track("second", Promise.resolve(outcome("second", "ok")));
  await new Promise((resolve) => setTimeout(resolve, 5));
  finishFirst(outcome("first", "ok"));
  await new Promise((resolve) => setTimeout(resolve, 0));
  const params = { status: ["completed", "failed", "timed_out", "cancelled"], limit: 100 };
  const byCreation = await h.call("tasks.list", params);
  const byEnd = await h.call("tasks.list", { ...params, sortBy: "endedAt" });
  assert.deepEqual((byCreation.tasks as { runId: string }[]).map((t) => t.runId), ["second", "first"]);
  assert.deepEqual((byEnd.tasks as { runId: string }[]).map((t) => t.runId), ["first", "second"]);
  await assert.rejects(h.call("tasks.list", { sortBy: "name" }), /sortBy/);
});
