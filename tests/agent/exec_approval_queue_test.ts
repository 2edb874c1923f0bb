import assert from "node:assert/strict";
import { ExecApprovalQueue, type ExecApprovalRequestView, PENDING_LIMIT } from "../../src/agent/exec_approval_queue.ts";

const request: ExecApprovalRequestView = {
  command: "rg x",
  cwd: "/w",
  nodeId: null,
  host: "gateway",
  security: "allowlist",
  ask: "on-miss",
  warningText: null,
  allowedDecisions: ["allow-once", "allow-always", "deny"],
  agentId: "main",
  resolvedPath: null,
  sessionKey: "agent:main:main",
  runId: "r",
  toolCallId: null,
  turnSourceChannel: null,
  turnSourceTo: null,
  turnSourceAccountId: null,
};

Deno.test("an approval that ends undecided (timeout, no route, run aborted) is announced resolved: deny, no resolver", async () => {
  const events: [string, Record<string, unknown>][] = [];
  const queue = new ExecApprovalQueue({ emit: (e, p) => events.push([e, p as Record<string, unknown>]) });
  try {
    const timed = queue.create(request, 1);
    const ended = await queue.wait(timed.id)!;
    assert.equal(ended.terminalReason, "timeout");
    const resolved = events.filter(([e]) => e === "exec.approval.resolved").map(([, p]) => p);
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]!.id, timed.id);
    assert.equal(resolved[0]!.decision, "deny");
    assert.equal(resolved[0]!.resolvedBy, null);
    for (const reason of ["no-route", "run-aborted"] as const) {
      const record = queue.create(request, 60_000);
      queue.cancel(record.id, reason);
      assert.equal(events.at(-1)![0], "exec.approval.resolved", reason);
      assert.equal(events.at(-1)![1].id, record.id);
    }
    // A stopping gateway tells nobody.
    queue.create(request, 60_000);
    const before = events.length;
    queue.close();
    assert.equal(events.length, before);
  } finally {
    queue.close();
  }
});

Deno.test("id prefixes ignore case; the number of pending approvals is bounded", () => {
  const queue = new ExecApprovalQueue({ emit: () => {} });
  try {
    const record = queue.create(request, 60_000, "abcdef01-0000-4000-8000-000000000000");
    assert.equal(queue.findPending("ABCDEF01"), record);
    for (let i = 1; i < PENDING_LIMIT; i++) queue.create(request, 60_000);
    assert.throws(() => queue.create(request, 60_000), /approvals are already pending/);
  } finally {
    queue.close();
  }
});
