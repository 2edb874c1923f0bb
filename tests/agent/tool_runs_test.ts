import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import type { ToolFamily, ToolHost } from "../../src/agent/tool.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { until } from "../support/until.ts";

Deno.test("an abort during a tool call stops the tool and the run; the call keeps the reference's aborted result", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-tool-runs-" });
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["waits"] } } },
        agents: { defaults: { model: { primary: "fake/waits" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const sessions = new SessionStore(stateDir);
    const config = { toolPolicy: { global: {}, agents: {} } } as unknown as ResolvedConfig;
    const toolHost: ToolHost = { sessions, agents: () => agents, config: () => config, stateDir };
    let toolSignal: AbortSignal | undefined;
    const waiting: ToolFamily = () => [{
      name: "wait_forever",
      description: "Waits until aborted.",
      parameters: { type: "object", properties: {} },
      execute: (_args, call) => {
        toolSignal = call.signal;
        return new Promise(() => {});
      },
    }];
    const events: Record<string, unknown>[] = [];
    const runs = new AgentRuns({
      sessions,
      agents: () => agents,
      emit: (_event, payload) => events.push(payload),
      toolHost,
      toolFamilies: [waiting],
    });
    upstream.script("waits", [
      { text: "Waiting.", toolCalls: [{ id: "w1", name: "wait_forever", args: {} }] },
      { text: "Resumed." },
    ]);
    const started = runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "go", idempotencyKey: "r1" });
    assert.equal(started.kind, "accepted");
    await until(() => toolSignal !== undefined, "the tool to start");
    assert.deepEqual(runs.abort({ runId: "r1" }), ["r1"]);
    if (started.kind !== "accepted") return;
    const outcome = await started.done;
    assert.equal(outcome.status, "aborted");
    assert.equal(toolSignal!.aborted, true, "the running tool saw the abort");
    assert.equal(upstream.requestsOf("waits").length, 1, "no model step after the abort");

    const { messages } = await sessions.history("agent:main:main", "main");
    assert.deepEqual(messages.map((m) => m.role), ["user", "assistant", "toolResult"]);
    assert.deepEqual(messages[1]!.content, [
      { type: "text", text: "Waiting." },
      { type: "toolCall", id: "w1", name: "wait_forever", arguments: {} },
    ]);
    assert.deepEqual(messages[2]!.content, [{ type: "text", text: "Operation aborted" }]);
    assert.equal(messages[2]!.isError, true);
    const results = events.filter((e) => e.stream === "tool" && (e.data as { phase: string }).phase === "result");
    assert.equal((results[0]!.data as { isError: boolean }).isError, true);

    // The next run sends the call and its aborted result back to the model.
    const next = runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "again", idempotencyKey: "r2" });
    if (next.kind !== "accepted") throw new Error("not accepted");
    assert.equal((await next.done).status, "ok");
    const replay = upstream.requestsOf("waits")[1] as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(replay.messages.map((m) => m.role), ["system", "user", "assistant", "tool", "user"]);
    assert.equal(replay.messages[3]!.content, "Operation aborted");
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a tool call knows its run: ids, workspace, owner flag and the channel origin of the message", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-tool-runs-" });
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["ctx"] } } },
        agents: { defaults: { model: { primary: "fake/ctx" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const sessions = new SessionStore(stateDir);
    const config = { toolPolicy: { global: {}, agents: {} } } as unknown as ResolvedConfig;
    const seen: Record<string, unknown>[] = [];
    const recording: ToolFamily = () => [{
      name: "whoami",
      description: "Says who called.",
      parameters: { type: "object", properties: {} },
      execute: (_args, call) => {
        const { runId, toolCallId, agentId, sessionKey, workspace, senderIsOwner, origin } = call;
        seen.push({ runId, toolCallId, agentId, sessionKey, workspace, senderIsOwner, origin });
        return Promise.resolve({ content: [{ type: "text", text: "you" }] });
      },
    }];
    const runs = new AgentRuns({
      sessions,
      agents: () => agents,
      emit: () => {},
      toolHost: { sessions, agents: () => agents, config: () => config, stateDir },
      toolFamilies: [recording],
    });
    upstream.script("ctx", [{ toolCalls: [{ id: "who", name: "whoami", args: {} }] }, { text: "ok" }]);
    const origin = { channel: "telegram", accountId: "default", to: "4242", from: "ann" };
    const started = runs.start({
      agentId: "main",
      sessionKey: "agent:main:telegram:direct:4242",
      message: "who am I?",
      idempotencyKey: "ctx-1",
      senderIsOwner: false,
      origin,
    });
    if (started.kind !== "accepted") throw new Error("not accepted");
    assert.equal((await started.done).status, "ok");
    assert.deepEqual(seen, [{
      runId: "ctx-1",
      toolCallId: "who",
      agentId: "main",
      sessionKey: "agent:main:telegram:direct:4242",
      workspace: agents.agents[0]!.workspace,
      senderIsOwner: false,
      origin,
    }]);
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
