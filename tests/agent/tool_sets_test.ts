// An agent's tools kept between runs (src/agent/tool_sets.ts): the same tools as building every family
// anew (agentTools), kept while the config snapshot, the agent and the scheduler are unchanged; a reload,
// a changed agent or the scheduler's start gives the next run the new tools; MCP tools are listed each run.
import assert from "node:assert/strict";
import { agentTools } from "../../src/agent/tool_catalog.ts";
import { sessionTools } from "../../src/agent/session_tools.ts";
import { keptAgentTools, type ToolSets } from "../../src/agent/tool_sets.ts";
import type { CronControl } from "../../src/agent/cron_control.ts";
import type { McpClientManager, McpServerTools } from "../../src/agent/mcp_manager.ts";
import type { AgentTool, ToolCall, ToolHost } from "../../src/agent/tool.ts";
import { ProcessRegistry } from "../../src/agent/process_registry.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import type { SessionStore } from "../../src/sessions/store.ts";
import { FakeCron } from "../support/fake_cron.ts";

const paths = resolvePaths({ env: { HOME: "/nonexistent-home" }, exists: () => false });
const BASE = {
  models: { providers: { fake: { baseUrl: "http://127.0.0.1:9/v1", models: ["m1"] } } },
  agents: { defaults: { model: { primary: "fake/m1" } }, list: [{ id: "main", default: true }, { id: "ops" }] },
};

function snapshot(extra: Record<string, unknown> = {}): ResolvedConfig {
  return resolveConfig({ paths, config: { ...BASE, ...extra } as never, env: {} });
}

/** A host over a config that a test replaces (a reload), with a scheduler and MCP servers it may lend later. */
function hostOf(state: { config: ResolvedConfig; cron?: CronControl; mcp?: McpClientManager }): ToolHost {
  return {
    sessions: {} as SessionStore,
    agents: () => state.config.agents,
    config: () => state.config,
    stateDir: "/nonexistent-state",
    send: () => Promise.resolve({}),
    runs: { start: () => ({ kind: "in_flight", runId: "x" }) },
    get cron() {
      return state.cron;
    },
    get mcp() {
      return state.mcp;
    },
  };
}

const names = (tools: readonly AgentTool[]) => tools.map((tool) => tool.name);

async function bothWays(sets: ToolSets, host: ToolHost, agentId = "main"): Promise<AgentTool[]> {
  const agent = host.agents().agents.find((a) => a.id === agentId)!;
  const kept = await keptAgentTools(sets, host, agent);
  assert.deepEqual(names(kept), names(await agentTools(host, agent)), "the same tools as built anew");
  return kept;
}

Deno.test("kept tools: the same as built anew, and the same objects while nothing changed", async () => {
  const state = { config: snapshot() };
  const host = hostOf(state);
  const sets: ToolSets = new WeakMap();
  const first = await bothWays(sets, host);
  assert.ok(names(first).includes("read") && names(first).includes("web_fetch"), names(first).join(","));
  const second = await bothWays(sets, host);
  assert.equal(second.length, first.length);
  second.forEach((tool, i) => assert.equal(tool, first[i], `${tool.name} kept`));
  assert.notEqual(second, first, "each run gets its own array");
  // Another list of families for the same agent is built for that list.
  const main = host.agents().agents[0]!;
  assert.deepEqual(
    names(await keptAgentTools(sets, host, main, [sessionTools])),
    names(sessionTools(host, main) as AgentTool[]),
  );
  // Another agent of the same snapshot has its own tools.
  const ops = await bothWays(sets, host, "ops");
  assert.notEqual(ops.find((t) => t.name === "read"), first.find((t) => t.name === "read"));
});

Deno.test("kept tools: a config reload gives the next run the new snapshot's tools and policy", async () => {
  const state = { config: snapshot() };
  const host = hostOf(state);
  const sets: ToolSets = new WeakMap();
  const before = await bothWays(sets, host);
  assert.ok(names(before).includes("web_fetch"));
  assert.ok(names(before).includes("apply_patch"));
  state.config = snapshot({ tools: { web: { fetch: { enabled: false } }, exec: { applyPatch: { enabled: false } } } });
  const after = await bothWays(sets, host);
  assert.ok(!names(after).includes("web_fetch"), names(after).join(","));
  assert.ok(!names(after).includes("apply_patch"), names(after).join(","));
  state.config = snapshot({ tools: { deny: ["read", "group:memory"] } });
  const denied = await bothWays(sets, host);
  assert.ok(!names(denied).includes("read") && !names(denied).includes("memory_search"), names(denied).join(","));
  // The same values in a new snapshot still rebuild: the agents are new objects too.
  const reread = await bothWays(sets, host);
  assert.deepEqual(names(reread), names(denied));
});

