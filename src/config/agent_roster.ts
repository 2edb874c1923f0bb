// The agent roster as the reference's `openclaw agents` reads and edits it in the config as written:
// `agents.entries.<id>` (or the legacy `agents.list[]`), which agent is the default, and where each
// agent's workspace and state live. Pure: the commands (src/cli/commands/agents_*.ts) read and write.
import { isJsonObject } from "../log/json_object.ts";

/** The id of the agent an unconfigured install has. */
export const IMPLICIT_AGENT_ID = "main";
const VALID_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/** Ids the reference keeps for its own system agents: no operator creates one. */
export const RESERVED_AGENT_IDS: ReadonlySet<string> = new Set(["openclaw", "crestodian"]);

/** One roster entry: its id and its config as written. */
export interface RosterEntry {
  id: string;
  config: Record<string, unknown>;
}

/** Where an agent's files live: the state dir and home the paths resolve against. */
export interface RosterPaths {
  stateDir: string;
  home: string;
}

/** An id as the reference normalizes an explicit one (lowercase, `-` for other characters); undefined when nothing is left. */
export function normalizeAgentIdStrict(value: string | undefined): string | undefined {
  const trimmed = (value ?? "").trim();
  const lower = trimmed.toLowerCase();
  if (VALID_ID.test(trimmed)) return lower;
  const id = lower.replace(/[^a-z0-9_-]+/g, "-").replace(/^-+/, "").replace(/-+$/, "").slice(0, 64);
  return id === "" ? undefined : id;
}

/** An id as the reference normalizes a stored one: unrepresentable ids read as `main`. */
export function normalizeAgentId(value: unknown): string {
  return normalizeAgentIdStrict(typeof value === "string" ? value : undefined) ?? IMPLICIT_AGENT_ID;
}

function agentsSection(tree: Record<string, unknown>): Record<string, unknown> | undefined {
  return isJsonObject(tree.agents) ? tree.agents : undefined;
}

/** True when the config owns a roster (`agents.entries` or `agents.list`), even an empty one. */
export function hasRoster(tree: Record<string, unknown>): boolean {
  const agents = agentsSection(tree);
  return agents !== undefined && (agents.entries !== undefined || agents.list !== undefined);
}

/** The configured entries, in file order: `agents.entries` when written, else `agents.list[]`. */
export function rosterEntries(tree: Record<string, unknown>): RosterEntry[] {
  const agents = agentsSection(tree);
  if (!agents) return [];
  if (agents.entries !== undefined) {
    if (!isJsonObject(agents.entries)) return [];
    return Object.entries(agents.entries).filter(([, value]) => isJsonObject(value))
      .map(([id, value]) => ({ id, config: value as Record<string, unknown> }));
  }
  if (!Array.isArray(agents.list)) return [];
  return agents.list.filter(isJsonObject).map((value) => ({ id: String(value.id ?? ""), config: value }));
}

/** The configured agent ids, unique and normalized; `main` alone when the config has no roster. */
export function agentIds(tree: Record<string, unknown>): string[] {
  const entries = rosterEntries(tree);
  if (entries.length === 0 && !hasRoster(tree)) return [IMPLICIT_AGENT_ID];
  return [...new Set(entries.map((entry) => normalizeAgentId(entry.id)))];
}

/** The entry of an agent, by normalized id. */
export function findEntry(tree: Record<string, unknown>, agentId: string): RosterEntry | undefined {
  return rosterEntries(tree).find((entry) => normalizeAgentId(entry.id) === agentId);
}

/** The one agent of a single-agent install (the implicit `main` without a roster). */
export function soleAgentId(tree: Record<string, unknown>): string | undefined {
  const entries = rosterEntries(tree);
  if (entries.length === 0) return hasRoster(tree) ? undefined : IMPLICIT_AGENT_ID;
  return entries.length === 1 ? normalizeAgentId(entries[0]!.id) : undefined;
}

