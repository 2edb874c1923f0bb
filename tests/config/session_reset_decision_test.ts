import assert from "node:assert/strict";
import { dailyResetAt, isStale, type SessionActivity } from "../../src/config/session_reset_decision.ts";
import type { ResolvedResetPolicy } from "../../src/config/session_reset_policy.ts";

interface FreshnessCase extends Partial<SessionActivity> {
  name: string;
  policy: ResolvedResetPolicy;
  now: number;
  decision: { fresh: boolean; dailyResetAt?: number; idleExpiresAt?: number; staleReason?: "daily" | "idle" };
}

const recording: { freshnessByZone: { zone: string; cases: FreshnessCase[] }[] } = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/session_reset/reference_policy.json", import.meta.url)),
);

function activityOf(c: FreshnessCase): SessionActivity {
  // The recorder handed the reference the same fallback for a case without `updatedAt`.
  return {
    updatedAt: c.updatedAt ?? c.sessionStartedAt ?? c.lastInteractionAt ?? 0,
    sessionStartedAt: c.sessionStartedAt,
    lastInteractionAt: c.lastInteractionAt,
  };
}

Deno.test("isStale() decides every recorded case in every recorded zone as the reference does", () => {
  assert.deepEqual(recording.freshnessByZone.map((z) => z.zone), [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
  ]);
  for (const { zone, cases } of recording.freshnessByZone) {
    assert.ok(cases.length > 50);
    for (const c of cases) {
      const got = isStale(c.now, activityOf(c), c.policy, { timeZone: zone });
      const want = c.decision;
      const label = `${zone}: ${c.name}`;
      assert.equal(got.stale, !want.fresh, label);
      assert.equal(got.reason, want.staleReason, label);
      assert.equal(got.dailyResetAt, want.dailyResetAt, label);
      assert.equal(got.idleExpiresAt, want.idleExpiresAt, label);
    }
  }
});

Deno.test("dailyResetAt() in the host's zone agrees with the same zone named", () => {
  const host = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const { cases } of recording.freshnessByZone) {
    for (const c of cases) {
      assert.equal(dailyResetAt(c.now, c.policy.atHour), dailyResetAt(c.now, c.policy.atHour, host), c.name);
    }
  }
});

Deno.test("isStale() on a New York spring-forward day puts a 02:00 boundary at 03:00 EDT", () => {
  const now = Date.UTC(2026, 2, 8, 12); // 08:00 EDT
  const policy: ResolvedResetPolicy = { mode: "daily", atHour: 2, configured: true };
  const decision = isStale(now, { updatedAt: now, sessionStartedAt: Date.UTC(2026, 2, 8, 6, 30) }, policy, {
    timeZone: "America/New_York",
  });
  assert.equal(decision.dailyResetAt, Date.UTC(2026, 2, 8, 7)); // 03:00 EDT
  assert.deepEqual([decision.stale, decision.reason], [true, "daily"]);
});

Deno.test("isStale() with daily and idle both set names the earlier expiry, daily on a tie", () => {
  const policy: ResolvedResetPolicy = { mode: "daily", atHour: 4, idleMinutes: 60, configured: true };
  const now = Date.UTC(2026, 5, 10, 12);
  const boundary = Date.UTC(2026, 5, 10, 4);
  const tie = isStale(
    now,
    { updatedAt: now, sessionStartedAt: boundary - 1, lastInteractionAt: boundary - 3_600_000 },
    policy,
    {
      timeZone: "UTC",
    },
  );
  assert.deepEqual([tie.stale, tie.reason, tie.dailyResetAt, tie.idleExpiresAt], [true, "daily", boundary, boundary]);
  const idleFirst = isStale(
    now,
    { updatedAt: now, sessionStartedAt: boundary - 1, lastInteractionAt: boundary - 7_200_000 },
    policy,
    {
      timeZone: "UTC",
    },
  );
  assert.equal(idleFirst.reason, "idle");
});

Deno.test("isStale() keeps an idle session alive up to the minute and stales it after", () => {
  const policy: ResolvedResetPolicy = { mode: "idle", atHour: 4, idleMinutes: 1, configured: true };
  const last = 1_000_000;
  assert.equal(isStale(last + 60_000, { updatedAt: last, lastInteractionAt: last }, policy).stale, false);
  assert.deepEqual(isStale(last + 60_001, { updatedAt: last, lastInteractionAt: last }, policy), {
    stale: true,
    reason: "idle",
    dailyResetAt: undefined,
    idleExpiresAt: last + 60_000,
  });
});
