import assert from "node:assert/strict";
import { abortableDelay } from "../../src/async/delay.ts";

Deno.test("abortableDelay() resolves after its time when nothing aborts", async () => {
  const started = performance.now();
  await abortableDelay(20, new AbortController().signal);
  assert.ok(performance.now() - started >= 15);
});

Deno.test("abortableDelay() rejects with the abort's reason at once, and clears its timer", async () => {
  // Deno's leak check fails this test if the 60 s timer is left pending.
  const controller = new AbortController();
  const waiting = abortableDelay(60_000, controller.signal);
  controller.abort(new Error("stopped"));
  await assert.rejects(waiting, /stopped/);
  const aborted = AbortSignal.abort(new Error("already"));
  await assert.rejects(abortableDelay(60_000, aborted), /already/);
});
