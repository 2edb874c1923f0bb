import assert from "node:assert/strict";
import { HandshakeDeadlines, type HandshakeWaiter } from "../../src/protocol/handshake_deadlines.ts";

/** Resolves after `ms` (the platform timer, as the deadlines use). */
const after = (ms: number) => new Promise<void>((resolve) => AbortSignal.timeout(ms).onabort = () => resolve());

/** A waiter that records when it expired, relative to `t0`. */
function waiter(t0: number, log: string[], name: string): HandshakeWaiter & { at?: number } {
  const w: HandshakeWaiter & { at?: number } = {
    handshakeExpired() {
      w.at = performance.now() - t0;
      log.push(name);
    },
  };
  return w;
}

Deno.test("HandshakeDeadlines expires each waiter at its own deadline, in deadline order, and none removed", async () => {
  const deadlines = new HandshakeDeadlines();
  const t0 = performance.now();
  const log: string[] = [];
  const slow = waiter(t0, log, "slow");
  const gone = waiter(t0, log, "gone");
  const fast = waiter(t0, log, "fast");
  const middle = waiter(t0, log, "middle");
  deadlines.add(slow, 60);
  deadlines.add(gone, 20);
  // Added later with an earlier deadline (the timeout was lowered by a reload): it still comes first.
  deadlines.add(fast, 10);
  deadlines.add(middle, 35);
  deadlines.remove(gone);
  assert.equal(deadlines.size, 3);
  await after(100);
  assert.deepEqual(log, ["fast", "middle", "slow"]);
  assert.ok(fast.at! >= 9 && middle.at! >= 34 && slow.at! >= 59, JSON.stringify([fast.at, middle.at, slow.at]));
  assert.equal(deadlines.size, 0);
});

Deno.test("HandshakeDeadlines: a waiter that connected in time is never expired, and the timer stops with none left", async () => {
  const deadlines = new HandshakeDeadlines();
  const log: string[] = [];
  const waiters = Array.from({ length: 1000 }, (_, i) => waiter(performance.now(), log, `w${i}`));
  for (const w of waiters) deadlines.add(w, 15);
  for (const w of waiters.slice(0, 999)) deadlines.remove(w);
  await after(40);
  assert.deepEqual(log, ["w999"]);
  // Added again after it expired: a new deadline of its own.
  deadlines.add(waiters[0]!, 5);
  await after(25);
  assert.deepEqual(log, ["w999", "w0"]);
});

Deno.test("HandshakeDeadlines: one waiter's throw is reported and the others due with it still expire", async () => {
  const deadlines = new HandshakeDeadlines();
  const log: string[] = [];
  const reported: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    reported.push(event.error);
    event.preventDefault();
  };
  globalThis.addEventListener("error", onError);
  try {
    deadlines.add({
      handshakeExpired() {
        throw new Error("close failed");
      },
    }, 5);
    deadlines.add(waiter(performance.now(), log, "next"), 5);
    await after(30);
  } finally {
    globalThis.removeEventListener("error", onError);
  }
  assert.deepEqual(log, ["next"]);
  assert.equal((reported[0] as Error).message, "close failed");
});
