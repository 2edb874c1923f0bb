import assert from "node:assert/strict";
import { isRunnableModelApi, modelConfigProblems } from "../../src/config/model_apis.ts";

Deno.test("isRunnableModelApi() accepts the OpenAI-compatible and Anthropic wire APIs only", () => {
  for (const api of ["openai-completions", "anthropic-messages", "ollama"]) assert.ok(isRunnableModelApi(api), api);
  for (const api of ["openai-responses", "google-generative-ai", "bedrock-converse-stream"]) {
    assert.equal(isRunnableModelApi(api), false, api);
  }
});

Deno.test("modelConfigProblems() flags an api the reference accepts but this gateway cannot run", () => {
  const problems = modelConfigProblems({
    models: {
      providers: {
        ok: { baseUrl: "http://127.0.0.1:1/v1", models: ["m1"] },
        resp: { baseUrl: "http://127.0.0.1:2/v1", api: "openai-responses", models: ["m2"] },
      },
    },
    agents: { defaults: { model: "ok/m1" } },
  });
  assert.deepEqual(problems.map((p) => p.path), ["models.providers.resp.api"]);
  assert.match(problems[0]!.message, /api "openai-responses", which this gateway cannot run/);
});

Deno.test("modelConfigProblems() names a model without a provider, and one whose provider is not declared", () => {
  const problems = modelConfigProblems({
    agents: { defaults: { model: { primary: "m1" } }, list: [{ id: "ops", model: "cloud/big" }] },
  });
  assert.deepEqual(problems.map((p) => p.path), ["agents.defaults.model", "agents.list.0.model"]);
  assert.match(problems[0]!.message, /Model "m1" \(agents\.defaults\.model\) names no provider/);
  assert.match(problems[1]!.message, /provider cloud, which is not declared; add models\.providers\.cloud/);
  // A bare id that exactly one provider lists runs there: no problem.
  assert.deepEqual(
    modelConfigProblems({
      agents: { defaults: { model: "m1" } },
      models: { providers: { local: { baseUrl: "http://x/v1", models: [{ id: "m1" }] } } },
    }),
    [],
  );
});
