// `tasks maintenance [--apply] [--json]` replayed against the reference's recordings: what it prints, and
// (with --apply) the ledger rows it leaves, row for row.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runMaintenance } from "../../../src/cli/commands/tasks_maintenance.ts";
import { stateDbPath } from "../../../src/state/state_db_existing.ts";
import { printedView, recorded, recordedView, referenceNow, seededStateDir } from "../../support/tasks_replay.ts";

function rows(stateDir: string): { tasks: unknown[]; flows: unknown[] } {
  const db = new DatabaseSync(stateDbPath(stateDir), { readOnly: true });
  try {
    return {
      tasks: db.prepare("SELECT * FROM task_runs ORDER BY task_id").all().map((row) => ({ ...row })),
      flows: db.prepare("SELECT * FROM flow_runs ORDER BY flow_id").all().map((row) => ({ ...row })),
    };
  } finally {
    db.close();
  }
}

const CASES: [string, { json?: boolean; apply?: boolean }][] = [
  ["maintenance", {}],
  ["maintenance-json", { json: true }],
  ["maintenance-apply", { apply: true }],
  ["maintenance-apply-json", { apply: true, json: true }],
];

for (const [name, options] of CASES) {
  Deno.test(`tasks maintenance does what the reference did for ${recorded(name).args.join(" ")}`, () => {
    const outcome = recorded(name);
    const seeded = seededStateDir(outcome.seededAt);
    try {
      const view = runMaintenance(seeded.stateDir, options, referenceNow(outcome));
      assert.deepEqual(printedView(view), recordedView(outcome));
      if (outcome.after) assert.deepEqual(rows(seeded.stateDir), outcome.after);
    } finally {
      seeded.dispose();
    }
  });
}

Deno.test("tasks maintenance --apply on a ledger with nothing to do writes nothing", () => {
  const outcome = recorded("maintenance-apply");
  const seeded = seededStateDir(outcome.seededAt);
  try {
    runMaintenance(seeded.stateDir, { apply: true }, outcome.seededAt);
    const once = rows(seeded.stateDir);
    const again = runMaintenance(seeded.stateDir, { apply: true }, outcome.seededAt);
    assert.deepEqual(rows(seeded.stateDir), once);
    assert.match(
      again.out[0]!,
      /tasks 0 reconcile · 0 recovered · 0 cleanup stamp · 0 prune; task-flows 0 reconcile · 0 prune/,
    );
  } finally {
    seeded.dispose();
  }
});
