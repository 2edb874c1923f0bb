// `openclaw sessions archive|delete <keys...>`: through the running gateway, as the reference does it.
// The keys are looked up with `sessions.list` (archived ones too); each is then archived with
// `sessions.patch {archived: true}` or deleted with `sessions.delete {deleteTranscript: true}`, one
// ordered result per key, exit 1 when any key failed. Words and JSON are the reference's.
import { connectGateway, type GatewayConnection } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { resolveAgents } from "../../config/resolve_agents.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { refuseParentOptions as refuse } from "./sessions_parent_options.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type LifecycleResult, type Operation, output } from "./sessions_lifecycle_output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";
import { jsonFailure } from "./config_common.ts";

/** Flags of `sessions archive` / `sessions delete`. */
export interface LifecycleOptions extends RpcOptions {
  agent?: string;
  dryRun?: boolean;
  yes?: boolean;
}

interface ListedSession {
  key: string;
  agentId?: string;
  sessionId?: string;
  archived?: boolean;
  isMain?: boolean;
}

const SCOPES = ["operator.read", "operator.write", "operator.admin"];
const PAGE = 200;
/** The reference waits up to 10 minutes for an archive or delete (cloud workspaces reconcile first). */
const MUTATION_TIMEOUT_MS = 600_000;

function notFound(key: string, agent: string | undefined): LifecycleResult {
  const hint = `openclaw sessions list${agent ? ` --agent ${agent}` : ""} --json`;
  return { key, ok: false, status: "not_found", error: `Session not found. Run ${hint} to choose a valid key.` };
}

/** The reference's refusal of listing flags given to the parent of a lifecycle subcommand. */
export function refuseParentOptions(operation: Operation, flags: string[], json: boolean | undefined): number {
  return refuse(operation, flags, json, "the gateway resolves target stores from each key and --agent");
}

/** Every requested key the gateway lists (archived ones included), paging by 200. */
async function listRequested(
  connection: GatewayConnection,
  keys: string[],
  agent: string | undefined,
  timeoutMs: number,
): Promise<Map<string, ListedSession>> {
  const wanted = new Set(keys);
  const found = new Map<string, ListedSession>();
  let offset = 0;
  while (wanted.size > found.size) {
    const page = await connection.request<{ sessions?: ListedSession[]; hasMore?: boolean; nextOffset?: unknown }>(
      "sessions.list",
      {
        limit: PAGE,
        ...(offset > 0 ? { offset } : {}),
        archived: "all",
        includeGlobal: true,
        includeUnknown: true,
        configuredAgentsOnly: true,
        ...(agent ? { agentId: agent } : {}),
      },
      timeoutMs,
    );
    if (!page || !Array.isArray(page.sessions)) throw new Error("Gateway returned an invalid sessions.list response.");
    for (const row of page.sessions) if (wanted.has(row.key) && !found.has(row.key)) found.set(row.key, row);
    if (found.size === wanted.size || page.hasMore !== true) break;
    if (typeof page.nextOffset !== "number" || page.nextOffset <= offset) {
      throw new Error("Gateway returned invalid sessions.list pagination.");
    }
    offset = page.nextOffset;
  }
  return found;
}

async function mutate(
  operation: Operation,
  connection: GatewayConnection,
  session: ListedSession,
  agent: string | undefined,
): Promise<LifecycleResult> {
  const common = {
    key: session.key,
    ...(agent ? { agentId: agent } : {}),
    ...(session.sessionId ? { expectedSessionId: session.sessionId } : {}),
  };
  if (operation === "archive") {
    const response = await connection.request<{ ok?: boolean; key?: string; entry?: { archivedAt?: number } }>(
      "sessions.patch",
      { ...common, archived: true },
      MUTATION_TIMEOUT_MS,
    );
    if (response?.ok !== true || response.entry?.archivedAt === undefined) {
      throw new Error("Gateway did not confirm that the session was archived.");
    }
    return { key: response.key ?? session.key, ok: true, status: "archived" };
  }
  const response = await connection.request<{ deleted?: boolean; key?: string; archived?: string[] }>(
    "sessions.delete",
    { ...common, deleteTranscript: true, ...(session.archived === true ? { archivedOnly: true } : {}) },
    MUTATION_TIMEOUT_MS,
  );
  if (!response.deleted) return notFound(session.key, agent);
  return { key: response.key ?? session.key, ok: true, status: "deleted", archived: response.archived ?? [] };
}

