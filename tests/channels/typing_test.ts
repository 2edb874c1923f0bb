import assert from "node:assert/strict";
import { startTypingLoop, type TypingPlan, typingPlan } from "../../src/channels/typing.ts";
import { ManualClock } from "../support/manual_clock.ts";

/** A loop on a manual clock, recording the times typing was sent. */
function loop(plan: TypingPlan, send?: () => Promise<void>) {
  const clock = new ManualClock(0);
  const sentAt: number[] = [];
  const errors: unknown[] = [];
  const typing = startTypingLoop({
    plan,
    send: send ?? (() => {
      sentAt.push(clock.now());
      return Promise.resolve();
    }),
    onError: (error) => errors.push(error),
    clock,
  });
  return { clock, sentAt, errors, typing };
}

Deno.test("typingPlan() follows the reference's defaults: at once in a DM or on a mention, else on activity, every 6 s", () => {
  assert.deepEqual(typingPlan({}, "main", { direct: true, mentioned: false }), { start: "instant", intervalMs: 6000 });
  assert.deepEqual(typingPlan(undefined, "main", { direct: false, mentioned: true }), {
    start: "instant",
    intervalMs: 6000,
  });
  assert.deepEqual(typingPlan({}, "main", { direct: false, mentioned: false }), {
    start: "activity",
    intervalMs: 6000,
  });
});

Deno.test("typingPlan() reads typingMode (an agent's own over the defaults) and typingIntervalSeconds", () => {
  const config = {
    agents: {
      defaults: { typingMode: "never", typingIntervalSeconds: 4 },
      entries: { support: { typingMode: "message" } },
      list: [{ id: "ops", typingMode: "instant" }],
    },
  };
  const dm = { direct: true, mentioned: false };
  assert.deepEqual(typingPlan(config, "main", dm), { start: "never", intervalMs: 4000 });
  assert.deepEqual(typingPlan(config, "support", dm), { start: "activity", intervalMs: 4000 });
  assert.deepEqual(typingPlan(config, "ops", { direct: false, mentioned: false }), {
    start: "instant",
    intervalMs: 4000,
  });
  assert.equal(typingPlan({ agents: { defaults: { typingMode: "thinking" } } }, "main", dm).start, "activity");
});

Deno.test("an instant loop types at once and again every interval until stopped, and never after", async () => {
  const { clock, sentAt, typing } = loop({ start: "instant", intervalMs: 6000 });
  await clock.advance(0);
  assert.deepEqual(sentAt, [0]);
  typing.activity();
  await clock.advance(13_000);
  assert.deepEqual(sentAt, [0, 6000, 12_000]);
  typing.stop();
  assert.equal(clock.pending, 0);
  await clock.advance(60_000);
  assert.deepEqual(sentAt, [0, 6000, 12_000]);
});

Deno.test("an activity loop waits for the run's first delta", async () => {
  const { clock, sentAt, typing } = loop({ start: "activity", intervalMs: 6000 });
  await clock.advance(10_000);
  assert.deepEqual(sentAt, []);
  typing.activity();
  await clock.advance(7000);
  assert.deepEqual(sentAt, [10_000, 16_000]);
  typing.stop();
});

Deno.test("a never plan sends nothing, activity or not", async () => {
  const { clock, sentAt, typing } = loop({ start: "never", intervalMs: 6000 });
  typing.activity();
  await clock.advance(30_000);
  assert.deepEqual(sentAt, []);
  assert.equal(clock.pending, 0);
});

Deno.test("typing stops after 2 minutes without activity, as the reference's TTL does", async () => {
  const { clock, sentAt, typing } = loop({ start: "instant", intervalMs: 6000 });
  await clock.advance(125_000);
  assert.equal(sentAt.length, 20); // 0, 6 s, ... 114 s; at 120 s the TTL is reached
  assert.equal(clock.pending, 0);
  typing.stop();
});

Deno.test("a failed send is reported and the loop keeps its cadence", async () => {
  const failure = new Error("Bad Request: chat not found");
  let calls = 0;
  const { clock, errors, typing } = loop({ start: "instant", intervalMs: 5000 }, () => {
    calls++;
    return Promise.reject(failure);
  });
  await clock.advance(10_000);
  assert.equal(calls, 3);
  assert.deepEqual(errors, [failure, failure, failure]);
  typing.stop();
});
