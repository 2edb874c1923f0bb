// `tasks notify` and `tasks flow cancel` replayed against the reference's recordings: what they print
// and the ledger rows they leave (times the reference took from its clock are taken from ours).
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { cancelFlow, setNotifyPolicy } from "../../../src/cli/commands/tasks_writes.ts";
import { stateDbPath } from "../../../src/state/state_db_existing.ts";
import { printedView, recorded, recordedView, seededStateDir } from "../../support/tasks_replay.ts";

type Row = Record<string, unknown>;

function rows(stateDir: string): { tasks: Row[]; flows: Row[] } {
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

/** The recorded rows with the clock-taken columns of one row replaced by ours. */
function withOurClock(
  after: { tasks: Row[]; flows: Row[] },
  at: { table: "tasks" | "flows"; id: string; now: number; columns: string[] },
) {
  const key = at.table === "tasks" ? "task_id" : "flow_id";
  const table = after[at.table].map((row) =>
    row[key] === at.id ? { ...row, ...Object.fromEntries(at.columns.map((column) => [column, at.now])) } : row
  );
  return { ...after, [at.table]: table };
}

Deno.test("tasks notify sets the policy and the last event time, as the reference did", () => {
  const outcome = recorded("notify");
  const seeded = seededStateDir(outcome.seededAt);
  try {
    const now = outcome.seededAt + 9_000;
    const view = setNotifyPolicy(seeded.stateDir, { lookup: "task-cli-ok", policy: "state_changes", now });
    assert.deepEqual(printedView(view), recordedView(outcome));
    assert.deepEqual(
      rows(seeded.stateDir),
      withOurClock(outcome.after!, { table: "tasks", id: "task-cli-ok", now, columns: ["last_event_at"] }),
    );
  } finally {
    seeded.dispose();
  }
});

Deno.test("tasks notify refuses an unknown policy or task in the reference's words, writing nothing", () => {
  const outcome = recorded("notify-bad");
  const seeded = seededStateDir(outcome.seededAt);
  try {
    const before = rows(seeded.stateDir);
    const bad = setNotifyPolicy(seeded.stateDir, { lookup: "task-cli-ok", policy: "loud", now: 1 });
    assert.deepEqual(printedView(bad), recordedView(outcome));
    const missing = setNotifyPolicy(seeded.stateDir, { lookup: "nope", policy: "silent", now: 1 });
    assert.deepEqual(printedView(missing), recordedView(recorded("notify-missing")));
    assert.deepEqual(rows(seeded.stateDir), before);
  } finally {
    seeded.dispose();
  }
});

Deno.test("tasks flow cancel cancels an idle flow in two revisions, as the reference did", () => {
  const outcome = recorded("flow-cancel");
  const seeded = seededStateDir(outcome.seededAt);
  try {
    const now = outcome.seededAt + 7_000;
    assert.deepEqual(printedView(cancelFlow(seeded.stateDir, { lookup: "flow-fresh", now })), recordedView(outcome));
    assert.deepEqual(
      rows(seeded.stateDir),
      withOurClock(outcome.after!, {
        table: "flows",
        id: "flow-fresh",
        now,
        columns: ["cancel_requested_at", "updated_at", "ended_at"],
      }),
    );
  } finally {
    seeded.dispose();
  }
});

for (
  const [name, lookup] of [["flow-cancel-with-task", "flow-release"], ["flow-cancel-missing", "nope"], [
    "flow-cancel-terminal",
    "flow-done-old",
  ]] as const
) {
  Deno.test(`tasks flow cancel answers as the reference did for ${recorded(name).args.join(" ")}`, () => {
    const outcome = recorded(name);
    const seeded = seededStateDir(outcome.seededAt);
    try {
      const before = rows(seeded.stateDir);
      assert.deepEqual(
        printedView(cancelFlow(seeded.stateDir, { lookup, now: outcome.seededAt + 5_000 })),
        recordedView(outcome),
      );
      assert.deepEqual(rows(seeded.stateDir), outcome.after ?? before);
    } finally {
      seeded.dispose();
    }
  });
}
