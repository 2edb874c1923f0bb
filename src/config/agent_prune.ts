// The config without one agent, as the reference's `openclaw agents delete` leaves it (recorded
// against OpenClaw 2026.9.6): its entry, its routing bindings, every allowlist naming it, and the
// owner references it held (heartbeat, system agent, talk) go; a roster collapsing to one agent
// keeps the survivor's workspace where it resolved. Pure.
import { isJsonObject } from "../log/json_object.ts";
import {
  agentWorkspace,
  normalizeAgentId,
  normalizeAgentIdStrict,
  rosterEntries,
  type RosterPaths,
} from "./agent_roster.ts";

/** The pruned config and what the pruning removed. */
export interface PruneResult {
  tree: Record<string, unknown>;
  removedBindings: number;
  removedAllow: number;
  clearedOwnerRefs: string[];
}

function targets(value: unknown, id: string): boolean {
  return typeof value === "string" && value.trim() !== "" && normalizeAgentIdStrict(value) === id;
}

function withoutAgent(list: unknown, id: string): unknown {
  return Array.isArray(list) ? list.filter((entry) => !targets(entry, id)) : list;
}

/** Sets or deletes `key` on a copy of `object`: undefined removes it, as the reference's JSON write drops it. */
function assign(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...object };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** Removes `agentId` from the config; see the module comment for what goes with it. */
export function pruneAgent(tree: Record<string, unknown>, agentId: string, paths: RosterPaths): PruneResult {
  const cleared: string[] = [];
  const entries = rosterEntries(tree);
  const survivors = entries.filter((entry) => normalizeAgentId(entry.id) !== agentId).map((entry) => {
    const { id: _id, ...config } = entry.config;
    const subagents = config.subagents;
    if (isJsonObject(subagents) && Array.isArray(subagents.allowAgents)) {
      return {
        id: entry.id,
        config: { ...config, subagents: { ...subagents, allowAgents: withoutAgent(subagents.allowAgents, agentId) } },
      };
    }
    return { id: entry.id, config };
  });
  const bindings = Array.isArray(tree.bindings) ? tree.bindings : [];
  const keptBindings = bindings.filter((binding) =>
    !(isJsonObject(binding) && normalizeAgentId(binding.agentId) === agentId)
  );
  const agents = isJsonObject(tree.agents) ? tree.agents : {};
  let defaults = isJsonObject(agents.defaults) ? { ...agents.defaults } : undefined;
  const clearOwner = (value: unknown, path: string): unknown => {
    if (!isJsonObject(value) || !targets(value.agentId, agentId)) return value;
    cleared.push(path);
    const { agentId: _owner, ...rest } = value;
    return Object.keys(rest).length > 0 ? rest : undefined;
  };
  if (defaults) {
    if (isJsonObject(defaults.subagents) && Array.isArray(defaults.subagents.allowAgents)) {
      defaults.subagents = {
        ...defaults.subagents,
        allowAgents: withoutAgent(defaults.subagents.allowAgents, agentId),
      };
    }
    const heartbeatOwned = isJsonObject(defaults.heartbeat) && targets(defaults.heartbeat.agentId, agentId);
    if (heartbeatOwned && survivors.length > 1) {
      cleared.push("agents.defaults.heartbeat");
      defaults = assign(defaults, "heartbeat", undefined);
    } else {defaults = assign(
        defaults,
        "heartbeat",
        clearOwner(defaults.heartbeat, "agents.defaults.heartbeat.agentId"),
      );}
    defaults = assign(defaults, "systemAgent", clearOwner(defaults.systemAgent, "agents.defaults.systemAgent.agentId"));
  }
  if (survivors.length === 1 && entries.length > 1 && !survivors[0]!.config.workspace) {
    survivors[0]!.config.workspace = agentWorkspace(tree, normalizeAgentId(survivors[0]!.id), paths);
  }
  const { list: _legacy, ownership: _ownership, ...rest } = agents;
  let nextAgents: Record<string, unknown> = { ...rest, ...(survivors.length > 1 ? { ownership: "explicit" } : {}) };
  nextAgents = assign(nextAgents, "defaults", defaults);
  nextAgents = assign(
    nextAgents,
    "entries",
    survivors.length > 0 ? Object.fromEntries(survivors.map((entry) => [entry.id, entry.config])) : undefined,
  );
  let next: Record<string, unknown> = assign(
    tree,
    "agents",
    Object.keys(nextAgents).length > 0 ? nextAgents : undefined,
  );
  next = assign(next, "bindings", keptBindings.length > 0 ? keptBindings : undefined);
  next = assign(next, "talk", isJsonObject(tree.talk) ? clearOwner(tree.talk, "talk.agentId") : tree.talk);
  let removedAllow = 0;
  const tools = tree.tools;
  if (isJsonObject(tools) && isJsonObject(tools.agentToAgent) && Array.isArray(tools.agentToAgent.allow)) {
    const allow = tools.agentToAgent.allow.filter((entry) => entry !== agentId);
    removedAllow = tools.agentToAgent.allow.length - allow.length;
    next.tools = { ...tools, agentToAgent: assign(tools.agentToAgent, "allow", allow.length > 0 ? allow : undefined) };
  }
  const hooks = tree.hooks;
  if (isJsonObject(hooks)) {
    let nextHooks: Record<string, unknown> = { ...hooks };
    if (Array.isArray(hooks.allowedAgentIds)) nextHooks.allowedAgentIds = withoutAgent(hooks.allowedAgentIds, agentId);
    if (Array.isArray(hooks.mappings)) {
      nextHooks = assign(
        nextHooks,
        "mappings",
        hooks.mappings.filter((mapping) => !(isJsonObject(mapping) && targets(mapping.agentId, agentId))),
      );
    }
    next.hooks = nextHooks;
  }
  if (isJsonObject(tree.broadcast)) {
    next.broadcast = Object.fromEntries(
      Object.entries(tree.broadcast).map(([peer, value]) => [
        peer,
        Array.isArray(value)
          ? withoutAgent(value, agentId)
          : isJsonObject(value)
          ? { ...value, agents: withoutAgent(value.agents, agentId) }
          : value,
      ]),
    );
  }
  return {
    tree: next,
    removedBindings: bindings.length - keptBindings.length,
    removedAllow,
    clearedOwnerRefs: cleared,
  };
}
