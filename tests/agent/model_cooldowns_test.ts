import assert from "node:assert/strict";
import { FAILURE_WINDOW_MS } from "../../src/agent/failover_policy.ts";
import { ModelCooldowns } from "../../src/agent/model_cooldowns.ts";

const m = { provider: "p", model: "m" };

Deno.test("ModelCooldowns: repeat failures wait longer, a success clears them", () => {
  let now = 1_000_000;
  const cooldowns = new ModelCooldowns(() => now);
  assert.equal(cooldowns.coolingDown(m), false);
  assert.equal(cooldowns.recordFailure(m, "rate_limit").cooldownUntil, now + 30_000);
  assert.equal(cooldowns.coolingDown(m), true);
  assert.deepEqual(cooldowns.active(), [
    { provider: "p", model: "m", reason: "rate_limit", errorCount: 1, lastFailureAt: now, cooldownUntil: now + 30_000 },
  ]);
  now += 30_000;
  assert.equal(cooldowns.coolingDown(m), false);
  assert.deepEqual(cooldowns.active(), []);
  assert.equal(cooldowns.recordFailure(m, "overloaded").cooldownUntil, now + 60_000);
  assert.equal(cooldowns.recordFailure(m, "rate_limit").cooldownUntil, now + 300_000);
  assert.equal(cooldowns.recordFailure(m, "rate_limit").errorCount, 4);
  cooldowns.recordSuccess(m);
  assert.equal(cooldowns.coolingDown(m), false);
  assert.equal(cooldowns.recordFailure(m, "rate_limit").errorCount, 1);
});

Deno.test("ModelCooldowns: failures older than the window no longer count", () => {
  let now = 0;
  const cooldowns = new ModelCooldowns(() => now);
  cooldowns.recordFailure(m, "auth");
  cooldowns.recordFailure(m, "auth");
  now += FAILURE_WINDOW_MS;
  assert.equal(cooldowns.recordFailure(m, "auth").errorCount, 1);
});

Deno.test("ModelCooldowns: active() lists the soonest to end first", () => {
  const now = 0;
  const cooldowns = new ModelCooldowns(() => now);
  cooldowns.recordFailure(m, "billing");
  cooldowns.recordFailure({ provider: "q", model: "n" }, "rate_limit");
  assert.deepEqual(cooldowns.active().map((c) => c.model), ["n", "m"]);
});
