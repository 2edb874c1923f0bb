import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import type { ToolFamily, ToolHost } from "../../src/agent/tool.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { until } from "../support/until.ts";

async function setup(api: string, model: string, family: ToolFamily) {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-loop-review-" });
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: upstream.url, api, apiKey: "sk-test", models: [model] } } },
      agents: { defaults: { model: { primary: `fake/${model}` } } },
    } as never,
    stateDir,
    "/home/test",
  );
  const sessions = new SessionStore(stateDir);
  const config = { toolPolicy: { global: {}, agents: {} } } as unknown as ResolvedConfig;
  const toolHost: ToolHost = { sessions, agents: () => agents, config: () => config, stateDir };
  const events: Record<string, unknown>[] = [];
  const runs = new AgentRuns({
    sessions,
    agents: () => agents,
    emit: (_e, p) => events.push(p),
    toolHost,
    toolFamilies: [family],
  });
  const run = async (message: string, idempotencyKey: string) => {
    const started = runs.start({ agentId: "main", sessionKey: "agent:main:main", message, idempotencyKey });
    if (started.kind !== "accepted") throw new Error("not accepted");
    return await started.done;
  };
  const cleanup = async () => {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  };
  return { upstream, stateDir, sessions, runs, run, events, cleanup };
}

Deno.test("a huge tool result is capped before the prompt, the transcript and the events see it", async () => {
  const big: ToolFamily = () => [{
    name: "big",
    description: "big",
    parameters: { type: "object", properties: {} },
    execute: () => Promise.resolve({ content: [{ type: "text", text: "x".repeat(1_000_000) }] }),
  }];
  const t = await setup("openai-completions", "big", big);
  try {
    t.upstream.script("big", [{ toolCalls: [{ id: "b1", name: "big", args: {} }] }, { text: "done" }]);
    assert.equal((await t.run("go", "r1")).status, "ok");
    // No catalog entry: the reference's default window (200k tokens) allows 64k characters.
    const step2 = t.upstream.requestsOf("big")[1] as { messages: { role: string; content?: string }[] };
    const sent = String(step2.messages.find((m) => m.role === "tool")?.content);
    assert.ok(sent.length <= 64_000, String(sent.length));
    assert.match(sent, /more characters truncated; rerun with narrower args if needed\]$/);
    const { messages } = await t.sessions.history("agent:main:main", "main");
    const stored = messages.find((m) => m.role === "toolResult")!.content as { text: string }[];
    assert.equal(stored[0]!.text, sent);
    const result = t.events.find((e) => e.stream === "tool" && (e.data as { phase: string }).phase === "result");
    const shown = (result!.data as { result: { content: { text: string }[] } }).result.content[0]!.text;
    assert.equal(shown, sent);
  } finally {
    await t.cleanup();
  }
});

Deno.test("a tool call is in the transcript while its tool runs", async () => {
  let release: (() => void) | undefined;
  const slow: ToolFamily = () => [{
    name: "slow",
    description: "slow",
    parameters: { type: "object", properties: {} },
    execute: () =>
      new Promise((resolve) => {
        release = () => resolve({ content: [{ type: "text", text: "sent" }] });
      }),
  }];
  const t = await setup("openai-completions", "slowm", slow);
  try {
    t.upstream.script("slowm", [
      { text: "Sending now.", toolCalls: [{ id: "s1", name: "slow", args: { to: "bob" } }] },
      { text: "done" },
    ]);
    const started = t.runs.start({
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "go",
      idempotencyKey: "r1",
    });
    await until(() => release !== undefined, "the tool to start");
    // Read by a store of its own, as a restarted gateway would.
    const mid = await new SessionStore(t.stateDir).history("agent:main:main", "main");
    assert.deepEqual(mid.messages.map((m) => m.role), ["user", "assistant"]);
    assert.deepEqual((mid.messages[1]!.content as { type: string }[]).map((c) => c.type), ["text", "toolCall"]);
    release!();
    if (started.kind === "accepted") assert.equal((await started.done).status, "ok");
    const end = await t.sessions.history("agent:main:main", "main");
    assert.deepEqual(end.messages.map((m) => m.role), ["user", "assistant", "toolResult", "assistant"]);
  } finally {
    await t.cleanup();
  }
});

