import assert from "node:assert/strict";
import type { CronSessionSweeper } from "../../src/automation/cron_session_sweep.ts";
import { sweepAfterCronRuns } from "../../src/server/cron_retention_wiring.ts";

Deno.test("sweepAfterCronRuns: a sweep is asked for when a run in a cron session ends or fails, not otherwise", () => {
  let requests = 0;
  const onEvent = sweepAfterCronRuns({ request: () => void requests++ } as unknown as CronSessionSweeper);
  const lifecycle = (sessionKey: string, phase: string) => ({ stream: "lifecycle", sessionKey, data: { phase } });
  onEvent(lifecycle("agent:main:cron:job1", "start"));
  onEvent(lifecycle("agent:main:main", "end"));
  onEvent(lifecycle("agent:main:telegram:direct:42", "error"));
  onEvent({ stream: "assistant", sessionKey: "agent:main:cron:job1", data: { phase: "end" } });
  assert.equal(requests, 0);
  onEvent(lifecycle("agent:main:cron:job1", "end"));
  onEvent(lifecycle("agent:ops:cron:job2:run:r1", "error"));
  assert.equal(requests, 2);
});