/** Archives or deletes each key through the gateway; exit 0 when every key succeeded. */
export async function sessionsLifecycle(operation: Operation, rawKeys: string[], options: LifecycleOptions) {
  const json = options.json === true;
  const dryRun = options.dryRun === true;
  if (options.timeout !== undefined && !/^\d+$/.test(options.timeout.trim()) || options.timeout?.trim() === "0") {
    const message = "--timeout must be a positive integer (milliseconds).";
    if (json) printJson(jsonFailure(message));
    printError(message);
    return 1;
  }
  const keys = rawKeys.map((key) => key.trim());
  const requested = options.agent?.trim();
  if (options.agent !== undefined && !requested) {
    return output(operation, dryRun, failAll(keys, "--agent must not be blank"), json);
  }
  const agent = requested?.toLowerCase();
  if (agent !== undefined && !(await configuredAgents(options)).includes(agent)) {
    const error = `Unknown agent id ${JSON.stringify(requested)}. Run openclaw agents list to see configured agents.`;
    return output(operation, dryRun, failAll(keys, error), json);
  }
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  let connection: GatewayConnection;
  try {
    connection = await connectGateway(target, { scopes: SCOPES, timeoutMs });
  } catch (error) {
    return reportGatewayFailure(error, target, { json, action: "Session" });
  }
  try {
    let sessions: Map<string, ListedSession>;
    try {
      sessions = await listRequested(connection, keys.filter(Boolean), agent, timeoutMs);
    } catch (error) {
      return output(operation, dryRun, failAll(keys, error instanceof Error ? error.message : String(error)), json);
    }
    const results: (LifecycleResult | undefined)[] = keys.map((key) =>
      key && sessions.has(key) ? undefined : notFound(key, agent)
    );
    const targets = keys.flatMap((key, index) => sessions.has(key) ? [{ index, session: sessions.get(key)! }] : [])
      .filter(({ index, session }) => {
        if (dryRun || (operation === "archive" && session.archived === true) || session.sessionId) return true;
        results[index] = {
          key: session.key,
          ok: false,
          status: "failed",
          error: "Session has no durable identity; lifecycle mutation was not attempted.",
        };
        return false;
      });
    if (operation === "delete" && !dryRun && !options.yes && targets.length > 0) {
      if (json || !Deno.stdin.isTerminal()) {
        const error = "Deletion requires confirmation. Pass --yes to delete non-interactively.";
        for (const { index, session } of targets) {
          results[index] = { key: session.key, ok: false, status: "failed", error };
        }
        return output(operation, false, results.filter((r) => r !== undefined), json);
      }
      const plural = targets.length === 1 ? "" : "s";
      if (!confirm(`Delete ${targets.length} session${plural} and remove live transcript state?`)) {
        printLine("Cancelled.");
        return 0;
      }
    }
    const owners = new Map<LifecycleResult, string | undefined>();
    for (const { index, session } of targets) {
      if (operation === "archive" && session.archived === true) {
        results[index] = { key: session.key, ok: true, status: "already_archived" };
        continue;
      }
      try {
        if (dryRun) {
          if (session.isMain === true && session.key !== "global") {
            throw new Error(
              operation === "archive"
                ? "Cannot archive an agent's main session."
                : `Cannot delete the main session (${session.key}).`,
            );
          }
          results[index] = {
            key: session.key,
            ok: true,
            status: operation === "archive" ? "would_archive" : "would_delete",
          };
          continue;
        }
        const result = await mutate(operation, connection, session, agent);
        results[index] = result;
        if (result.status === "deleted") owners.set(result, session.agentId);
      } catch (error) {
        results[index] = {
          key: session.key,
          ok: false,
          status: "failed",
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }
    return output(operation, dryRun, results.filter((r) => r !== undefined), json, owners);
  } finally {
    connection.close();
  }
}

/** The configured agents' ids (`main` when none are declared). */
async function configuredAgents(options: LifecycleOptions): Promise<string[]> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const { config } = await loadConfig(paths.configPath, env);
  return resolveAgents(config, paths.stateDir, paths.home).agents.map((a) => a.id);
}

function failAll(keys: string[], error: string): LifecycleResult[] {
  return keys.map((key) => ({ key, ok: false, status: "failed", error }));
}
