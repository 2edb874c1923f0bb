// `webSearch.status` in the reference's shape for an agent whose tools leave web search out.
import assert from "node:assert/strict";
import { webSearchMethods } from "../../../src/rpc/methods/web_search.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = webSearchMethods({
  agent: (agentId) =>
    agentId === undefined || agentId === "main"
      ? { id: "main", model: { provider: "fake", model: "m1" } }
      : agentId === "bare"
      ? { id: "bare", model: undefined }
      : undefined,
});

Deno.test("webSearch.status: no providers, search disabled by the agent's tools, the agent's own model", async () => {
  assert.deepEqual(await payloadOf(table, "webSearch.status", { agentId: "main" }), {
    enabled: true,
    provider: null,
    agentId: "main",
    model: { provider: "fake", id: "m1", runtime: "unknown", runtimeLabel: "Not resolved" },
    providers: [],
    route: {
      kind: "disabled",
      label: "Search disabled",
      testable: false,
      reason: "The agent's tool policy does not allow web search.",
    },
  });
  const asked = await payloadOf(table, "webSearch.status", { modelProvider: "x", modelId: "y" });
  assert.deepEqual((asked as { model: unknown }).model, {
    provider: "x",
    id: "y",
    runtime: "unknown",
    runtimeLabel: "Not resolved",
  });
  const bare = await payloadOf(table, "webSearch.status", { agentId: "bare" });
  assert.deepEqual((bare as { model: { provider: string } }).model.provider, "openai");
});

Deno.test("webSearch.status: refusals as the reference words them", async () => {
  const half = await callMethod(table, "webSearch.status", { modelProvider: "x" });
  assert.equal(!half.ok && half.error.message, "modelProvider and modelId must be supplied together.");
  const unknown = await callMethod(table, "webSearch.status", { agentId: "ops" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "ops"');
  const blank = await callMethod(table, "webSearch.status", { agentId: " " });
  assert.equal(!blank.ok && blank.error.code, "INVALID_REQUEST");
});