const echo: ToolFamily = () => [{
  name: "echo",
  description: "echo",
  parameters: { type: "object", properties: {} },
  execute: (args) => Promise.resolve({ content: [{ type: "text", text: JSON.stringify(args) }] }),
}];

Deno.test("repeated tool-call ids in one step become unique, in the run and on replay", async () => {
  // The Anthropic wire passes ids through as the provider sent them (the OpenAI SDK renames repeats itself).
  const t = await setup("anthropic-messages", "dup", echo);
  try {
    t.upstream.script("dup", [
      { toolCalls: [{ id: "same", name: "echo", args: { n: 1 } }, { id: "same", name: "echo", args: { n: 2 } }] },
      { text: "done" },
      { text: "again" },
    ]);
    assert.equal((await t.run("go", "r1")).status, "ok");
    assert.equal((await t.run("again", "r2")).status, "ok");
    type Block = { type: string; id?: string; "tool_use_id"?: string; content?: unknown };
    type Req = { messages: { role: string; content: string | Block[] }[] };
    for (const request of t.upstream.requestsOf("dup").slice(1) as Req[]) {
      const blocks = request.messages.flatMap((m) => typeof m.content === "string" ? [] : m.content);
      assert.deepEqual(blocks.filter((b) => b.type === "tool_use").map((b) => b.id), ["same", "same_2"]);
      const results = blocks.filter((b) => b.type === "tool_result").map((
        b,
      ) => [b.tool_use_id, JSON.stringify(b.content)]);
      assert.equal(results.length, 2);
      assert.deepEqual(results.map(([id]) => id), ["same", "same_2"]);
      assert.ok(results[1]![1]!.includes('n\\":2'), results[1]![1]!);
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("an id from an OpenAI-compatible provider is replayed to Anthropic in a form it accepts", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-loop-review-" });
  try {
    const agents = agentsFromConfig(
      {
        models: {
          providers: {
            oa: { baseUrl: upstream.url, api: "openai-completions", models: ["kimi"] },
            an: { baseUrl: upstream.url, api: "anthropic-messages", apiKey: "k", models: ["claude"] },
          },
        },
        agents: { defaults: { model: { primary: "oa/kimi" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const sessions = new SessionStore(stateDir);
    const config = { toolPolicy: { global: {}, agents: {} } } as unknown as ResolvedConfig;
    const toolHost: ToolHost = { sessions, agents: () => agents, config: () => config, stateDir };
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {}, toolHost, toolFamilies: [echo] });
    upstream.script("kimi", [{ toolCalls: [{ id: "functions.echo:0", name: "echo", args: {} }] }, { text: "done" }]);
    upstream.script("claude", [{ text: "hi" }]);
    const first = runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "go", idempotencyKey: "r1" });
    if (first.kind === "accepted") assert.equal((await first.done).status, "ok");
    const second = runs.start({
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "again",
      idempotencyKey: "r2",
      model: { provider: "an", model: "claude" },
    });
    if (second.kind === "accepted") assert.equal((await second.done).status, "ok");
    type Block = { type: string; id?: string; "tool_use_id"?: string };
    const request = upstream.requestsOf("claude")[0] as { messages: { content: string | Block[] }[] };
    const blocks = request.messages.flatMap((m) => typeof m.content === "string" ? [] : m.content);
    const use = blocks.find((b) => b.type === "tool_use");
    const result = blocks.find((b) => b.type === "tool_result");
    assert.equal(use?.id, "functionsecho0");
    assert.equal(result?.tool_use_id, "functionsecho0");
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
