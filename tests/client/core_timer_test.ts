import assert from "node:assert/strict";
import { coreTimeout, CoreTimers, coreWithin } from "../../src/client/core_timer.ts";

Deno.test("coreTimeout: fires once after the delay; a cancelled one never fires", async () => {
  const fired: string[] = [];
  const started = performance.now();
  const cancel = coreTimeout(5, () => fired.push("cancelled"));
  cancel();
  await new Promise<void>((resolve) => coreTimeout(20, () => resolve()));
  assert.ok(performance.now() - started >= 19, "waited for the delay");
  await new Promise<void>((resolve) => coreTimeout(0.5, () => resolve()));
  assert.deepEqual(fired, []);
});

Deno.test("coreTimeout: a delay setTimeout would warn about goes to setTimeout (fires at 1 ms), and can be cancelled", async () => {
  await new Promise<void>((resolve) => coreTimeout(Number.NaN, () => resolve()));
  let fired = false;
  coreTimeout(2 ** 40, () => fired = true)();
  await new Promise<void>((resolve) => coreTimeout(10, () => resolve()));
  assert.equal(fired, false);
});

Deno.test("coreWithin: the value in time, a rejection passed through, undefined once the time is up", async () => {
  assert.equal(await coreWithin(Promise.resolve(7), 1000), 7);
  await assert.rejects(coreWithin(Promise.reject(new Error("refused")), 1000), /refused/);
  assert.equal(await coreWithin(new Promise(() => {}), 5), undefined);
});

Deno.test("CoreTimers: answered requests' deadlines share one armed timer instead of leaving one each", () => {
  const armed: number[] = [];
  const timers = new CoreTimers((ms) => armed.push(ms));
  // A connect deadline, then 1,000 requests answered at once, as `logs --follow` makes them.
  timers.after(10_000, () => {})();
  for (let i = 0; i < 1000; i++) timers.after(30_000, () => assert.fail("a cancelled deadline fired"))();
  assert.equal(armed.length, 1);
  // An earlier deadline arms its own timer (the armed one would fire too late for it).
  timers.after(5, () => {});
  assert.equal(armed.length, 2);
});

Deno.test("CoreTimers: each deadline fires once, in deadline order, after its delay; a cancelled one never", async () => {
  let arms = 0;
  const timers = new CoreTimers((ms, tick) => {
    arms++;
    AbortSignal.timeout(ms).addEventListener("abort", tick, { once: true });
  });
  const started = performance.now();
  const fired: [string, number][] = [];
  // The earliest first: the later deadlines wait for it to fire and re-arm the queue for them.
  timers.after(5, () => fired.push(["early", performance.now() - started]));
  const done = new Promise<void>((resolve) => {
    timers.after(40, () => {
      fired.push(["late", performance.now() - started]);
      resolve();
    });
  });
  timers.after(20, () => fired.push(["middle", performance.now() - started]));
  const cancel = timers.after(10, () => fired.push(["cancelled", 0]));
  cancel();
  assert.equal(arms, 1);
  await done;
  assert.deepEqual(fired.map(([name]) => name), ["early", "middle", "late"]);
  for (const [name, at] of fired) assert.ok(at >= { early: 5, middle: 20, late: 40 }[name]! - 1, `${name} at ${at}`);
});

Deno.test("CoreTimers: a tick that runs late fires every due deadline in deadline order, not in the order they were added", () => {
  const ticks: (() => void)[] = [];
  const timers = new CoreTimers((_ms, tick) => void ticks.push(tick));
  const fired: string[] = [];
  const at = performance.now();
  timers.after(1, () => fired.push("first"));
  timers.after(3, () => fired.push("third"));
  timers.after(2, () => fired.push("second"));
  // The armed tick runs only once all three are due, as on a loop busy for longer than the latest delay.
  while (performance.now() - at < 5) { /* busy */ }
  ticks[0]!();
  assert.deepEqual(fired, ["first", "second", "third"]);
});

Deno.test("CoreTimers: a delay setTimeout would warn about goes to setTimeout, as coreTimeout has it", async () => {
  const timers = new CoreTimers(() => assert.fail("armed a core timer for an out-of-range delay"));
  await new Promise<void>((resolve) => timers.after(-5, () => resolve()));
});
