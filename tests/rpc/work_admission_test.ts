import assert from "node:assert/strict";
import { type AdmissionPhase, admitRequest, isDrainContinuation, WorkAdmission } from "../../src/rpc/work_admission.ts";

const operator = { role: "operator" as const };
const node = { role: "node" as const };

Deno.test("work admission: a suspension closes, drains, holds and reopens admission; observers hear each phase", async () => {
  const admission = new WorkAdmission();
  const seen: AdmissionPhase[] = [];
  admission.onChange((phase) => seen.push(phase));
  assert.equal(admission.phase, "accepting");
  const gate = admission.tryBeginSuspend();
  assert.ok(gate);
  assert.equal(admission.tryBeginSuspend(), undefined, "one suspension at a time");
  assert.equal(admission.begin("ws:health"), undefined, "nothing new while preparing");
  let reopened = false;
  const waiting = admission.whenOpen().then(() => reopened = true);
  assert.equal(gate.release(), false, "release needs draining or prepared");
  assert.ok(gate.drain());
  assert.ok(gate.commit());
  assert.equal(gate.drain(), false, "prepared does not go back to draining");
  await Promise.resolve();
  assert.equal(reopened, false);
  assert.ok(gate.release());
  await waiting;
  assert.equal(admission.open, true);
  assert.equal(gate.release(), false, "a released gate does nothing more");
  assert.deepEqual(seen, ["preparing", "draining", "prepared", "accepting"]);
});

Deno.test("work admission: a rolled-back gate cannot touch a later suspension's phase", () => {
  const admission = new WorkAdmission();
  const first = admission.tryBeginSuspend()!;
  assert.ok(first.rollback());
  const second = admission.tryBeginSuspend()!;
  assert.equal(first.commit(), false, "the first gate's generation is over");
  assert.equal(admission.phase, "preparing");
  assert.ok(second.commit());
  assert.equal(admission.phase, "prepared");
});

Deno.test("work admission: roots are counted until released and named by origin, repeats folded", () => {
  const admission = new WorkAdmission();
  const a = admission.begin("ws:agent")!;
  const b = admission.begin("ws:agent")!;
  const c = admission.begin("http:request")!;
  assert.equal(admission.rootCount, 3);
  assert.deepEqual(admission.holders(), ["http:request", "ws:agent (2)"]);
  a.release();
  a.release();
  assert.equal(admission.rootCount, 2, "a second release does nothing");
  b.release();
  c.release();
  assert.equal(admission.rootCount, 0);
  assert.deepEqual(admission.holders(), []);
});

Deno.test("work admission: a request is fenced in the reference's words unless it steers the suspension or answers admitted work", () => {
  const admission = new WorkAdmission();
  const open = admitRequest(admission, { method: "health", caller: operator, params: {} });
  assert.ok(open.ok && open.root, "admitted and counted while open");
  open.root.release();
  const gate = admission.tryBeginSuspend()!;
  gate.drain();
  assert.deepEqual(admitRequest(admission, { method: "health", caller: operator, params: {} }), {
    ok: false,
    error: {
      code: "UNAVAILABLE",
      message: "health unavailable during gateway suspension",
      retryable: true,
      retryAfterMs: 1000,
      details: { method: "health", reason: "gateway-suspending", phase: "draining" },
    },
  });
  const control = admitRequest(admission, { method: "gateway.suspend.status", caller: operator, params: {} });
  assert.ok(control.ok && control.root === undefined, "the suspension's own methods run uncounted");
  const answer = admitRequest(admission, { method: "exec.approval.resolve", caller: operator, params: { id: "a1" } });
  assert.ok(answer.ok && answer.root, "an approval answer runs while draining, counted");
  answer.root.release();
  gate.commit();
  const late = admitRequest(admission, { method: "exec.approval.resolve", caller: operator, params: { id: "a1" } });
  assert.equal(late.ok, false, "once prepared, only the suspension's methods run");
});

Deno.test("work admission: drain continuations are the answers the reference lets through, by role and id", () => {
  assert.equal(isDrainContinuation("approval.resolve", operator, { id: "x", kind: "exec" }), true);
  assert.equal(isDrainContinuation("question.get", operator, { id: "q" }), true);
  assert.equal(isDrainContinuation("node.invoke.result", node, { id: "i", nodeId: "n" }), true);
  assert.equal(isDrainContinuation("node.invoke.progress", node, { invokeId: "i", nodeId: "n" }), true);
  assert.equal(isDrainContinuation("node.invoke.result", operator, { id: "i" }), false, "a node's method");
  assert.equal(isDrainContinuation("exec.approval.resolve", operator, {}), false, "no id");
  assert.equal(isDrainContinuation("chat.abort", operator, { id: "r" }), false, "not a continuation");
});

Deno.test("work admission: a restart aimed at this process crosses a prepared suspension with no request running", () => {
  const admission = new WorkAdmission();
  const target = { pid: 4242, ownerId: "owner-1", port: 18789 };
  const ask = (params: unknown) =>
    admitRequest(admission, { method: "gateway.restart.request", caller: operator, params });
  const open = ask({ target });
  assert.ok(open.ok && open.root, "counted like any request while admission is open");
  open.root.release();
  const gate = admission.tryBeginSuspend()!;
  assert.equal(ask({ target }).ok, false, "not while the suspension prepares");
  const running = admission.track("ws:agent");
  gate.drain();
  assert.equal(ask({ target }).ok, false, "not while it drains");
  gate.commit();
  assert.equal(ask({ target }).ok, false, "not while a request still runs");
  running.release();
  const targeted = ask({ target });
  assert.ok(targeted.ok && targeted.root, "prepared and idle: admitted, and counted as the reference counts it");
  assert.deepEqual(admission.holders(), ["ws:gateway.restart.request"]);
  targeted.root.release();
  for (const params of [{ target, safe: true }, {}, { target: { ...target, port: 0 } }]) {
    assert.equal(ask(params).ok, false, JSON.stringify(params));
  }
  for (const method of ["health", "gateway.restart.preflight"]) {
    assert.equal(admitRequest(admission, { method, caller: operator, params: { target } }).ok, false, method);
  }
});

Deno.test("work admission: holders and counts can leave out the request asking", () => {
  const admission = new WorkAdmission();
  const roots = [
    admission.begin("ws:agent")!,
    admission.begin("ws:gateway.restart.request")!,
    admission.begin("ws:agent")!,
  ];
  assert.equal(admission.heldBy("ws:agent"), 2);
  assert.equal(admission.heldBy("ws:gateway.restart.request"), 1);
  assert.deepEqual(admission.holders("ws:gateway.restart.request"), ["ws:agent (2)"]);
  assert.deepEqual(admission.holders("ws:agent"), ["ws:agent", "ws:gateway.restart.request"]);
  assert.deepEqual(admission.holders("ws:none"), ["ws:agent (2)", "ws:gateway.restart.request"]);
  for (const root of roots) root.release();
});
