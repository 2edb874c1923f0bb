// `tasks flow list|show` replayed against the reference's recordings.
import assert from "node:assert/strict";
import { flowListView, flowShowView } from "../../../src/cli/commands/tasks_flow_views.ts";
import { readLedger } from "../../../src/cli/commands/tasks_ledger.ts";
import { recorded, replayView } from "../../support/tasks_replay.ts";

const CASES: [string, (stateDir: string) => ReturnType<typeof flowListView>][] = [
  ["flow-list", (dir) => flowListView(readLedger(dir), {})],
  ["flow-list-json", (dir) => flowListView(readLedger(dir), { json: true })],
  ["flow-list-status", (dir) => flowListView(readLedger(dir), { status: "running" })],
  ["flow-show", (dir) => flowShowView(readLedger(dir), { lookup: "flow-waiting" })],
  ["flow-show-blocked", (dir) => flowShowView(readLedger(dir), { lookup: "flow-blocked" })],
  ["flow-show-owner-json", (dir) => flowShowView(readLedger(dir), { lookup: "agent:main:release", json: true })],
  ["flow-show-missing", (dir) => flowShowView(readLedger(dir), { lookup: "nope" })],
];

for (const [name, run] of CASES) {
  Deno.test(`tasks flow prints what the reference printed for ${recorded(name).args.join(" ")}`, () =>
    replayView(name, run));
}

Deno.test("tasks flow list refuses an unknown --status in the reference's words", () => {
  assert.throws(() => flowListView({ tasks: [], flows: [] }, { status: "bogus" }), {
    message: recorded("flow-list-status-bad").stderr.trim(),
  });
});
