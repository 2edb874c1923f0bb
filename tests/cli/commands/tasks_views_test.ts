// `tasks`, `tasks list` and `tasks show` replayed against the reference's recordings
// (tests/fixtures/tasks_cli/, made by tools/record_tasks_cli.ts on the same seeded ledger).
import assert from "node:assert/strict";
import { TasksCliError } from "../../../src/cli/commands/tasks_cli_error.ts";
import { inspectLedger } from "../../../src/cli/commands/tasks_source.ts";
import { listView, showView } from "../../../src/cli/commands/tasks_views.ts";
import { recorded, replayView } from "../../support/tasks_replay.ts";

const LISTS: [string, Parameters<typeof listView>[1]][] = [
  ["bare", {}],
  ["bare-json", { json: true }],
  ["list", {}],
  ["list-json", { json: true }],
  ["list-runtime-cron", { runtime: "cron" }],
  ["list-status-running-json", { status: "running", json: true }],
  ["list-status-blocked", { status: "blocked" }],
  ["list-status-lost", { status: "lost" }],
  ["list-parent-json", { json: true, runtime: "cli" }],
];

for (const [name, options] of LISTS) {
  Deno.test(`tasks list prints what the reference printed for ${recorded(name).args.join(" ")}`, () => {
    replayView(name, (stateDir) => listView(inspectLedger(stateDir), options));
  });
}

const SHOWS: [string, string, boolean][] = [
  ["show-task-id", "task-cli-failed", false],
  ["show-task-id-json", "task-blocked", true],
  ["show-run-id", "run-ok-1", false],
  ["show-cron-run-id-json", "cron:job-digest:2", true],
  ["show-session-key", "agent:main:main", false],
  ["show-live-json", "task-active-ended", true],
  ["show-missing", "nope", false],
  ["show-missing-json", "nope", true],
];

for (const [name, lookup, json] of SHOWS) {
  Deno.test(`tasks show prints what the reference printed for ${recorded(name).args.join(" ")}`, () => {
    replayView(name, (stateDir) => showView(inspectLedger(stateDir), { lookup, json }));
  });
}

Deno.test("tasks list refuses an unknown --runtime or --status in the reference's words", () => {
  const ledger = { tasks: [], flows: [] };
  assert.throws(() => listView(ledger, { runtime: "bogus" }), (error: unknown) => {
    assert.ok(error instanceof TasksCliError);
    assert.equal(`${error.message}\n`, recorded("list-runtime-bad").stderr);
    return true;
  });
  const json = JSON.parse(recorded("list-status-bad-json").stdout);
  assert.throws(() => listView(ledger, { status: "bogus", json: true }), { message: json.error.message });
});

Deno.test("tasks list on an empty ledger says how to look for stale state", () => {
  const view = listView({ tasks: [], flows: [] }, {});
  assert.deepEqual(view.out, [
    "Background tasks: 0",
    "Task pressure: 0 queued · 0 running · 0 issues",
    "No background tasks found. Run openclaw tasks audit to check for stale task state.",
  ]);
});
