import assert from "node:assert/strict";
import { agentEmbedder } from "../../../src/agent/memory/agent_memory.ts";
import { resolveAgents } from "../../../src/config/resolve_agents.ts";

const providers = { models: { providers: { emb: { baseUrl: "http://127.0.0.1:9/v1", models: ["e1"] } } } };

function embedderFor(config: Record<string, unknown>) {
  const agents = resolveAgents({ ...providers, ...config } as never, "/state", "/home/test");
  const embedder = agentEmbedder(agents.agents[0]!, agents.providers);
  return embedder && [embedder.provider, embedder.model];
}

Deno.test("the embedding model: memory.search.provider/model, else the agent's memorySearch; none means keywords only", () => {
  assert.equal(embedderFor({}), undefined);
  assert.deepEqual(embedderFor({ agents: { defaults: { memorySearch: { provider: "emb", model: "e1" } } } }), [
    "emb",
    "e1",
  ]);
  assert.deepEqual(embedderFor({ memory: { search: { provider: "emb", model: "e2" } } }), ["emb", "e2"]);
  assert.equal(
    embedderFor({
      memory: { search: { provider: "none" } },
      agents: { defaults: { memorySearch: { provider: "emb", model: "e1" } } },
    }),
    undefined,
  );
  assert.equal(
    embedderFor({ memory: { search: { provider: "openai", model: "x" } } }),
    undefined,
    "an unknown provider",
  );
  assert.deepEqual(
    embedderFor({
      memory: { search: { provider: "none" } },
      agents: { list: [{ id: "main", memory: { search: { provider: "emb", model: "e3" } } }] },
    }),
    ["emb", "e3"],
    "the agent's own memory.search wins",
  );
});
