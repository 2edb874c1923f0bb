import assert from "node:assert/strict";
import type { CronControl } from "../../src/agent/cron_control.ts";
import { gatewayToolHost } from "../../src/server/tool_host.ts";
import type { SessionStore } from "../../src/sessions/store.ts";
import { FakeCron } from "../support/fake_cron.ts";

Deno.test("the tool host lends the scheduler once it has started, not before", () => {
  const lent: { scheduler?: CronControl } = {};
  const host = gatewayToolHost({
    sessions: {} as SessionStore,
    agents: () => ({ agents: [], defaultAgentId: "main", providers: new Map() }),
    config: () => {
      throw new Error("not read");
    },
    stateDir: "/nonexistent",
    cron: () => lent.scheduler,
  });
  assert.equal(host.cron, undefined);
  lent.scheduler = new FakeCron();
  assert.equal(host.cron, lent.scheduler);
});
