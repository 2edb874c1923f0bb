import assert from "node:assert/strict";
import { ChannelEventQueue, cursorGap, matchesFilter, pollQueue } from "../../src/client/channel_event_queue.ts";

Deno.test("events are numbered from 1 and a poll reads past its cursor without consuming", () => {
  const queue = new ChannelEventQueue();
  assert.deepEqual(queue.poll({ afterCursor: 0 }, 20), { events: [], nextCursor: 0 });
  queue.push({ type: "message", sessionKey: "a" });
  queue.push({ type: "message", sessionKey: "b" });
  queue.push({ type: "claude_permission_request" });
  const all = queue.poll({ afterCursor: 0 }, 20);
  assert.deepEqual(all.events.map((e) => e.cursor), [1, 2, 3]);
  assert.equal(all.nextCursor, 3);
  assert.deepEqual(queue.poll({ afterCursor: 0 }, 20), all, "a poll consumes nothing");
  assert.deepEqual(queue.poll({ afterCursor: 1 }, 1), {
    events: [{ cursor: 2, type: "message", sessionKey: "b" }],
    nextCursor: 2,
  });
  // A session filter leaves out events of other sessions and events without one.
  assert.deepEqual(queue.poll({ afterCursor: 0, sessionKey: "a" }, 20).events.map((e) => e.cursor), [1]);
  assert.deepEqual(queue.poll({ afterCursor: 3 }, 20), { events: [], nextCursor: 3 });
});

Deno.test("a cursor older than the queue keeps reports the gap and where to resume", () => {
  const queue = new ChannelEventQueue(3);
  for (let i = 0; i < 5; i++) queue.push({ type: "message", sessionKey: "a" });
  // Cursors 3..5 are kept: after 0 or 1, events 2 and before are gone; after 2, nothing is missing.
  assert.deepEqual(queue.poll({ afterCursor: 0 }, 2), {
    events: [{ cursor: 3, type: "message", sessionKey: "a" }, { cursor: 4, type: "message", sessionKey: "a" }],
    nextCursor: 4,
    gap: { "requested_after_cursor": 0, "oldest_available_cursor": 3 },
  });
  assert.equal(queue.poll({ afterCursor: 2 }, 20).gap, undefined);
  // With no matching event the next cursor is one before the oldest kept, so the client resumes there.
  assert.deepEqual(queue.poll({ afterCursor: 1, sessionKey: "z" }, 20), {
    events: [],
    nextCursor: 2,
    gap: { "requested_after_cursor": 1, "oldest_available_cursor": 3 },
  });
});

Deno.test("cursorGap() and matchesFilter() are the poll's rules", () => {
  assert.equal(cursorGap([], 0), undefined);
  const queue = [{ cursor: 10, type: "message" }];
  assert.equal(cursorGap(queue, 9), undefined);
  assert.deepEqual(cursorGap(queue, 8), { "requested_after_cursor": 8, "oldest_available_cursor": 10 });
  assert.equal(matchesFilter({ cursor: 5, type: "x" }, { afterCursor: 5 }), false);
  assert.equal(matchesFilter({ cursor: 6, type: "x" }, { afterCursor: 5, sessionKey: "k" }), false);
  assert.equal(matchesFilter({ cursor: 6, type: "x", sessionKey: "k" }, { afterCursor: 5, sessionKey: "k" }), true);
  assert.deepEqual(pollQueue([], { afterCursor: 7 }, 5), { events: [], nextCursor: 7 });
});

Deno.test("a wait answers at once with a queued event, else with the next matching one", async () => {
  const queue = new ChannelEventQueue();
  queue.push({ type: "message", sessionKey: "a" });
  assert.deepEqual(await queue.wait({ afterCursor: 0 }, 1000), {
    event: { cursor: 1, type: "message", sessionKey: "a" },
  });
  const waiting = queue.wait({ afterCursor: 1, sessionKey: "b" }, 60_000);
  queue.push({ type: "message", sessionKey: "a" });
  queue.push({ type: "message", sessionKey: "b" });
  assert.deepEqual(await waiting, { event: { cursor: 3, type: "message", sessionKey: "b" } });
});

Deno.test("a wait ends with no event on timeout, on cancel and when the queue closes", async () => {
  const queue = new ChannelEventQueue();
  assert.deepEqual(await queue.wait({ afterCursor: 0 }, 5), { event: null });
  const controller = new AbortController();
  const cancelled = queue.wait({ afterCursor: 0 }, 60_000, controller.signal);
  controller.abort();
  assert.deepEqual(await cancelled, { event: null });
  const closing = queue.wait({ afterCursor: 0 }, 60_000);
  queue.close();
  assert.deepEqual(await closing, { event: null });
  const aborted = new AbortController();
  aborted.abort();
  assert.throws(() => queue.wait({ afterCursor: 0 }, 10, aborted.signal));
});

Deno.test("a wait whose cursor falls out of the queue ends with the gap", async () => {
  const queue = new ChannelEventQueue(2);
  const waiting = queue.wait({ afterCursor: 0, sessionKey: "z" }, 60_000);
  queue.push({ type: "message", sessionKey: "a" });
  queue.push({ type: "message", sessionKey: "a" });
  queue.push({ type: "message", sessionKey: "a" });
  assert.deepEqual(await waiting, {
    event: null,
    gap: { "requested_after_cursor": 0, "oldest_available_cursor": 2 },
  });
  // A known gap answers at once, even with nothing matching.
  assert.deepEqual(await queue.wait({ afterCursor: 0, sessionKey: "z" }, 60_000), {
    event: null,
    gap: { "requested_after_cursor": 0, "oldest_available_cursor": 2 },
  });
});