/** A legacy `default: true` marker, honored until the roster is explicitly owned. */
function markedDefaultId(tree: Record<string, unknown>): string | undefined {
  if (agentsSection(tree)?.ownership === "explicit") return undefined;
  const marked = rosterEntries(tree).filter((entry) => entry.config.default === true);
  return marked.length === 1 ? normalizeAgentId(marked[0]!.id) : undefined;
}

/** The agent that owns the legacy data locators (the default workspace): a marked default, else the sole agent. */
function legacyOwnerId(tree: Record<string, unknown>): string | undefined {
  return markedDefaultId(tree) ?? soleAgentId(tree);
}

function systemAgentId(tree: Record<string, unknown>): string | undefined {
  const defaults = agentsSection(tree)?.defaults;
  const system = isJsonObject(defaults) && isJsonObject(defaults.systemAgent)
    ? defaults.systemAgent.agentId
    : undefined;
  return typeof system === "string" && system.trim() !== "" ? normalizeAgentId(system) : undefined;
}

/**
 * The default agent `agents list` badges: in an explicitly owned roster the designated
 * `agents.defaults.systemAgent.agentId` (when configured), else the legacy owner.
 */
export function defaultBadgeAgentId(tree: Record<string, unknown>): string | undefined {
  if (agentsSection(tree)?.ownership !== "explicit") return legacyOwnerId(tree);
  const recorded = systemAgentId(tree);
  return recorded && agentIds(tree).includes(recorded) ? recorded : undefined;
}

/** The agent `bind`/`unbind` target without `--agent`; undefined when several agents leave it open. */
export function operationDefaultAgentId(tree: Record<string, unknown>): string | undefined {
  return markedDefaultId(tree) ?? soleAgentId(tree);
}

/** A path as the reference resolves a user path: `~` is the home, relative paths join the cwd. */
export function resolveUserPath(path: string, home: string, cwd: string): string {
  const trimmed = path.trim();
  const expanded = trimmed === "~" ? home : trimmed.startsWith("~/") ? `${home}${trimmed.slice(1)}` : trimmed;
  return normalizePosix(expanded.startsWith("/") ? expanded : `${cwd}/${expanded}`);
}

