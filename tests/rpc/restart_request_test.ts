import assert from "node:assert/strict";
import {
  drainBudgetMs,
  isTargetedNonSafeRestart,
  parseRestartRequest,
  RESTART_DEFERRAL_MS,
} from "../../src/rpc/restart_request.ts";

const TARGET = { pid: 4242, ownerId: "owner-1", port: 18789 };

Deno.test("restart request: an untargeted one is safe, its reason trimmed and cut as the reference cuts it", () => {
  assert.deepEqual(parseRestartRequest({}), {
    ok: true,
    request: { kind: "safe", reason: undefined, skipDeferral: false },
  });
  assert.deepEqual(parseRestartRequest({ reason: "  gateway.restart.safe ", skipDeferral: true }), {
    ok: true,
    request: { kind: "safe", reason: "gateway.restart.safe", skipDeferral: true },
  });
  // 199 units then an emoji (a surrogate pair across the 200th unit): the pair is not split.
  const long = parseRestartRequest({ reason: `${"a".repeat(199)}😀tail` });
  assert.ok(long.ok && long.request.reason === "a".repeat(199));
  const exact = parseRestartRequest({ reason: "b".repeat(250) });
  assert.ok(exact.ok && exact.request.reason === "b".repeat(200));
  // Only `true` skips the deferral.
  const loose = parseRestartRequest({ skipDeferral: "yes" });
  assert.ok(loose.ok && loose.request.kind === "safe" && loose.request.skipDeferral === false);
});

Deno.test("restart request: a target is a positive pid, a non-empty owner id and a port, else refused", () => {
  const ok = parseRestartRequest({ target: { ...TARGET, ownerId: " owner-1 " } });
  assert.deepEqual(ok, { ok: true, request: { kind: "targeted", reason: undefined, target: TARGET, intent: {} } });
  for (
    const target of [
      null,
      [],
      "x",
      { ...TARGET, pid: 0 },
      { ...TARGET, pid: 1.5 },
      { ...TARGET, pid: "4242" },
      { ...TARGET, ownerId: "  " },
      { ...TARGET, ownerId: 7 },
      { ...TARGET, port: 0 },
      { ...TARGET, port: 65536 },
    ]
  ) {
    assert.deepEqual(
      parseRestartRequest({ target }),
      { ok: false, message: "invalid targeted gateway restart" },
      String(
        JSON.stringify(target),
      ),
    );
  }
  for (const params of [undefined, null, [], "restart", 3]) {
    assert.deepEqual(parseRestartRequest(params), { ok: false, message: "invalid gateway.restart.request params" });
  }
});

Deno.test("restart request: a safe targeted one takes no intent; a plain one a well-formed intent", () => {
  assert.deepEqual(parseRestartRequest({ target: TARGET, safe: true, skipDeferral: true }), {
    ok: true,
    request: { kind: "safe", reason: undefined, skipDeferral: true, target: TARGET },
  });
  assert.deepEqual(parseRestartRequest({ target: TARGET, safe: "yes" }), {
    ok: false,
    message: "invalid safe targeted restart mode",
  });
  assert.deepEqual(parseRestartRequest({ target: TARGET, safe: true, restartIntent: {} }), {
    ok: false,
    message: "safe targeted restart does not accept intent",
  });
  const intent = (restartIntent: unknown) => {
    const parsed = parseRestartRequest({ target: TARGET, safe: false, restartIntent });
    return parsed.ok ? (parsed.request.kind === "targeted" ? parsed.request.intent : "safe") : parsed.message;
  };
  assert.deepEqual(intent({ waitMs: 30_000 }), { waitMs: 30_000 });
  assert.deepEqual(intent({ force: true, drainBudgetMs: 45_000 }), { force: true, waitMs: 45_000 });
  assert.deepEqual(intent({ force: false }), {});
  const refused = "invalid targeted gateway restart intent";
  assert.equal(intent({ force: true, waitMs: 10 }), refused, "force names its budget drainBudgetMs");
  assert.equal(intent({ drainBudgetMs: 10 }), refused, "a plain restart names its budget waitMs");
  assert.equal(intent({ waitMs: -1 }), refused);
  assert.equal(intent({ waitMs: 1.5 }), refused);
  assert.equal(intent({ waitMs: 2_147_000_001 }), refused);
  assert.equal(intent({ force: "true" }), refused);
  assert.equal(intent("now"), refused);
});

Deno.test("restart request: only a targeted non-safe restart crosses a suspension's fence", () => {
  assert.equal(isTargetedNonSafeRestart({ target: TARGET }), true);
  assert.equal(isTargetedNonSafeRestart({ target: TARGET, restartIntent: { force: true } }), true);
  assert.equal(isTargetedNonSafeRestart({ target: TARGET, safe: true }), false);
  assert.equal(isTargetedNonSafeRestart({}), false);
  assert.equal(isTargetedNonSafeRestart({ target: { ...TARGET, pid: -1 } }), false);
});

Deno.test("restart request: drain budgets follow the reference's (5 min; forced 45 s; 0 waits or goes at once)", () => {
  assert.equal(drainBudgetMs({}), RESTART_DEFERRAL_MS);
  assert.equal(drainBudgetMs({ force: true }), 45_000);
  assert.equal(drainBudgetMs({ waitMs: 30_000 }), 30_000);
  assert.equal(drainBudgetMs({ force: true, waitMs: 10_000 }), 10_000);
  assert.equal(drainBudgetMs({ waitMs: 0 }), undefined, "`--wait 0` waits as long as it takes");
  assert.equal(drainBudgetMs({ force: true, waitMs: 0 }), 0, "a forced restart with no budget goes at once");
});
