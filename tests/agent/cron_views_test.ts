import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import { configRevision, cronJobReadView, listCronPage } from "../../src/agent/cron_views.ts";

function job(i: number, name: string): CronJob {
  return {
    id: `id-${String(i).padStart(5, "0")}`,
    name,
    enabled: true,
    createdAtMs: 0,
    updatedAtMs: 0,
    schedule: { kind: "every", everyMs: 1000 },
    sessionTarget: "main",
    wakeMode: "now",
    payload: { kind: "systemEvent", text: "x" },
    state: { nextRunAtMs: 1000 + ((i * 7919) % 5000) },
  };
}

Deno.test("cron.list sorts names as the reference: case and accents aside, ties by id", () => {
  const jobs = [job(3, "beta"), job(1, "Beta"), job(2, "alpha"), job(4, "Été"), job(5, "ete")];
  const page = listCronPage(jobs, { sortBy: "name", limit: 10 }, "main");
  assert.deepEqual(page.jobs.map((j) => j.id), ["id-00002", "id-00001", "id-00003", "id-00004", "id-00005"]);
});

Deno.test("sorting 5,000 jobs by name costs about what sorting them by next run does", () => {
  const jobs = Array.from({ length: 5000 }, (_, i) => job(i, `Job ${(i * 7919) % 5000}`));
  const once = (sortBy: string) => {
    const started = performance.now();
    listCronPage(jobs, { sortBy, limit: 1 }, "main");
    return performance.now() - started;
  };
  // The best of seven rounds each, the two sorts taking turns: a busy machine (CI beside other work) slows a
  // round of either, not one sort's every round.
  let byNext = Infinity;
  let byName = Infinity;
  for (let round = 0; round < 7; round++) {
    byNext = Math.min(byNext, once("nextRunAtMs"));
    byName = Math.min(byName, once("name"));
  }
  // Both pay for the page's snapshot revision; a collator per comparison made the name sort ~6x dearer.
  assert.ok(byName < byNext * 2.5, `by name ${byName.toFixed(0)} ms vs by next run ${byNext.toFixed(0)} ms`);
});

Deno.test("a job's read view leaves out the creator and authority records, as the reference's toPublicCronJob", () => {
  const stored = {
    ...job(1, "from the reference"),
    createdActor: { kind: "operator", id: "device-abc", clientId: "cli" },
    toolsAllowProvenance: { version: 1, source: "authenticated-requester" },
    toolsAllowExecTarget: { version: 1, host: "gateway" },
    toolsAllowExecTargetRequirement: { version: 1, recoveryRequired: true },
    runtimeAuthority: { grant: "secret-grant" },
    runtimeAuthorityRecoveryRequired: true,
    skillLibrarySelections: ["x"],
    scheduledToolPolicy: { version: 1, mode: "trusted" },
  } as CronJob;
  const view = cronJobReadView(stored);
  for (
    const key of [
      "createdActor",
      "toolsAllowProvenance",
      "toolsAllowExecTarget",
      "toolsAllowExecTargetRequirement",
      "runtimeAuthority",
      "runtimeAuthorityRecoveryRequired",
      "skillLibrarySelections",
    ]
  ) assert.ok(!(key in view), `${key} is not sent`);
  assert.deepEqual(view.scheduledToolPolicy, { version: 1, mode: "trusted" });
  assert.equal(view.name, "from the reference");
  assert.equal(view.configRevision, configRevision(stored), "the revision still covers the whole stored job");
});
