import assert from "node:assert/strict";
import process from "node:process";
import { EventLoopMonitor, parseProcStat, processCpuUsage, summarizeDelays } from "../../src/server/event_loop.ts";

Deno.test("summarizeDelays(): one stall (a module load just after start) is not a degraded loop", () => {
  const afterStart = summarizeDelays([1, 2, 400]);
  assert.equal(afterStart.degraded, false);
  assert.equal(afterStart.p99, 400, "the stall still shows in the reported delay");
  assert.equal(afterStart.max, 400);
});

Deno.test("summarizeDelays(): delayed twice in the window is degraded; a full quiet minute is not", () => {
  assert.equal(summarizeDelays([1, 300, 2, 260]).degraded, true);
  const quiet = summarizeDelays(Array.from({ length: 120 }, (_, i) => (i === 7 ? 900 : 3)));
  assert.equal(quiet.degraded, false);
  assert.equal(quiet.p99, 3, "a full window's p99 leaves out its single worst sample");
  const busy = summarizeDelays(Array.from({ length: 120 }, (_, i) => (i % 50 === 0 ? 300 : 3)));
  assert.equal(busy.degraded, true);
  assert.equal(busy.p99, 300);
});

Deno.test("summarizeDelays(): an empty window reads as an idle loop", () => {
  assert.deepEqual(summarizeDelays([]), { p99: 0, max: 0, mean: 0, degraded: false });
});

Deno.test("parseProcStat(): busy and total jiffies from the aggregate cpu line; idle and iowait are not busy", () => {
  assert.deepEqual(parseProcStat("cpu  10 0 5 80 5 0 0 0 0 0\ncpu0 1 2 3 4\n"), { busy: 15, total: 100 });
  assert.equal(parseProcStat("intr 1 2 3\n"), undefined);
});

Deno.test("EventLoopMonitor.stats() carries the reference's cpuBreakdown fields", () => {
  const monitor = new EventLoopMonitor();
  try {
    const { cpuBreakdown } = monitor.stats();
    assert.deepEqual(Object.keys(cpuBreakdown), [
      "mainThreadCoreRatio",
      "hostUtilization",
      "hostCpuCount",
      "workerCoreRatio",
      "otherThreadsCoreRatio",
    ]);
    assert.equal(cpuBreakdown.hostCpuCount, navigator.hardwareConcurrency);
  } finally {
    monitor.dispose();
  }
});

Deno.test("processCpuUsage(): Deno's counter in microseconds, as node:process's cpuUsage counts", () => {
  const before = process.cpuUsage();
  const ours = processCpuUsage();
  let spin = 0;
  for (let i = 0; i < 2e7; i++) spin += i;
  const after = process.cpuUsage();
  assert.ok(spin > 0);
  assert.ok(ours.user > 0, "Deno.cpuUsage is there (Deno 2.9 ships it undeclared)");
  assert.ok(ours.user >= before.user && ours.user <= after.user, `${before.user} ≤ ${ours.user} ≤ ${after.user}`);
  assert.ok(ours.system >= before.system && ours.system <= after.system);
});
