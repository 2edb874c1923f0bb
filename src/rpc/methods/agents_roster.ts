// `agents.create`, `agents.update`, `agents.delete`: the roster edits the reference's Control UI (identity,
// model) and CLI (`openclaw agents delete` beside a running gateway) make through the Gateway, with the
// reference's refusals and answers (recorded against OpenClaw 2026.9.6). The config is changed through
// the gateway's config write queue and reloaded like a hand edit; files are made or trashed as the CLI's
// own `openclaw agents add|delete` make them (the same modules).
import { avatarIssue } from "../../config/agent_avatar.ts";
import {
  agentDeletePlan,
  legacySharedAuthRefusal,
  onlyAgentRefusal,
  ownsLegacySharedAuthStore,
} from "../../config/agent_delete_plan.ts";
import { pruneAgent } from "../../config/agent_prune.ts";
import { splitAuthProfile } from "../../config/model_auth_profile.ts";
import {
  agentDir,
  agentSessionsDir,
  agentWorkspace,
  findEntry,
  hasRoster,
  normalizeAgentIdStrict,
  RESERVED_AGENT_IDS,
  resolveUserPath,
  rosterEntries,
  type RosterPaths,
  soleAgentId,
  withAgentEntry,
} from "../../config/agent_roster.ts";
import type { ConfigSnapshot } from "../../config/load.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { agentDbPath } from "../../state/agent_db_path.ts";
import { prepareAgentWorkspace, readIdentityMarkdown, writeIdentityMarkdown } from "../../state/agent_workspace.ts";
import { lstatOrUndefined } from "../../state/lstat_or_undefined.ts";
import { trashAgentPaths } from "../../state/agent_trash.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import type { AgentDeletionFence } from "./agent_deletion_fence.ts";
import type { TreeEdit } from "./config_tree_commit.ts";
import { workspaceFileGuarded } from "./workspace_file_refusal.ts";

/** What the roster methods change and where. */
export interface AgentsRosterDeps {
  /** Commits an edit of the config as written through the gateway's write queue (config_tree_commit.ts). */
  commit<T>(
    edit: (tree: Record<string, unknown>, snapshot: ConfigSnapshot) => TreeEdit<T> | Promise<TreeEdit<T>>,
  ): Promise<{ result: T }>;
  paths: RosterPaths;
  /** The config file (never moved to the Trash with an agent). */
  configPath: string;
  /** Where a relative workspace path resolves: the gateway's working directory, as the reference's. */
  cwd: string;
  /** Records that an operator created the agent (`agent_provenance`). */
  recordProvenance(agentId: string): Promise<void>;
  /** Closes the agent's session database, so its state dir can go to the Trash. */
  closeSessions(agentId: string): Promise<void>;
  /** Drops the agent's database from the state database's registry (its file is gone). */
  unregisterDatabase(agentId: string): Promise<void>;
  /** The agents being deleted: a create, update or file save for one waits its turn by being refused. */
  fence: AgentDeletionFence;
  /** Removes the agent's cron jobs; answers how many went. */
  removeCronJobs(agentId: string): number;
}

/** The runtime a model pick may name: the built-in one (the reference's Control UI sends it with the model). */
const RUNTIMES = new Set(["auto"]);

function notFound(agentId: string): RpcError {
  return new RpcError("INVALID_REQUEST", `agent "${agentId}" not found`);
}

/** A one-line identity value, as the reference stores one (runs of white space become one space). */
function line(value: string | undefined): string | undefined {
  const text = value?.replace(/\s+/g, " ").trim();
  return text ? text : undefined;
}

/** The identity fields given (name, emoji, avatar), compacted; undefined when none is. */
function identityOf(fields: { name?: string; emoji?: string; avatar?: string }): Record<string, string> | undefined {
  const identity = Object.fromEntries(
    (["name", "emoji", "avatar"] as const).flatMap((key) => {
      const value = line(fields[key]);
      return value ? [[key, value]] : [];
    }),
  );
  return Object.keys(identity).length > 0 ? identity : undefined;
}

function refuseAvatar(tree: Record<string, unknown>, paths: RosterPaths): void {
  const issue = avatarIssue(tree, paths);
  if (issue) throw new RpcError("INVALID_REQUEST", `Config validation failed: ${issue}`);
}

function skipBootstrap(tree: Record<string, unknown>): boolean {
  const agents = isJsonObject(tree.agents) ? tree.agents : {};
  return isJsonObject(agents.defaults) && agents.defaults.skipBootstrap === true;
}

