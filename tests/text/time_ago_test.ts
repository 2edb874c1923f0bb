// Relative times in the reference's words (status card, sessions table).
import assert from "node:assert/strict";
import { timeAgo } from "../../src/text/time_ago.ts";

Deno.test("a past moment reads as just now, minutes, hours under 48, then days; nonsense reads unknown", () => {
  assert.equal(timeAgo(20_000), "just now");
  assert.equal(timeAgo(5 * 60_000), "5m ago");
  assert.equal(timeAgo(47 * 3_600_000), "47h ago");
  assert.equal(timeAgo(49 * 3_600_000), "2d ago");
  assert.equal(timeAgo(-1), "unknown");
  assert.equal(timeAgo(Number.NaN), "unknown");
});