Deno.test("kept tools: a new snapshot rebuilds them even for the same agent object", async () => {
  const state = { config: snapshot() };
  const agents = state.config.agents;
  const host = { ...hostOf(state), agents: () => agents };
  const sets: ToolSets = new WeakMap();
  assert.ok(names(await bothWays(sets, host)).includes("web_fetch"));
  state.config = snapshot({ tools: { web: { fetch: { enabled: false } } } });
  assert.ok(!names(await bothWays(sets, host)).includes("web_fetch"));
});

Deno.test("kept tools: an agent changed by a reload gets tools built for it", async () => {
  const state = { config: snapshot() };
  const host = hostOf(state);
  const sets: ToolSets = new WeakMap();
  assert.ok(names(await bothWays(sets, host)).includes("memory_search"));
  state.config = snapshot({
    agents: {
      ...BASE.agents,
      list: [{ id: "main", default: true, memory: { search: { enabled: false } } }, { id: "ops" }],
    },
  });
  const after = await bothWays(sets, host);
  assert.ok(!names(after).includes("memory_search"), names(after).join(","));
});

Deno.test("kept tools: the scheduler lent after the first run adds its tool to the next", async () => {
  const state: { config: ResolvedConfig; cron?: CronControl } = { config: snapshot() };
  const host = hostOf(state);
  const sets: ToolSets = new WeakMap();
  assert.ok(!names(await bothWays(sets, host)).includes("cron"));
  state.cron = new FakeCron();
  const after = await bothWays(sets, host);
  assert.ok(names(after).some((name) => name === "cron" || name === "automations"), names(after).join(","));
});

Deno.test("kept tools: MCP servers' tools are listed on every run, whatever the snapshot", async () => {
  let listed = ["alpha"];
  const mcp = {
    serverTools: (specs: readonly { enabled: boolean; launch: unknown }[]) =>
      Promise.resolve(
        specs.filter((spec) => spec.enabled && spec.launch).map((spec) =>
          ({
            spec,
            tools: listed.map((name) => ({ name, inputSchema: { type: "object" } })),
            call: () => Promise.resolve({}),
          }) as unknown as McpServerTools
        ),
      ),
    warnOnce: () => {},
  } as unknown as McpClientManager;
  const state = { config: snapshot({ mcp: { servers: { srv: { command: "true" } } } }), mcp };
  const host = hostOf(state);
  const sets: ToolSets = new WeakMap();
  const first = names(await bothWays(sets, host));
  assert.ok(first.includes("srv__alpha"), first.join(","));
  listed = ["alpha", "beta"];
  const second = names(await bothWays(sets, host));
  assert.ok(second.includes("srv__beta"), second.join(","));
  listed = [];
  const third = names(await bothWays(sets, host));
  assert.ok(!third.some((name) => name.startsWith("srv__")), third.join(","));
  await bothWays(sets, host);
  // Tools listed again after runs that offered none from the server.
  listed = ["gamma"];
  const fourth = names(await bothWays(sets, host));
  assert.ok(fourth.includes("srv__gamma"), fourth.join(","));
});

Deno.test("kept tools: a later run's calls act for that run's session, agent and signal, not the first run's", async () => {
  const state = {
    config: snapshot({
      agents: { ...BASE.agents, defaults: { ...BASE.agents.defaults, sandbox: { mode: "non-main" } } },
    }),
  };
  const host = { ...hostOf(state), processes: new ProcessRegistry() };
  const sets: ToolSets = new WeakMap();
  const first = await bothWays(sets, host);
  const later = await bothWays(sets, host);
  const exec = later.find((tool) => tool.name === "exec")!;
  assert.equal(exec, first.find((tool) => tool.name === "exec"), "the kept tool itself");
  const call = (agentId: string, sessionKey: string, signal = new AbortController().signal): ToolCall => ({
    runId: "r",
    toolCallId: "t",
    agentId,
    sessionKey,
    workspace: "/nonexistent-workspace",
    signal,
    senderIsOwner: true,
    update: () => {},
  });
  // `elevated` is refused before anything runs, naming whether the call's own session is sandboxed.
  const elevated = (sessionKey: string) =>
    exec.execute({ command: "true", elevated: true }, call("main", sessionKey)).then(
      () => "ran",
      (error) => String(error?.message),
    );
  assert.match(await elevated("agent:main:main"), /runtime=direct/);
  assert.match(await elevated("agent:main:dm:peer"), /runtime=sandboxed/);
  assert.match(await elevated("agent:main:main"), /runtime=direct/);
  // A first run's aborted signal stops that call only.
  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(exec.execute({ command: "true" }, call("main", "agent:main:main", aborted.signal)));
  assert.match(await elevated("agent:main:main"), /runtime=direct/);
  const agentsList = later.find((tool) => tool.name === "agents_list")!;
  const listed = await agentsList.execute({}, call("ops", "agent:ops:main"));
  assert.equal(listed.details?.requester, "ops");
});
