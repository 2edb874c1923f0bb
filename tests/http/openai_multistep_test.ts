import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import type { ToolFamily, ToolHost } from "../../src/agent/tool.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { type OpenAiDeps, openAiRoutes } from "../../src/http/openai.ts";
import { responsesRoutes } from "../../src/http/responses.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

const echo: ToolFamily = () => [{
  name: "echo",
  description: "echo",
  parameters: { type: "object", properties: {} },
  execute: () => Promise.resolve({ content: [{ type: "text", text: "ok" }] }),
}];

Deno.test("/v1 endpoints answer a multi-step run with the same text streamed and not: every step's, a blank line apart", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-v1-steps-" });
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["m"] } } },
        agents: { defaults: { model: { primary: "fake/m" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const sessions = new SessionStore(stateDir);
    const config = { toolPolicy: { global: {}, agents: {} } } as unknown as ResolvedConfig;
    const toolHost: ToolHost = { sessions, agents: () => agents, config: () => config, stateDir };
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {}, toolHost, toolFamilies: [echo] });
    const deps = {
      enabled: () => ({ chatCompletions: true, responses: true }),
      authorize: () => ({ ok: true }),
      agents: () => agents,
      startRun: (request: Parameters<AgentRuns["start"]>[0]) => runs.start(request),
      abortRun: (runId: string) => void runs.abort({ runId }),
      embed: () => Promise.reject(new Error("no embeddings here")),
    } as unknown as OpenAiDeps;
    const chat = openAiRoutes(deps);
    const responses = responsesRoutes(deps);
    const env = { remoteAddr: "127.0.0.1" };
    const steps = [{ text: "Looking.", toolCalls: [{ name: "echo", args: {} }] }, { text: "Done." }];
    const post = (body: unknown) => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const events = (text: string) =>
      text.split("\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)));
    const expected = "Looking.\n\nDone.";

    upstream.script("m", steps);
    const plain = await (await chat.request(
      "/v1/chat/completions",
      post({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
      env,
    )).json();
    assert.equal(plain.choices[0].message.content, expected);

    upstream.script("m", steps);
    const streamed = await (await chat.request(
      "/v1/chat/completions",
      post({ model: "openclaw", stream: true, messages: [{ role: "user", content: "hi" }] }),
      env,
    )).text();
    assert.equal(events(streamed).map((c) => c.choices?.[0]?.delta?.content ?? "").join(""), expected);

    upstream.script("m", steps);
    const plainResponse =
      await (await responses.request("/v1/responses", post({ model: "openclaw", input: "hi" }), env))
        .json();
    assert.equal(plainResponse.output[0].content[0].text, expected);

    upstream.script("m", steps);
    const streamedResponse = events(
      await (await responses.request("/v1/responses", post({ model: "openclaw", stream: true, input: "hi" }), env))
        .text(),
    );
    const deltas = streamedResponse.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta);
    assert.equal(deltas.join(""), expected);
    assert.equal(streamedResponse.find((e) => e.type === "response.output_text.done")?.text, expected);
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
