import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunRequest, StartResult } from "../../src/agent/runs.ts";
import { type OpenAiDeps, openAiRoutes } from "../../src/http/openai.ts";
import { responsesRoutes } from "../../src/http/responses.ts";
import { okOutcome } from "../support/chat_api_app.ts";

/** Routes over a config whose policy allows only `fake/a`, recording the runs they start. */
function routes() {
  const started: RunRequest[] = [];
  const agents = agentsFromConfig(
    {
      models: {
        providers: { fake: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", models: ["a", "b"] } },
      },
      agents: { defaults: { model: { primary: "fake/a" }, modelPolicy: { allow: ["fake/a"] } } },
    } as never,
    "/nonexistent",
    "/home/test",
  );
  const deps: OpenAiDeps = {
    enabled: () => ({ chatCompletions: true, responses: true }),
    authorize: () => ({ ok: true }),
    agents: () => agents,
    startRun: (request: RunRequest): StartResult => {
      started.push(request);
      return {
        kind: "accepted",
        runId: request.idempotencyKey,
        acceptedAt: 0,
        done: Promise.resolve(okOutcome(request, "hi")),
      };
    },
    abortRun: () => {},
    embed: () => Promise.reject(new Error("not used")),
  };
  return { started, chat: openAiRoutes(deps), responses: responsesRoutes(deps) };
}

const env = { remoteAddr: "127.0.0.1" };
const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/model_policy/http_model_override.json", import.meta.url)),
);

Deno.test("x-openclaw-model naming a model the agent's policy forbids is a 400 in the reference's words, and no run starts", async () => {
  for (
    const [path, body] of [
      ["/v1/chat/completions", { messages: [{ role: "user", content: "x" }] }],
      ["/v1/responses", { model: "openclaw", input: "x" }],
    ] as const
  ) {
    const { started, chat, responses } = routes();
    const app = path === "/v1/responses" ? responses : chat;
    const refused = await app.request(path, {
      method: "POST",
      headers: { "x-openclaw-model": "Fake/b" },
      body: JSON.stringify(body),
    }, env);
    // The reference answers before any run (recorded: tests/fixtures/model_policy/http_model_override.json).
    assert.deepEqual({ status: refused.status, body: await refused.json() }, recorded[path]);
    assert.equal(started.length, 0, `${path}: no run started`);
    const allowed = await app.request(path, {
      method: "POST",
      headers: { "x-openclaw-model": "fake/a" },
      body: JSON.stringify(body),
    }, env);
    assert.equal(allowed.status, 200, path);
    assert.deepEqual(started.map((r) => r.model), [{ provider: "fake", model: "a" }], path);
  }
});
