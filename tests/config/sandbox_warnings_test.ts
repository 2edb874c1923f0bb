import assert from "node:assert/strict";
import { resolveAgents } from "../../src/config/resolve_agents.ts";
import { sandboxNetworkWarnings } from "../../src/config/sandbox_warnings.ts";

Deno.test("a sandbox network other than none is named at start: host loopback is reachable", () => {
  const agents = resolveAgents(
    {
      agents: {
        defaults: { sandbox: { mode: "all", docker: { network: "none" } } },
        list: [
          { id: "main" },
          { id: "web", sandbox: { docker: { network: "bridge" } } },
          { id: "off", sandbox: { mode: "off", docker: { network: "bridge" } } },
          { id: "host", sandbox: { docker: { network: "host" } } },
        ],
      },
    },
    "/state",
    "/home/test",
  );
  const warnings = sandboxNetworkWarnings(agents);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^agent "web": sandbox docker\.network "bridge" shares the gateway host's network/);
  assert.match(warnings[0]!, /loopback services/);
});
