// The jobs the reference creates in every state dir (recorded rows, tests/fixtures/reference_cron) are
// loaded and listed unchanged, and marked as the reference's to run; the operators' jobs are not.
import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import { cronJobFromRow } from "../../src/automation/cron_row_codec.ts";
import { isReferenceOwnedCronJob, referenceOwnedReason } from "../../src/automation/cron_reference_owned.ts";

const RECORDED = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/reference_cron/state_rows.json", import.meta.url)),
) as { cron_jobs: Record<string, unknown>[] };

Deno.test("reference-owned cron jobs: the reference's managed jobs are marked, the operators' are not", () => {
  const jobs = RECORDED.cron_jobs.map((row) => cronJobFromRow(row)!);
  assert.equal(jobs.length, 7, "every recorded row loads");
  const owned = jobs.filter(isReferenceOwnedCronJob).map((job) => job.name).toSorted();
  assert.deepEqual(owned, ["Memory Dreaming Promotion", "heartbeat-main", "skill-collection-review-main"]);
  const heartbeat = jobs.find((job) => job.name === "heartbeat-main")!;
  assert.equal(heartbeat.payload.kind as string, "heartbeat", "the payload is loaded as stored");
  assert.match(referenceOwnedReason(heartbeat)!, /heartbeat/);
});

Deno.test("reference-owned cron jobs: payload kinds only the reference runs; migrated heartbeat tasks are ours", () => {
  const job = (payload: Record<string, unknown>, declarationKey?: string) =>
    ({ payload, ...(declarationKey ? { declarationKey } : {}) }) as unknown as CronJob;
  assert.match(referenceOwnedReason(job({ kind: "command", argv: ["git"] }))!, /payload kind command/);
  assert.equal(isReferenceOwnedCronJob(job({ kind: "script", script: "x" })), true);
  assert.equal(isReferenceOwnedCronJob(job({ kind: "systemEvent", text: "t" }, "heartbeat-task:main:check:0")), false);
  assert.equal(isReferenceOwnedCronJob(job({ kind: "agentTurn", message: "m" }, "claw:main:daily")), false);
  assert.equal(isReferenceOwnedCronJob(job({ kind: "agentTurn", message: "m" }, "skill-collection-review:ops")), true);
});
