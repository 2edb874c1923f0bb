// The parts of `tasks cancel` and `tasks retry|dismiss` that answer without a gateway, replayed against
// the reference's recordings (the gateway paths are tests/integration/tasks_cli_test.ts).
import assert from "node:assert/strict";
import { cancelOffline, recoverDeliveries } from "../../../src/cli/commands/tasks_cancel.ts";
import { findTask } from "../../../src/cli/commands/tasks_ledger.ts";
import { inspectLedger } from "../../../src/cli/commands/tasks_source.ts";
import { recorded, seededStateDir } from "../../support/tasks_replay.ts";

Deno.test("a cron task no gateway could cancel is answered from the ledger, as the reference answers", () => {
  const outcome = recorded("cancel-cron-offline");
  const seeded = seededStateDir(outcome.seededAt);
  try {
    const task = findTask(inspectLedger(seeded.stateDir).tasks, "task-cron-live")!;
    const result = cancelOffline(task);
    assert.equal(result.cancelled, false);
    assert.equal(`${result.reason}\n`, outcome.stderr);
    assert.equal(
      cancelOffline(findTask(inspectLedger(seeded.stateDir).tasks, "task-cron-ok")!).reason,
      "Task is already terminal.",
    );
  } finally {
    seeded.dispose();
  }
});

Deno.test("tasks retry refuses more than ten lookups before reading anything", async () => {
  const view = await recoverDeliveries("retry", {}, "abcdefghijk".split(""));
  assert.equal(view.code, 1);
  assert.equal(`${view.err.join("\n")}\n`, recorded("retry-eleven").stderr);
});
