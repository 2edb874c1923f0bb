import assert from "node:assert/strict";
import { resolveAgents } from "../../src/config/resolve_agents.ts";

Deno.test("resolveAgents(): a workspace written with ~ is under the operator's home, as the reference expands it", () => {
  const agents = { defaults: { workspace: "~/assistant" }, entries: { main: {}, work: { workspace: " ~/work " } } };
  const resolved = resolveAgents({ agents }, "/home/ann/.openclaw", "/home/ann").agents;
  assert.deepEqual(resolved.map((agent) => [agent.id, agent.workspace]), [
    ["main", "/home/ann/assistant"],
    ["work", "/home/ann/work"],
  ]);
  // Without a home (callers that only know the state dir) the text is kept as written.
  assert.equal(resolveAgents({ agents }, "/s").agents[0]!.workspace, "~/assistant");
});
