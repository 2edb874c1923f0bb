// Replaying the reference's `openclaw tasks` recordings (tests/fixtures/tasks_cli/) against our views:
// a private state dir whose database our schema creates, seeded with the recording's `now`, and the
// recorded outcome's stdout/stderr in the form our views return.
import { openStateDb } from "../../src/state/state_db.ts";
import type { TasksView } from "../../src/cli/commands/tasks_views.ts";
import assert from "node:assert/strict";
import { TASKS_CLI_FIXTURE, type TasksCliOutcome, type TasksCliRecording } from "./tasks_cli_cases.ts";
import { seedTaskLedger, seedTasks } from "./tasks_ledger_seed.ts";

/** One recorded command by name. */
export function recorded(name: string): TasksCliOutcome {
  const recording = JSON.parse(Deno.readTextFileSync(TASKS_CLI_FIXTURE)) as TasksCliRecording;
  const outcome = recording.cases[name];
  if (!outcome) throw new Error(`no recording named ${name}: re-run tools/record_tasks_cli.ts ${name}`);
  return outcome;
}

/** A state dir whose ledger is the seed at `now`; removed by `dispose`. */
export function seededStateDir(now: number): { stateDir: string; dispose(): void } {
  const stateDir = Deno.makeTempDirSync({ prefix: "oc-tasks-replay-" });
  const db = openStateDb(stateDir);
  try {
    seedTaskLedger(db, now);
  } finally {
    db.close();
  }
  return { stateDir, dispose: () => Deno.removeSync(stateDir, { recursive: true }) };
}

/**
 * The reference's clock when it ran the command: the seed time plus the delay its first `ageMs` shows
 * (a task's age is `now` minus its last event); a fixed 5 s when the output has no exact age.
 */
export function referenceNow(outcome: TasksCliOutcome): number {
  const lastEvent = new Map(
    seedTasks(outcome.seededAt).map((t) => [t.task_id, t.last_event_at ?? t.started_at ?? t.created_at]),
  );
  const found =
    /"taskId": "([^"]+)",\s*"runtime": "[^"]+",\s*"status": "[^"]+",\s*"decision": "[^"]+",\s*"reason": "[^"]+",\s*"ageMs": (\d+)/
      .exec(outcome.stdout) ??
      /"ageMs": (\d+),\s*"status": "[^"]+",\s*"token": "([^"]+)",\s*"task"/.exec(outcome.stdout);
  if (!found) return outcome.seededAt + 5_000;
  const [taskId, ageMs] = found[0].startsWith('"taskId"') ? [found[1]!, found[2]!] : [found[2]!, found[1]!];
  return lastEvent.get(taskId)! + Number(ageMs);
}

/** What the reference printed, as a view: stdout and stderr lines (its SQLite timing notes dropped). */
export function recordedView(outcome: TasksCliOutcome): { out: string; err: string; code: number } {
  const err = outcome.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("[sqlite/"));
  return { out: outcome.stdout, err: err.join("\n"), code: outcome.code };
}

/** What our view prints, in the same form. */
export function printedView(view: TasksView): { out: string; err: string; code: number } {
  const out = [...view.out, ...(view.json !== undefined ? [JSON.stringify(view.json, null, 2)] : [])];
  return { out: out.length > 0 ? `${out.join("\n")}\n` : "", err: view.err.join("\n"), code: view.code };
}

/** Runs `run` on a state dir seeded as the recording `name` was and asserts it prints what the reference printed. */
export function replayView(name: string, run: (stateDir: string) => TasksView): void {
  const outcome = recorded(name);
  const seeded = seededStateDir(outcome.seededAt);
  try {
    assert.deepEqual(printedView(run(seeded.stateDir)), recordedView(outcome));
  } finally {
    seeded.dispose();
  }
}
