import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import type { ToolFamily, ToolHost } from "../../src/agent/tool.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("a run's toolsAllow narrows its tools, lightContext drops the bootstrap files, fallbacks replace the agent's", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-run-options-" });
  const sessions = new SessionStore(stateDir);
  try {
    const workspace = `${stateDir}/ws`;
    await Deno.mkdir(workspace, { recursive: true });
    await Deno.writeTextFile(`${workspace}/AGENTS.md`, "BOOTSTRAP-MARKER");
    const agents = agentsFromConfig(
      {
        models: {
          providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["a", "b", "limited-x"] } },
        },
        agents: { defaults: { model: { primary: "fake/a" }, workspace } },
      } as never,
      stateDir,
      "/home/test",
    );
    const config = { toolPolicy: { global: {}, agents: {} } } as unknown as ResolvedConfig;
    const toolHost: ToolHost = { sessions, agents: () => agents, config: () => config, stateDir };
    const family: ToolFamily = () =>
      ["read", "exec", "web_fetch"].map((name) => ({
        name,
        description: name,
        parameters: { type: "object", properties: {} },
        execute: () => Promise.resolve({ content: [{ type: "text" as const, text: "" }] }),
      }));
    const runs = new AgentRuns({
      sessions,
      agents: () => agents,
      emit: () => {},
      toolHost,
      toolFamilies: [family],
      // The rate-limited model fails over at once instead of after its same-model retries (2.5 min of backoff).
      providerRetry: () => Promise.resolve({ maxRetries: 0, maxRetryDelayMs: 60_000 }),
    });
    upstream.script("a", [{ text: "A." }]);
    upstream.script("b", [{ text: "B." }]);
    const run = async (key: string, extra: Partial<RunRequest>) => {
      const started = runs.start({ agentId: "main", sessionKey: key, message: "go", idempotencyKey: key, ...extra });
      assert.equal(started.kind, "accepted");
      return started.kind === "accepted" ? await started.done : undefined;
    };
    await run("agent:main:cron:one", {});
    await run("agent:main:cron:two", { toolsAllow: ["read", "group:web"], lightContext: true });
    const [full, narrowed] = upstream.requestsOf("a") as {
      tools?: { function: { name: string } }[];
      messages: { role: string; content: unknown }[];
    }[];
    const names = (body: typeof full) => (body!.tools ?? []).map((tool) => tool.function.name).sort();
    const system = (body: typeof full) => JSON.stringify(body!.messages.filter((m) => m.role === "system"));
    assert.deepEqual(names(full), ["exec", "read", "web_fetch"]);
    assert.match(system(full), /BOOTSTRAP-MARKER/);
    assert.deepEqual(names(narrowed), ["read", "web_fetch"]);
    assert.doesNotMatch(system(narrowed), /BOOTSTRAP-MARKER/);
    const failedOver = await run("agent:main:cron:three", {
      model: { provider: "fake", model: "limited-x" },
      fallbacks: [{ provider: "fake", model: "b" }],
    });
    assert.equal(failedOver?.text, "B.");
    assert.equal(failedOver?.model, "b");
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a run's toolsAllow never widens the agent's tool policy (a denied tool stays out, `*` adds nothing)", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-run-widen-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["a"] } } },
        agents: { defaults: { model: { primary: "fake/a" }, workspace: `${stateDir}/ws` } },
      } as never,
      stateDir,
      "/home/test",
    );
    const config = { toolPolicy: { global: { deny: ["exec"] }, agents: {} } } as unknown as ResolvedConfig;
    const toolHost: ToolHost = { sessions, agents: () => agents, config: () => config, stateDir };
    const family: ToolFamily = () =>
      ["read", "exec"].map((name) => ({
        name,
        description: name,
        parameters: { type: "object", properties: {} },
        execute: () => Promise.resolve({ content: [{ type: "text" as const, text: "" }] }),
      }));
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {}, toolHost, toolFamilies: [family] });
    upstream.script("a", [{ text: "A." }]);
    for (const toolsAllow of [["exec", "read"], ["group:runtime"], ["*"]]) {
      const key = `agent:main:cron:${toolsAllow.join("-")}`;
      const started = runs.start({ agentId: "main", sessionKey: key, message: "go", idempotencyKey: key, toolsAllow });
      if (started.kind === "accepted") await started.done;
    }
    const names = (upstream.requestsOf("a") as { tools?: { function: { name: string } }[] }[])
      .map((body) => (body.tools ?? []).map((tool) => tool.function.name).sort());
    assert.deepEqual(names, [["read"], [], ["read"]]);
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