/** The entry's identity after the update, as IDENTITY.md gets it (name, theme, emoji, avatar). */
function storedIdentity(tree: Record<string, unknown>, agentId: string): Record<string, string> {
  const identity = findEntry(tree, agentId)?.config.identity;
  if (!isJsonObject(identity)) return {};
  return Object.fromEntries(
    (["name", "theme", "emoji", "avatar"] as const).flatMap((key) => {
      const value = identity[key];
      return typeof value === "string" && value.trim() ? [[key, value.trim()]] : [];
    }),
  );
}

/** `{ primary }` kept as an object (its fallbacks with it) when the setting is one; else the model id. */
function withPrimary(current: unknown, model: string): unknown {
  return isJsonObject(current) ? { ...current, primary: model } : model;
}

/** The default model set to `model`: an implicit agent's pick lives in `agents.defaults.model`. */
function withDefaultModel(tree: Record<string, unknown>, model: string): Record<string, unknown> {
  const agents = isJsonObject(tree.agents) ? tree.agents : {};
  const defaults = isJsonObject(agents.defaults) ? agents.defaults : {};
  return { ...tree, agents: { ...agents, defaults: { ...defaults, model: withPrimary(defaults.model, model) } } };
}

/** The entry's model set (kept as `{ primary }` when written so and `keepShape`), or removed for `null`. */
function withEntryModel(
  tree: Record<string, unknown>,
  agentId: string,
  model: string | null,
  keepShape: boolean,
): Record<string, unknown> {
  const next = structuredClone(tree);
  const entry = findEntry(next, agentId);
  if (!entry) return next;
  if (model === null) delete entry.config.model;
  else entry.config.model = keepShape ? withPrimary(entry.config.model, model) : model;
  return next;
}

