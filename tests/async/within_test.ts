import assert from "node:assert/strict";
import { delay } from "../../src/async/delay.ts";
import { within } from "../../src/async/within.ts";

Deno.test("within() answers with the value of a promise that settles in time", async () => {
  assert.equal(await within(Promise.resolve(42), 1000), 42);
});

Deno.test("within() answers undefined once the time is up, and clears its timer", async () => {
  // Deno's leak check fails this test if the timer of either wait is left pending.
  assert.equal(await within(new Promise<number>(() => {}), 5), undefined);
  assert.equal(await within(delay(1).then(() => "late enough"), 1000), "late enough");
});

Deno.test("within() passes a rejection through", async () => {
  await assert.rejects(within(Promise.reject(new Error("refused")), 1000), /refused/);
});

Deno.test("within() clamps a wait longer than a timer holds instead of ending at once", async () => {
  // The promise settles after the 1 ms an overflowed timer would have fired at.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => timer = setTimeout(() => resolve("waited"), 200));
  try {
    assert.equal(await within(late, 3e9), "waited");
  } finally {
    clearTimeout(timer);
  }
});
