// `tasks audit` replayed against the reference's recordings, at the reference's own clock.
import assert from "node:assert/strict";
import { auditLimit, auditView } from "../../../src/cli/commands/tasks_audit_view.ts";
import { inspectLedger } from "../../../src/cli/commands/tasks_source.ts";
import { printedView, recorded, recordedView, referenceNow, seededStateDir } from "../../support/tasks_replay.ts";

type Finding = { kind: string; ageMs?: number };

/**
 * Our JSON with each TaskFlow finding's age taken from the recording when within a second of it: the
 * reference reads the clock again for its flow audit, a few milliseconds after the task audit.
 */
function flowAgesAligned(ours: unknown, theirs: { findings: Finding[] }): unknown {
  const copy = structuredClone(ours) as { findings: Finding[] };
  copy.findings.forEach((finding, index) => {
    const recorded = theirs.findings[index]?.ageMs;
    if (finding.kind !== "task_flow" || finding.ageMs === undefined || recorded === undefined) return;
    assert.ok(Math.abs(finding.ageMs - recorded) < 1_000, `flow age ${finding.ageMs} is not ${recorded}`);
    finding.ageMs = recorded;
  });
  return copy;
}

const AUDITS: [string, Parameters<typeof auditView>[1]][] = [
  ["audit", {}],
  ["audit-json", { json: true }],
  ["audit-severity-error", { severity: "error" }],
  ["audit-code-lost-json", { code: "lost", json: true }],
  ["audit-limit", { limit: 2 }],
];

for (const [name, options] of AUDITS) {
  Deno.test(`tasks audit prints what the reference printed for ${recorded(name).args.join(" ")}`, () => {
    const outcome = recorded(name);
    const seeded = seededStateDir(outcome.seededAt);
    try {
      const view = auditView(inspectLedger(seeded.stateDir), options, referenceNow(outcome));
      if (!options.json) return assert.deepEqual(printedView(view), recordedView(outcome));
      assert.equal(view.code, outcome.code);
      const aligned = JSON.stringify(flowAgesAligned(view.json, JSON.parse(outcome.stdout)), null, 2);
      assert.deepEqual(JSON.parse(aligned), JSON.parse(outcome.stdout));
      assert.equal(`${aligned}\n`, outcome.stdout);
    } finally {
      seeded.dispose();
    }
  });
}

Deno.test("tasks audit refuses a bad --severity, --code or --limit in the reference's words", () => {
  const ledger = { tasks: [], flows: [] };
  assert.throws(() => auditView(ledger, { severity: "fatal" }, 0), {
    message: recorded("audit-severity-bad").stderr.trim(),
  });
  assert.throws(() => auditView(ledger, { code: "bogus", json: true }, 0), {
    message: JSON.parse(recorded("audit-code-bad-json").stdout).error.message,
  });
  assert.throws(() => auditLimit("0"), { message: recorded("audit-limit-bad").stderr.trim() });
  assert.throws(() => auditLimit("2x"), { message: recorded("audit-limit-bad").stderr.trim() });
  assert.equal(auditLimit("25"), 25);
  assert.equal(auditLimit(undefined), undefined);
});

Deno.test("tasks audit of an empty ledger has no findings", () => {
  assert.deepEqual(auditView({ tasks: [], flows: [] }, {}, 0).out, [
    "Tasks audit: 0 findings · 0 errors · 0 warnings",
    "Task findings: 0 · TaskFlow findings: 0",
    "No tasks audit findings.",
  ]);
});
