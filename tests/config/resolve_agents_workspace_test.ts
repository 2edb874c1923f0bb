import assert from "node:assert/strict";
import { resolveAgents } from "../../src/config/resolve_agents.ts";
import { agentWorkspace } from "../../src/config/agent_roster.ts";
import type { RawConfig } from "../../src/config/schema.ts";

Deno.test("resolveAgents(): a workspace written with ~ is under the operator's home, as the reference expands it", () => {
  const agents = {
    defaults: { workspace: "~/assistant" },
    entries: { main: { default: true }, work: { workspace: " ~/work " } },
  };
  const resolved = resolveAgents({ agents }, "/home/ann/.openclaw", "/home/ann").agents;
  assert.deepEqual(resolved.map((agent) => [agent.id, agent.workspace]), [
    ["main", "/home/ann/assistant"],
    ["work", "/home/ann/work"],
  ]);
});

Deno.test("resolveAgents(): workspaces are the ones `agents list` shows (agentWorkspace), for owner and non-owner agents", () => {
  const configs: RawConfig[] = [
    { agents: { defaults: { workspace: "/srv/ws" }, entries: { main: { default: true }, ops: {}, qa: {} } } },
    { agents: { entries: { main: {}, ops: {} } } },
    { agents: { list: [{ id: "solo" }] } },
    {},
  ];
  for (const config of configs) {
    const paths = { stateDir: "/home/ann/.openclaw", home: "/home/ann" };
    for (const agent of resolveAgents(config, paths.stateDir, paths.home).agents) {
      assert.equal(
        agent.workspace,
        agentWorkspace(config, agent.id, paths),
        `${agent.id} in ${JSON.stringify(config)}`,
      );
    }
  }
  // A non-owner agent under agents.defaults.workspace gets its own folder inside it, as the reference's.
  const ops = resolveAgents(configs[0]!, "/s", "/h").agents.find((agent) => agent.id === "ops")!;
  assert.equal(ops.workspace, "/srv/ws/ops");
});
