import assert from "node:assert/strict";
import {
  agentDir,
  agentIds,
  agentWorkspace,
  defaultBadgeAgentId,
  normalizeAgentIdStrict,
  operationDefaultAgentId,
  resolveUserPath,
  withAgentEntry,
} from "../../src/config/agent_roster.ts";
import { resolveAgents } from "../../src/config/resolve_agents.ts";

const paths = { stateDir: "/h/.openclaw", home: "/h" };

Deno.test("agent ids normalize as the reference's: lowercase, other characters to '-', nothing left is no id", () => {
  assert.equal(normalizeAgentIdStrict("Work"), "work");
  assert.equal(normalizeAgentIdStrict("Ops Bot"), "ops-bot");
  assert.equal(normalizeAgentIdStrict("--x__y!!"), "x__y");
  assert.equal(normalizeAgentIdStrict("!!!"), undefined);
  assert.equal(normalizeAgentIdStrict("a".repeat(70))!.length, 64);
});

Deno.test("the roster: implicit main without one; entries in file order; legacy list; the default agent", () => {
  assert.deepEqual(agentIds({}), ["main"]);
  assert.equal(defaultBadgeAgentId({}), "main");
  assert.deepEqual(agentIds({ agents: { entries: {} } }), []);
  const list = { agents: { list: [{ id: "a" }, { id: "B", default: true }] } };
  assert.deepEqual(agentIds(list), ["a", "b"]);
  assert.equal(defaultBadgeAgentId(list), "b", "a legacy default marker counts until the roster is explicit");
  assert.equal(operationDefaultAgentId(list), "b");
  const explicit = {
    agents: { ownership: "explicit", defaults: { systemAgent: { agentId: "main" } }, entries: { main: {}, work: {} } },
  };
  assert.equal(defaultBadgeAgentId(explicit), "main");
  assert.equal(operationDefaultAgentId(explicit), undefined, "several agents and no marker: no implied target");
  assert.equal(defaultBadgeAgentId({ agents: { ownership: "explicit", entries: { a: {}, b: {} } } }), undefined);
});

Deno.test("workspaces and state dirs resolve as the reference's: own, the legacy owner's default, workspace-<id>", () => {
  const tree = { agents: { entries: { main: {}, work: { workspace: "~/ws", agentDir: "st" } } } };
  assert.equal(agentWorkspace(tree, "work", paths), "/h/ws");
  assert.equal(agentDir(tree, "work", paths), "/h/.openclaw/st");
  assert.equal(agentWorkspace(tree, "main", paths), "/h/.openclaw/workspace-main", "two agents: main owns nothing");
  assert.equal(agentWorkspace({}, "main", paths), "/h/.openclaw/workspace");
  assert.equal(agentWorkspace({ agents: { defaults: { workspace: "/w" } } }, "main", paths), "/w");
  assert.equal(agentWorkspace({ agents: { defaults: { workspace: "/w" } } }, "x", paths), "/w/x");
  assert.equal(agentDir({}, "main", paths), "/h/.openclaw/agents/main/agent");
  assert.equal(resolveUserPath("../a/./b", "/h", "/c/d"), "/c/a/b");
});

Deno.test("a second agent pins the first where it resolved and makes it the system agent, as `agents add` does", () => {
  const next = withAgentEntry({ gateway: { mode: "local" } }, "work", {
    name: "work",
    workspace: "/h/ws-work",
    agentDir: "/h/.openclaw/agents/work/agent",
    identity: { name: "work" },
  }, paths);
  assert.deepEqual(next, {
    gateway: { mode: "local" },
    agents: {
      ownership: "explicit",
      entries: {
        main: { workspace: "/h/.openclaw/workspace" },
        work: {
          name: "work",
          workspace: "/h/ws-work",
          agentDir: "/h/.openclaw/agents/work/agent",
          identity: { name: "work" },
        },
      },
      defaults: { systemAgent: { agentId: "main" }, heartbeat: { agentId: "main" } },
    },
    talk: { agentId: "main" },
  });
  assert.equal(defaultBadgeAgentId(next), "main");
  assert.equal(agentWorkspace(next, "main", paths), "/h/.openclaw/workspace", "main keeps its workspace");
  const third = withAgentEntry(next, "ops", { identity: { emoji: "x" } }, paths);
  assert.deepEqual((third.agents as { entries: Record<string, unknown> }).entries.ops, { identity: { emoji: "x" } });
  const renamed = withAgentEntry(next, "work", { identity: { emoji: "e" } }, paths);
  assert.deepEqual(
    (renamed.agents as { entries: { work: { identity: unknown } } }).entries.work.identity,
    { name: "work", emoji: "e" },
    "identity fields merge into the existing ones",
  );
});

Deno.test("the gateway's resolved default agent follows the roster's systemAgent designation, as `agents list` badges it", () => {
  const tree = {
    agents: { ownership: "explicit", defaults: { systemAgent: { agentId: "work" } }, entries: { main: {}, work: {} } },
  };
  assert.equal(resolveAgents(tree, "/h/.openclaw", "/home/test").defaultAgentId, "work");
  assert.equal(defaultBadgeAgentId(tree), "work");
  assert.equal(
    resolveAgents({ agents: { entries: { main: {}, work: {} } } }, "/h/.openclaw", "/home/test").defaultAgentId,
    "main",
  );
});
