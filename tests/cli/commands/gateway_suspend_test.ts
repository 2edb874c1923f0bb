import assert from "node:assert/strict";
import { busyText, requestIdOf, waitMsOf } from "../../../src/cli/commands/gateway_suspend.ts";

Deno.test("gateway suspend flags: --wait is non-negative seconds, --request-id 1 to 128 characters, as the reference", () => {
  assert.equal(waitMsOf(undefined), undefined);
  assert.equal(waitMsOf("30"), 30_000);
  assert.equal(waitMsOf("0"), 0, "a single attempt");
  assert.equal(waitMsOf("1.5"), 1_500);
  for (const bad of ["", " ", "-1", "soon", "NaN"]) {
    assert.throws(() => waitMsOf(bad), /^SuspendFlagError: --wait must be a non-negative number of seconds$/, bad);
  }
  assert.throws(() => waitMsOf("1e300"), /--wait is too large/);
  assert.match(requestIdOf(undefined), /^cli-[0-9a-f]{8}$/);
  assert.equal(requestIdOf("  snapshot-2026-08-11 "), "snapshot-2026-08-11");
  assert.throws(() => requestIdOf("   "), /--request-id must contain 1 to 128 characters/);
  assert.throws(() => requestIdOf("x".repeat(129)), /--request-id must contain 1 to 128 characters/);
});

Deno.test("gateway suspend: a busy answer is worded as the reference's CLI words it", () => {
  assert.equal(
    busyText({
      reason: "active-work",
      activeCount: 2,
      blockers: [
        { kind: "embedded-run", count: 1, message: "1 active embedded run(s)" },
        { kind: "root-request", count: 1, message: "1 active gateway request(s): ws:agent" },
      ],
    }),
    "Gateway suspension is busy (active-work; 2 active).\nBlockers:\n- 1 active embedded run(s)\n- 1 active gateway request(s): ws:agent",
  );
  assert.equal(
    busyText({ reason: "gateway-draining", activeCount: 0, blockers: [] }),
    "Gateway suspension is busy (gateway-draining; 0 active).",
  );
});
