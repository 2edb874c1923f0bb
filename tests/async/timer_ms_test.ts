import assert from "node:assert/strict";
import { MAX_TIMER_MS, secondsToTimerMs, timerSafeMs } from "../../src/async/timer_ms.ts";

Deno.test("timerSafeMs() keeps a delay within what setTimeout honours", () => {
  assert.equal(MAX_TIMER_MS, 2 ** 31 - 1);
  assert.equal(timerSafeMs(1500.7), 1500);
  assert.equal(timerSafeMs(-5), 0);
  assert.equal(timerSafeMs(Number.NaN), 0);
  assert.equal(timerSafeMs(3e9), MAX_TIMER_MS);
  assert.equal(timerSafeMs(Number.POSITIVE_INFINITY), MAX_TIMER_MS);
});

Deno.test("secondsToTimerMs() clamps a wait of 2,147,484 s or more (a sessions_send or --timeout)", () => {
  assert.equal(secondsToTimerMs(30), 30_000);
  assert.equal(secondsToTimerMs(2_147_483), 2_147_483_000);
  assert.equal(secondsToTimerMs(2_147_484), MAX_TIMER_MS);
  assert.equal(secondsToTimerMs(3_000_000), MAX_TIMER_MS);
});
