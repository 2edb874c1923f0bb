import assert from "node:assert/strict";
import { agentsFromConfig, parseModelRef } from "../../src/agent/agents_config.ts";

Deno.test("agentsFromConfig() gives one default agent, main, when none are declared", () => {
  const config = agentsFromConfig({}, "/s", "/home/test");
  assert.deepEqual(config.agents.map((a) => [a.id, a.isDefault, a.workspace]), [["main", true, "/s/workspace"]]);
  assert.equal(config.defaultAgentId, "main");
});

Deno.test("agentsFromConfig() reads entries, per-agent models, embeddings and providers", () => {
  const config = agentsFromConfig(
    {
      agents: {
        defaults: { model: { primary: "local/m1" }, memorySearch: { provider: "local", model: "e1" } },
        entries: { main: {}, ops: { default: true, model: "cloud/big", workspace: "/w/ops" } },
      },
      models: { providers: { local: { baseUrl: "http://127.0.0.1:11434/v1/", models: ["m1", { id: "m2" }] } } },
    } as never,
    "/s",
    "/home/test",
  );
  assert.equal(config.defaultAgentId, "ops");
  const [main, ops] = config.agents;
  assert.deepEqual(main!.model, { provider: "local", model: "m1" });
  assert.deepEqual(ops!.model, { provider: "cloud", model: "big" });
  assert.equal(ops!.workspace, "/w/ops");
  assert.deepEqual(main!.embedding, { provider: "local", model: "e1" });
  const local = config.providers.get("local")!;
  assert.equal(local.baseUrl, "http://127.0.0.1:11434/v1");
  assert.deepEqual(local.models, ["m1", "m2"]);
});

Deno.test("parseModelRef() accepts provider/model, models with slashes, and {primary}", () => {
  assert.deepEqual(parseModelRef("openai/gpt-4o"), { provider: "openai", model: "gpt-4o" });
  assert.deepEqual(parseModelRef({ primary: "ollama/library/llama3" }), {
    provider: "ollama",
    model: "library/llama3",
  });
  assert.equal(parseModelRef("nope"), undefined);
  assert.equal(parseModelRef("/x"), undefined);
});

Deno.test("agentsFromConfig() runs a model written without its provider on the one provider that lists it", () => {
  const config = agentsFromConfig(
    {
      agents: { defaults: { model: { primary: "m1" } } },
      models: { providers: { local: { baseUrl: "http://127.0.0.1:1/v1", models: ["m1"] } } },
    } as never,
    "/s",
    "/home/test",
  );
  assert.deepEqual(config.agents[0]!.model, { provider: "local", model: "m1" });
  assert.equal(config.agents[0]!.modelProblem, undefined);
});

Deno.test("agentsFromConfig() names the missing provider of a bare model id it cannot resolve", () => {
  const unknown = agentsFromConfig({ agents: { defaults: { model: { primary: "m1" } } } } as never, "/s", "/home/test");
  assert.equal(unknown.agents[0]!.model, undefined);
  assert.match(unknown.agents[0]!.modelProblem!, /^Model "m1" \(agents\.defaults\.model\) names no provider/);
  assert.match(unknown.agents[0]!.modelProblem!, /Write it as "<provider>\/m1"/);
  const ambiguous = agentsFromConfig(
    {
      agents: { defaults: { model: "m1" } },
      models: {
        providers: { a: { baseUrl: "http://a/v1", models: ["m1"] }, b: { baseUrl: "http://b/v1", models: ["m1"] } },
      },
    } as never,
    "/s",
    "/home/test",
  );
  assert.match(ambiguous.agents[0]!.modelProblem!, /several providers list it \(a, b\)/);
});

Deno.test("agentsFromConfig() reads model fallbacks: the defaults', an agent's own, strict for an own primary", () => {
  const config = agentsFromConfig(
    {
      agents: {
        defaults: { model: { primary: "p/a", fallbacks: ["p/b", "bad", "q/c"] } },
        entries: {
          main: {},
          ops: { model: "p/x" },
          own: { model: { fallbacks: ["q/d"] } },
          none: { model: { primary: "p/a", fallbacks: [] } },
        },
      },
    },
    "/s",
    "/home/test",
  );
  const byId = new Map(config.agents.map((a) => [a.id, a]));
  assert.deepEqual(byId.get("main")!.fallbacks, [{ provider: "p", model: "b" }, { provider: "q", model: "c" }]);
  assert.deepEqual(byId.get("ops")!.fallbacks, []);
  assert.deepEqual(byId.get("own")!.model, { provider: "p", model: "a" });
  assert.deepEqual(byId.get("own")!.fallbacks, [{ provider: "q", model: "d" }]);
  assert.deepEqual(byId.get("none")!.fallbacks, []);
});