/** `agents.create`, `agents.update`, `agents.delete`. */
export function agentsRosterMethods(deps: AgentsRosterDeps): MethodTable {
  const { paths } = deps;
  const resolve = (path: string) => resolveUserPath(path, paths.home, deps.cwd);
  return {
    "agents.create": validated("operator.admin", "validateAgentsCreateParams", async ({ params }) => {
      const rawName = params.name.trim();
      if (!rawName) throw new RpcError("INVALID_REQUEST", "agent name is required");
      const agentId = normalizeAgentIdStrict(rawName);
      if (!agentId) {
        throw new RpcError(
          "INVALID_REQUEST",
          `Agent name "${rawName}" has no valid id characters. Use at least one letter a-z or digit.`,
        );
      }
      if (RESERVED_AGENT_IDS.has(agentId)) throw new RpcError("INVALID_REQUEST", `"${agentId}" is reserved`);
      deps.fence.check(agentId);
      const name = line(rawName)!;
      const model = params.model?.trim() || undefined;
      const identity = identityOf({ name, emoji: params.emoji, avatar: params.avatar }) ?? { name };
      const { result } = await workspaceFileGuarded(() =>
        deps.commit(async (tree) => {
          if (findEntry(tree, agentId)) throw new RpcError("INVALID_REQUEST", `agent "${agentId}" already exists`);
          const workspace = params.workspace?.trim() ? resolve(params.workspace) : agentWorkspace(tree, agentId, paths);
          const next = withAgentEntry(tree, agentId, {
            name,
            workspace,
            agentDir: agentDir(tree, agentId, paths),
            model,
            identity,
          }, paths);
          refuseAvatar(next, paths);
          // As the reference: the workspace and sessions dir exist before the roster names the agent.
          await prepareAgentWorkspace(workspace, { skipBootstrap: skipBootstrap(next), identity });
          await Deno.mkdir(agentSessionsDir(agentId, paths), { recursive: true });
          return { tree: next, result: { workspace } };
        })
      );
      await deps.recordProvenance(agentId);
      return { ok: true, agentId, name, workspace: result.workspace, ...(model ? { model } : {}) };
    }),

    "agents.update": validated("operator.admin", "validateAgentsUpdateParams", async ({ params }) => {
      const p = params as typeof params & { agentRuntime?: string };
      const agentId = normalizeAgentIdStrict(p.agentId);
      if (!agentId) throw notFound(p.agentId);
      deps.fence.check(agentId);
      const workspace = p.workspace?.trim() ? resolve(p.workspace) : undefined;
      const model = p.model === null ? null : p.model?.trim() || undefined;
      const name = line(p.name);
      const identity = identityOf({ name, emoji: p.emoji, avatar: p.avatar });
      const modelOnly = Boolean(model) && p.name === undefined && p.workspace === undefined;
      if (p.agentRuntime !== undefined) {
        if (!modelOnly || p.emoji !== undefined || p.avatar !== undefined) {
          throw new RpcError("INVALID_REQUEST", "Runtime selection requires a model-only update.");
        }
        if (splitAuthProfile(model as string).profile) {
          throw new RpcError(
            "INVALID_REQUEST",
            "Choose a model without an OpenClaw sign-in override for this runtime.",
          );
        }
        if (!RUNTIMES.has(p.agentRuntime)) {
          throw new RpcError("UNAVAILABLE", `Agent runtime "${p.agentRuntime}" is not available on this gateway.`);
        }
      }
      await workspaceFileGuarded(() =>
        deps.commit(async (tree) => {
          const configured = findEntry(tree, agentId) !== undefined;
          // A model pick for the one implicit agent (no roster written) sets the default model, as the reference's.
          const implicitPick = !configured && !hasRoster(tree) && soleAgentId(tree) === agentId && modelOnly &&
            p.agentRuntime !== undefined;
          if (!configured && !implicitPick) throw notFound(agentId);
          if (implicitPick) return { tree: withDefaultModel(tree, model as string), result: undefined };
          let next = withAgentEntry(tree, agentId, { name, workspace, identity }, paths);
          if (model !== undefined) next = withEntryModel(next, agentId, model, p.agentRuntime !== undefined);
          refuseAvatar(next, paths);
          if (workspace || identity) {
            const dir = agentWorkspace(next, agentId, paths);
            const previous = agentWorkspace(tree, agentId, paths);
            // A new workspace is seeded as a new agent's is; an identity edit alone touches only IDENTITY.md.
            const seeded = workspace
              ? await prepareAgentWorkspace(dir, { skipBootstrap: skipBootstrap(next) })
              : undefined;
            const written = storedIdentity(next, agentId);
            if (Object.keys(written).length > 0) {
              await Deno.mkdir(dir, { recursive: true });
              // A workspace that just moved keeps the identity file it had, not the template its seeding wrote.
              const moved = previous !== dir && (seeded?.created.includes("IDENTITY.md") ?? true);
              const base = moved ? await readIdentityMarkdown(previous).catch(() => undefined) : undefined;
              await writeIdentityMarkdown(dir, written, base);
            }
          }
          return { tree: next, result: undefined };
        })
      );
      return { ok: true, agentId };
    }),

    "agents.delete": validated("operator.admin", "validateAgentsDeleteParams", async ({ params }) => {
      const agentId = normalizeAgentIdStrict(params.agentId);
      if (!agentId) throw notFound(params.agentId);
      return await deps.fence.during(agentId, async () => {
        const deleteFiles = params.deleteFiles ?? true;
        const { result } = await deps.commit((tree) => {
          if (!findEntry(tree, agentId)) throw notFound(agentId);
          if (ownsLegacySharedAuthStore(tree, agentId, paths)) {
            throw new RpcError("INVALID_REQUEST", legacySharedAuthRefusal(agentId));
          }
          if (rosterEntries(tree).length === 1) throw new RpcError("INVALID_REQUEST", onlyAgentRefusal(agentId));
          const pruned = pruneAgent(tree, agentId, paths);
          const plan = agentDeletePlan(tree, pruned.tree, agentId, paths);
          return { tree: pruned.tree, result: { plan, removedBindings: pruned.removedBindings } };
        });
        deps.removeCronJobs(agentId);
        await deps.closeSessions(agentId);
        const removed: { path: string; method: "trash" | "missing" }[] = [];
        const failed: { path: string; reason: string }[] = [];
        if (deleteFiles) {
          const options = {
            home: paths.home,
            keep: [paths.stateDir, deps.configPath, paths.home],
            survivors: result.plan.survivorDirs,
          };
          const steps = await trashAgentPaths(result.plan.trash, options);
          // An agent whose state dir was configured elsewhere keeps its database at the default place: it goes too.
          const database = agentDbPath(paths.stateDir, agentId);
          const files = [];
          for (const file of [database, `${database}-wal`, `${database}-shm`]) {
            if (await lstatOrUndefined(file)) files.push(file);
          }
          steps.push(...await trashAgentPaths(files, options));
          for (const { outcome } of steps) {
            if (outcome && "removed" in outcome) removed.push(outcome.removed);
            else if (outcome) failed.push(outcome.failed);
          }
          if (!await lstatOrUndefined(database)) await deps.unregisterDatabase(agentId);
        }
        return { ok: true, agentId, removedBindings: result.removedBindings, removed, failed };
      });
    }),
  };
}
