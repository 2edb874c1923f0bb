import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunOutcome, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { type OpenAiDeps, openAiRoutes } from "../../src/http/openai.ts";
import { responsesRoutes } from "../../src/http/responses.ts";
import { okOutcome } from "../support/chat_api_app.ts";

/** Routes over a run engine whose runs reach their model request after a chain of awaits, as real runs do. */
function routes() {
  const progress = { requestSent: false, cancelled: 0 };
  const deps: OpenAiDeps = {
    enabled: () => ({ chatCompletions: true, responses: true }),
    authorize: () => ({ ok: true }),
    agents: () => agentsFromConfig({}, "/nonexistent", "/home/test"),
    startRun: (request: RunRequest): StartResult => {
      const done = (async (): Promise<RunOutcome> => {
        for (let i = 0; i < 100; i++) await Promise.resolve();
        progress.requestSent = true;
        request.onDelta?.("hi");
        return okOutcome(request, "hi");
      })();
      return { kind: "accepted", runId: request.idempotencyKey, acceptedAt: 0, done };
    },
    abortRun: () => progress.cancelled++,
    embed: () => Promise.reject(new Error("not used")),
  };
  return { progress, chat: openAiRoutes(deps), responses: responsesRoutes(deps) };
}

const env = { remoteAddr: "127.0.0.1" };

Deno.test("streamed answers are handed to the server only after the run has had its turn to send the model request", async () => {
  for (
    const [path, body] of [
      ["/v1/chat/completions", { stream: true, messages: [{ role: "user", content: "x" }] }],
      ["/v1/responses", { stream: true, model: "openclaw", input: "x" }],
    ] as const
  ) {
    const { progress, chat, responses } = routes();
    const app = path === "/v1/responses" ? responses : chat;
    const response = await app.request(path, { method: "POST", body: JSON.stringify(body) }, env);
    // Handing the response over first made the server's streaming work delay the upstream request.
    assert.ok(progress.requestSent, `${path}: the run reached its model request first`);
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /"hi"/, `${path}: the delta is streamed`);
    assert.equal(progress.cancelled, 0);
  }
});
