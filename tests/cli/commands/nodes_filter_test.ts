import assert from "node:assert/strict";
import { connectionFilter, hasFilter, parseDurationMs } from "../../../src/cli/commands/nodes_filter.ts";

Deno.test("durations: bare milliseconds, single units and composites, as the reference parses them", () => {
  assert.equal(parseDurationMs("500"), 500);
  assert.equal(parseDurationMs("24h"), 86_400_000);
  assert.equal(parseDurationMs("7d"), 604_800_000);
  assert.equal(parseDurationMs("1h30m"), 5_400_000);
  assert.equal(parseDurationMs("1.5s"), 1500);
  assert.throws(() => parseDurationMs("zz"), {
    message: 'Invalid duration: "zz". Use values like 500ms, 30s, 5m, 2h, or 1h30m.',
  });
  assert.throws(() => parseDurationMs(" "), {
    message: "Invalid duration (empty): empty value. Use values like 500ms, 30s, 5m, 2h, or 1h30m.",
  });
  assert.throws(() => parseDurationMs("1h30"), /each composite segment needs a unit|Invalid duration/);
});

Deno.test("--connected keeps connected rows; --last-connected keeps rows connected within the window", () => {
  const now = 10_000_000;
  const live = { connected: true, connectedAtMs: now - 1000 };
  const old = { connected: false, lastConnectedAtMs: now - 7_200_000 };
  const never = { connected: false };
  assert.deepEqual([live, old, never].filter((n) => connectionFilter({ connected: true })(n, now)), [live]);
  assert.deepEqual([live, old, never].filter((n) => connectionFilter({ lastConnected: "1h" })(n, now)), [live]);
  assert.deepEqual([live, old, never].filter((n) => connectionFilter({ lastConnected: "3h" })(n, now)), [live, old]);
  assert.deepEqual([live, old, never].filter((n) => connectionFilter({})(n, now)), [live, old, never]);
  assert.throws(() => connectionFilter({ lastConnected: "zz" }), /^Error: Invalid --last-connected: Invalid duration/);
  assert.equal(hasFilter({}), false);
  assert.equal(hasFilter({ lastConnected: "1h" }), true);
});
