import * as assert from "node:assert/strict";
import { PostListenStart, type PostListenStep } from "../../src/server/post_listen_start.ts";
import { POST_LISTEN_DELAY_MS, postListenStart } from "../../src/server/post_listen_steps.ts";
import type { Logger } from "../../src/log/logger.ts";

/** Fails the test if `promise` has not settled within `ms` (a bound, not a sleep: it is cleared when it settles). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function recorder(names: string[], order: string[]): PostListenStep[] {
  return names.map((name) => ({ name, run: () => void order.push(name) }));
}

const HOUR = 3_600_000;

Deno.test("the steps begin after the bound when no connection is served, in order, none at arm()", async () => {
  const order: string[] = [];
  const start = new PostListenStart(recorder(["a", "b", "c"], order), { delayMs: 5, error: assert.fail });
  start.arm();
  assert.deepEqual([order, start.state], [[], "armed"]);
  await within(start.finished, 5_000, "the deferred start");
  assert.deepEqual([order, start.state], [["a", "b", "c"], "done"]);
});

Deno.test("a served connection begins the steps before the bound (an hour here), on a later turn", async () => {
  const order: string[] = [];
  const start = new PostListenStart(recorder(["a", "b"], order), { delayMs: HOUR, error: assert.fail });
  start.arm();
  start.connectionServed();
  // Not inside the connection's own callback: its frames go out first.
  assert.deepEqual(order, []);
  await within(start.finished, 5_000, "the start after the first connection");
  assert.deepEqual(order, ["a", "b"]);
  // Later connections change nothing (and arm no timer: tests/integration/timers_released_test.ts).
  start.connectionServed();
  start.arm();
  assert.equal(start.state, "done");
});

Deno.test("a handshake under way at the bound is waited for: served begins the steps, else the hard bound", async () => {
  const order: string[] = [];
  let busyAsked = 0;
  const busy = () => (busyAsked += 1, true);
  const served = new PostListenStart(recorder(["a"], order), {
    delayMs: 0,
    maxDelayMs: HOUR,
    busy,
    error: assert.fail,
  });
  served.arm();
  await within(
    new Promise<void>((resolve) => {
      const poll = () => busyAsked > 0 ? resolve() : void setTimeout(poll, 0);
      poll();
    }),
    5_000,
    "the bound",
  );
  assert.deepEqual([order, served.state], [[], "armed"]);
  served.connectionServed();
  await within(served.finished, 5_000, "the start after the handshake");
  assert.deepEqual(order, ["a"]);
  // A client that never finishes: the steps begin at maxDelayMs.
  const stalled = new PostListenStart(recorder(["b"], order), { delayMs: 0, maxDelayMs: 30, busy, error: assert.fail });
  const armed = performance.now();
  stalled.arm();
  await within(stalled.finished, 5_000, "the hard bound");
  assert.deepEqual(order, ["a", "b"]);
  assert.ok(performance.now() - armed >= 29, "held until the hard bound");
  // Cancelled while waiting for the handshake: no timer left.
  const cancelled = new PostListenStart(recorder(["c"], order), {
    delayMs: 0,
    maxDelayMs: HOUR,
    busy,
    error: assert.fail,
  });
  const asked = busyAsked;
  cancelled.arm();
  await within(
    new Promise<void>((resolve) => {
      const poll = () => busyAsked > asked ? resolve() : void setTimeout(poll, 0);
      poll();
    }),
    5_000,
    "the bound",
  );
  cancelled.cancel();
  await within(cancelled.finished, 5_000, "finished after cancel");
  assert.deepEqual(order, ["a", "b"]);
});

Deno.test("the event loop runs between two steps: work queued by one step goes before the next step", async () => {
  const order: string[] = [];
  const start = new PostListenStart([
    { name: "a", run: () => void (order.push("a"), setTimeout(() => order.push("connection"), 0)) },
    { name: "b", run: () => void order.push("b") },
  ], { delayMs: 0, error: assert.fail });
  start.arm();
  await within(start.finished, 5_000, "the deferred start");
  assert.deepEqual(order, ["a", "connection", "b"]);
});

Deno.test("cancel() before the steps began runs none and leaves no timer behind", async () => {
  const order: string[] = [];
  const start = new PostListenStart(recorder(["a"], order), { delayMs: HOUR, error: assert.fail });
  start.arm();
  start.cancel();
  await within(start.finished, 5_000, "finished after cancel");
  start.connectionServed();
  start.arm();
  assert.deepEqual([order, start.state], [[], "cancelled"]);
  // Never armed: cancel settles it too.
  const idle = new PostListenStart(recorder(["a"], order), { delayMs: 0, error: assert.fail });
  idle.cancel();
  idle.arm();
  await within(idle.finished, 5_000, "finished after cancel");
  assert.deepEqual([order, idle.state], [[], "cancelled"]);
});

Deno.test("cancel() racing the steps (a stop while they run) ends them at the next step, no timer left", async () => {
  const order: string[] = [];
  const start: PostListenStart = new PostListenStart([
    { name: "a", run: () => void order.push("a") },
    { name: "b", run: () => void (order.push("b"), start.cancel()) },
    { name: "c", run: () => void order.push("c") },
  ], { delayMs: 0, error: assert.fail });
  start.arm();
  await within(start.finished, 5_000, "finished after a cancel mid-way");
  assert.deepEqual([order, start.state], [["a", "b"], "cancelled"]);
  // Cancelled while waiting between two steps.
  order.length = 0;
  const waiting = new PostListenStart(recorder(["a", "b"], order), { delayMs: 0, error: assert.fail });
  waiting.arm();
  await within(
    new Promise<void>((resolve) => {
      const poll = () => order.length > 0 ? resolve() : void setTimeout(poll, 0);
      poll();
    }),
    5_000,
    "the first step",
  );
  waiting.cancel();
  await within(waiting.finished, 5_000, "finished after a cancel between steps");
  assert.deepEqual([order, waiting.state], [["a"], "cancelled"]);
});

Deno.test("a step that throws or rejects is logged and the steps after it still run", async () => {
  const order: string[] = [];
  const errors: string[] = [];
  const start = new PostListenStart([
    {
      name: "a",
      run: () => {
        throw new Error("boom");
      },
    },
    { name: "b", run: () => Promise.reject(new Error("late boom")) },
    { name: "c", run: () => void order.push("c") },
  ], { delayMs: 0, error: (message) => errors.push(message) });
  start.arm();
  await within(start.finished, 5_000, "the deferred start");
  await within(
    new Promise<void>((resolve) => {
      const poll = () => errors.length === 2 ? resolve() : void setTimeout(poll, 0);
      poll();
    }),
    5_000,
    "both failures logged",
  );
  assert.deepEqual(order, ["c"]);
  assert.match(errors[0]!, /^a failed to start: Error: boom/);
  assert.match(errors[1]!, /^b failed to start: Error: late boom/);
});

Deno.test("postListenStart() reads the session counts, then starts the gateway's services in their order, within the bound", async () => {
  const order: string[] = [];
  const debug: string[] = [];
  const log = {
    error: (message: string) => assert.fail(message),
    debug: (message: string) => debug.push(message),
  } as unknown as Logger;
  const armed = performance.now();
  const start = postListenStart({
    heartbeat: { start: () => void order.push("heartbeat") },
    channels: () => void order.push("channels"),
    cron: { start: () => (order.push("cron"), Promise.resolve()) },
    media: { start: () => void order.push("media") },
    sessionCounts: () => (order.push("sessions"), Promise.resolve()),
    handshaking: () => false,
    log,
  });
  // Nothing at once, the counts included: opening a sessions database cost a client connecting as the port
  // accepts 5-8 ms of its hello-ok (src/server/post_listen_steps.ts).
  assert.deepEqual([order, start.state], [[], "armed"]);
  await within(start.finished, 5_000, "the gateway's deferred start");
  assert.deepEqual(order, ["sessions", "heartbeat", "channels", "cron", "media"]);
  assert.ok(performance.now() - armed >= POST_LISTEN_DELAY_MS - 1, "no connection: begun at the bound, not before");
  // Said in the debug log once all have begun (tests/integration/start_lazy_globals_test.ts waits for it).
  await Promise.resolve();
  assert.deepEqual(debug, ["start-up work after listening begun (heartbeat, channels, cron, media)"]);
});
