import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { resolveModels } from "../../../src/config/resolve_agents.ts";
import { modelsMethods } from "../../../src/rpc/methods/models.ts";
import { payloadOf } from "../../support/method_call.ts";
import { policyConfig } from "../../support/model_policy_cases.ts";

type Listed = { models: Record<string, unknown>[] };

function methodsFor(name: string) {
  const config = policyConfig(name) as never;
  const agents = agentsFromConfig(config, "/tmp/oc-models-unused", "/home/test");
  return modelsMethods({ agents: () => agents, models: () => resolveModels(config) });
}

Deno.test("models.list shows an agent's allowed rows with their alias and role tags; view all shows everything", async () => {
  const methods = methodsFor("policy");
  const main = (await payloadOf(methods, "models.list", { agentId: "main" })) as Listed;
  assert.deepEqual(main.models.map((m) => `${m.provider}/${m.id}`), ["fake/gpt-large", "fake/m1", "fake/m2-mini"]);
  const m1 = main.models[1]!;
  assert.equal(m1.alias, "one");
  assert.deepEqual(m1.tags, ["default", "configured"]);
  assert.equal("alias" in main.models[2]!, false);
  assert.equal("tags" in main.models[2]!, false);
  const ops = (await payloadOf(methods, "models.list", { agentId: "ops" })) as Listed;
  assert.deepEqual(ops.models.map((m) => `${m.provider}/${m.id}`), ["fake/m1", "other/o2"]);
  assert.deepEqual([ops.models[1]!.alias, ops.models[1]!.tags], ["two", ["configured"]]);
  const all = (await payloadOf(methods, "models.list", { agentId: "main", view: "all" })) as Listed;
  assert.equal(all.models.length, 7);
});

Deno.test("models.list's configured view says which rows a session may pick by hand", async () => {
  const methods = methodsFor("nested");
  const listed = (await payloadOf(methods, "models.list", { agentId: "main", view: "configured" })) as Listed;
  assert.deepEqual(
    listed.models.map((m) => [`${m.provider}/${m.id}`, m.manualSelectionAllowed]),
    [["fake/m1", true], ["other/ns/a", true]],
  );
});
