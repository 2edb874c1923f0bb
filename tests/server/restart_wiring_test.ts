import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { WorkAdmission } from "../../src/rpc/work_admission.ts";
import type { ActiveWorkSources } from "../../src/server/active_work_wiring.ts";
import { wireRestart } from "../../src/server/restart_wiring.ts";

/** Work sources with `active` runs and nothing else, and the restarts the scheduler delivers. */
function setup() {
  const runs = { active: 0 };
  const work = {
    admission: new WorkAdmission(),
    runs: { activity: () => ({ active: runs.active, queued: 0 }) },
    runningCommands: () => 0,
    cron: { activeRuns: 0 },
    channels: { sending: 0 },
  } as unknown as ActiveWorkSources;
  const delivered: string[] = [];
  const w = { work, requestRestart: (reason: string) => delivered.push(reason), log: getLogger("restart") };
  return { runs, w, wired: wireRestart(w), delivered };
}

Deno.test("a config reload's restart: now when idle, deferred while a run goes on, joined when one is pending", () => {
  const idle = setup();
  assert.equal(idle.wired.deferReload("config reload: gateway.bind"), undefined, "restart now");
  assert.equal(idle.wired.scheduler.busy, false, "nothing scheduled");

  const busy = setup();
  busy.runs.active = 1;
  assert.deepEqual(busy.wired.deferReload("config reload: gateway.bind"), [
    "1 operation(s)",
    "1 embedded run(s)",
  ]);
  assert.equal(busy.wired.scheduler.busy, true);
  busy.wired.scheduler.stop();

  // Nothing running, but a restart is already pending (here an operator's, an hour away): the reload's joins it
  // instead of restarting a second time.
  const pending = setup();
  pending.wired.scheduler.schedule({ reason: "operator", skipDeferral: false, delayMs: 3_600_000 });
  assert.deepEqual(pending.wired.deferReload("config reload: gateway.bind"), []);
  assert.equal(pending.delivered.length, 0);
  pending.wired.scheduler.stop();
});
