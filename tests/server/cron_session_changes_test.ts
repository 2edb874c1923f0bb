import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import type { CronEvent } from "../../src/automation/cron_events.ts";
import { cronBindingChanges } from "../../src/server/cron_session_changes.ts";

const context = { defaultAgentId: "main", mainKey: "main" };
const job = (patch: Partial<CronJob> = {}) =>
  ({ id: "j1", enabled: true, sessionTarget: "session:agent:main:project-x", ...patch }) as CronJob;
const keys = (event: CronEvent) => cronBindingChanges(event, context).map((s) => `${s.agentId} ${s.key}`);

Deno.test("cronBindingChanges() names the sessions a job added, edited or removed is bound to, as the reference's cron-binding", () => {
  assert.deepEqual(keys({ jobId: "j1", action: "added", job: job() }), ["main agent:main:project-x"]);
  assert.deepEqual(keys({ jobId: "j1", action: "updated", job: job({ enabled: false }) }), [
    "main agent:main:project-x",
  ]);
  assert.deepEqual(keys({ jobId: "j1", action: "removed", job: job() }), ["main agent:main:project-x"]);
  assert.deepEqual(
    keys({ jobId: "j1", action: "added", job: job({ sessionTarget: "main", sessionKey: "agent:ops:room" }) }),
    ["main agent:main:main", "ops agent:ops:room"],
  );
  assert.deepEqual(keys({ jobId: "j1", action: "added", job: job({ sessionTarget: "isolated" }) }), [
    "main agent:main:cron:j1",
  ]);
});

Deno.test("cronBindingChanges() names none for a run's start or a run that left the job enabled; a disabling run's job's sessions", () => {
  assert.deepEqual(keys({ jobId: "j1", action: "started", job: job(), runAtMs: 1 }), []);
  assert.deepEqual(keys({ jobId: "j1", action: "scheduled", job: job() }), []);
  assert.deepEqual(keys({ jobId: "j1", action: "finished", job: job() }), []);
  assert.deepEqual(keys({ jobId: "j1", action: "finished" }), []);
  assert.deepEqual(keys({ jobId: "j1", action: "finished", job: job({ enabled: false }) }), [
    "main agent:main:project-x",
  ]);
  assert.deepEqual(
    keys({ jobId: "j1", action: "added", job: job({ sessionTarget: undefined as unknown as string }) }),
    [],
  );
});
