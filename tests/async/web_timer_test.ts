import assert from "node:assert/strict";
import { webInterval, webTimeout } from "../../src/async/web_timer.ts";

// That they load none of Node's timers is held in tests/integration/start_lazy_globals_test.ts (a fresh process).

/** Resolves after `ms` on the web platform's timer (the module under test is not trusted to wait with). */
const after = (ms: number) => new Promise<void>((resolve) => AbortSignal.timeout(ms).onabort = () => resolve());

Deno.test("webTimeout calls once at its time, with no argument; a cancelled one never calls", async () => {
  const t0 = performance.now();
  const calls: { at: number; args: number }[] = [];
  webTimeout(20, (...args: unknown[]) => calls.push({ at: performance.now() - t0, args: args.length }));
  const cancel = webTimeout(10, () => calls.push({ at: -1, args: 0 }));
  cancel();
  cancel();
  await after(60);
  assert.equal(calls.length, 1);
  assert.ok(calls[0]!.at >= 19, `fired after ${calls[0]!.at} ms`);
  assert.equal(calls[0]!.args, 0);
});

Deno.test("webTimeout takes what setTimeout takes: 0, negative, fractional, NaN and over 2^31-1 ms are 1 ms", async () => {
  let calls = 0;
  for (const ms of [0, -5, 0.5, Number.NaN, 2 ** 31, Number.POSITIVE_INFINITY]) webTimeout(ms, () => calls++);
  await after(30);
  assert.equal(calls, 6);
});

Deno.test("webInterval repeats until cancelled, also when cancelled from its own call", async () => {
  let ticks = 0;
  const third = Promise.withResolvers<void>();
  const cancel = webInterval(5, () => {
    ticks += 1;
    if (ticks === 3) {
      cancel();
      third.resolve();
    }
  });
  // Waits for the third tick itself (a loaded machine runs 5 ms timers late), then for any tick after the cancel.
  await third.promise;
  await after(30);
  assert.equal(ticks, 3);
  let outside = 0;
  const stop = webInterval(5, () => outside++);
  await after(40);
  stop();
  const seen = outside;
  assert.ok(seen >= 2, `${seen} ticks in 40 ms`);
  await after(30);
  assert.equal(outside, seen);
});