/** `.` and `..` segments and doubled slashes removed from an absolute path. */
export function normalizePosix(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * An agent's workspace as the reference resolves it: its own `workspace`; for the legacy owner
 * `agents.defaults.workspace` or `<state>/workspace`; for others `<defaults.workspace>/<id>` or
 * `<state>/workspace-<id>`.
 */
export function agentWorkspace(tree: Record<string, unknown>, agentId: string, paths: RosterPaths): string {
  const own = textOf(findEntry(tree, agentId)?.config.workspace);
  if (own) return resolveUserPath(own, paths.home, paths.stateDir);
  const defaults = agentsSection(tree)?.defaults;
  const fallback = textOf(isJsonObject(defaults) ? defaults.workspace : undefined);
  if (agentId === legacyOwnerId(tree)) {
    return fallback ? resolveUserPath(fallback, paths.home, paths.stateDir) : `${paths.stateDir}/workspace`;
  }
  return fallback
    ? `${resolveUserPath(fallback, paths.home, paths.stateDir)}/${agentId}`
    : `${paths.stateDir}/workspace-${agentId}`;
}

/** An agent's state dir: its own `agentDir`, else `<state>/agents/<id>/agent`. */
export function agentDir(tree: Record<string, unknown>, agentId: string, paths: RosterPaths): string {
  const own = textOf(findEntry(tree, agentId)?.config.agentDir);
  return own ? resolveUserPath(own, paths.home, paths.stateDir) : `${paths.stateDir}/agents/${agentId}/agent`;
}

/** The directory the agent's session transcripts live in (`<state>/agents/<id>/sessions`). */
export function agentSessionsDir(agentId: string, paths: RosterPaths): string {
  return `${paths.stateDir}/agents/${agentId}/sessions`;
}

/** The primary model of a model setting written as a string or `{ primary }`. */
export function primaryModel(value: unknown): string | undefined {
  if (typeof value === "string") return textOf(value);
  return isJsonObject(value) ? textOf(value.primary) : undefined;
}

/** The roster as `agents.entries` with each entry's id taken out (`agents.list[]` converts to it). */
function entriesRecord(entries: RosterEntry[]): Record<string, unknown> {
  return Object.fromEntries(entries.map(({ id, config }) => {
    const { id: _id, ...rest } = config;
    return [id, rest];
  }));
}

/** What an entry gains or changes (the reference's applyAgentConfig). */
export interface AgentEntryPatch {
  name?: string | undefined;
  workspace?: string | undefined;
  agentDir?: string | undefined;
  model?: string | undefined;
  identity?: Record<string, string> | undefined;
}

/**
 * Adds or updates one agent entry, rewriting the roster as `agents.entries`. When a single-agent
 * install gains its second agent, the prior agent keeps what it resolved to: its workspace is pinned,
 * it becomes `agents.defaults.systemAgent.agentId` (and the heartbeat and talk owner) and the
 * roster is marked `ownership: "explicit"`, as the reference does.
 */
export function withAgentEntry(
  tree: Record<string, unknown>,
  agentId: string,
  patch: AgentEntryPatch,
  paths: RosterPaths,
): Record<string, unknown> {
  const before = rosterEntries(tree);
  const implicit = before.length === 0 && !hasRoster(tree) && agentId !== IMPLICIT_AGENT_ID;
  const list: RosterEntry[] = implicit
    ? [{ id: IMPLICIT_AGENT_ID, config: { workspace: agentWorkspace(tree, IMPLICIT_AGENT_ID, paths) } }]
    : before.map((entry) => ({ id: entry.id, config: { ...entry.config } }));
  const index = list.findIndex((entry) => normalizeAgentId(entry.id) === agentId);
  const base = index >= 0 ? list[index]!.config : {};
  const next: Record<string, unknown> = { ...base };
  if (patch.name?.trim()) next.name = patch.name.trim();
  if (patch.workspace) next.workspace = patch.workspace;
  if (patch.agentDir) next.agentDir = patch.agentDir;
  if (patch.identity) next.identity = { ...(isJsonObject(base.identity) ? base.identity : {}), ...patch.identity };
  if (patch.model !== undefined) next.model = patch.model;
  if (index >= 0) list[index] = { id: list[index]!.id, config: next };
  else list.push({ id: agentId, config: next });
  const prior = legacyOwnerId(tree);
  if (!implicit && before.length === 1 && list.length > 1 && prior && !textOf(list[0]!.config.workspace)) {
    list[0]!.config.workspace = agentWorkspace(tree, prior, paths);
  }
  const { list: _legacy, ownership: _ownership, ...rest } = agentsSection(tree) ?? {};
  const agents: Record<string, unknown> = {
    ...rest,
    ...(list.length > 1 ? { ownership: "explicit" } : {}),
    entries: entriesRecord(list),
  };
  const result: Record<string, unknown> = { ...tree, agents };
  const transition = (implicit || before.length === 1) && list.length > 1;
  if (transition && prior && !systemAgentId(tree)) {
    const defaults = isJsonObject(rest.defaults) ? rest.defaults : {};
    const heartbeat = isJsonObject(defaults.heartbeat) ? defaults.heartbeat : {};
    agents.defaults = {
      ...defaults,
      systemAgent: { ...(isJsonObject(defaults.systemAgent) ? defaults.systemAgent : {}), agentId: prior },
      heartbeat: { ...heartbeat, agentId: textOf(heartbeat.agentId) ?? prior },
    };
    const talk = isJsonObject(tree.talk) ? tree.talk : {};
    result.talk = { ...talk, agentId: textOf(talk.agentId) ?? prior };
  }
  return result;
}
