import assert from "node:assert/strict";
import { cronSettings } from "../../src/config/cron_settings.ts";
import { classifyPath } from "../../src/config/reload_plan.ts";
import { ignoredKeys } from "../../src/config/implemented_keys.ts";

Deno.test("cronSettings() reads cron.enabled (default on) and cron.skipMissedJobs (default off); OPENCLAW_SKIP_CRON=1 turns cron off", () => {
  assert.deepEqual(cronSettings({}), { enabled: true, skipMissedJobs: false });
  assert.deepEqual(cronSettings({ cron: { enabled: false, skipMissedJobs: true } }), {
    enabled: false,
    skipMissedJobs: true,
  });
  assert.deepEqual(cronSettings({ cron: { enabled: true } }, { OPENCLAW_SKIP_CRON: "1" }), {
    enabled: false,
    skipMissedJobs: false,
  });
  assert.deepEqual(cronSettings({ cron: "yes" }), { enabled: true, skipMissedJobs: false });
});

Deno.test("the cron switches are implemented keys and apply hot", () => {
  assert.equal(classifyPath("cron.enabled"), "hot");
  assert.equal(classifyPath("cron.skipMissedJobs"), "hot");
  assert.deepEqual(ignoredKeys({ cron: { enabled: false, skipMissedJobs: true } }), []);
});
