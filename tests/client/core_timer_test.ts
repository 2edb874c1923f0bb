import assert from "node:assert/strict";
import { coreTimeout, coreWithin } from "../../src/client/core_timer.ts";

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
