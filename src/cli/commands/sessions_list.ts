// `openclaw sessions [list]`: the stored sessions of the configured agents' databases, read offline
// (no gateway), as the reference lists them: its JSON document, or its table. The reference prints
// the table and its headings on stderr (its console goes there for this command); so does this.
import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, type GatewayPaths, pathExists, resolvePaths } from "../../config/paths.ts";
import { REFERENCE_DEFAULT_MODEL } from "../../config/model_selection.ts";
import { parseModelRef, resolveAgents, resolveModels } from "../../config/resolve_agents.ts";
import { readStoredSessions, type StoredSessionEntry } from "../../state/session_entries_read.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson } from "../output.ts";
import { renderTable, tableWidth } from "../table.ts";
import { jsonFailure } from "./config_common.ts";
import { type DisplayModel, type RowContext, type SessionListRow, sessionListRow } from "./sessions_rows.ts";
import { formatAge, formatKeyCell, formatTokensCell } from "./sessions_cells.ts";
import { selectTargets, SessionsCliError } from "./sessions_targets.ts";

/** Flags of `openclaw sessions` / `sessions list`. */
export interface SessionsListOptions extends GlobalOptions {
  json?: boolean;
  store?: string;
  agent?: string;
  allAgents?: boolean;
  active?: string;
  limit?: string;
}

const DEFAULT_LIMIT = 100;

function positiveInt(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `--limit`: a positive integer, `all` (undefined), or null when neither. */
function parseLimit(value: string | undefined): number | undefined | null {
  if (value === undefined) return DEFAULT_LIMIT;
  if (value.trim().toLowerCase() === "all") return undefined;
  return positiveInt(value) ?? null;
}

/** The configured agents and what the rows need from config (default models, context windows). */
export async function rowContext(paths: Pick<GatewayPaths, "configPath" | "stateDir" | "home">, env: EnvSnapshot) {
  const { config } = await loadConfig(paths.configPath, env);
  const agents = resolveAgents(config, paths.stateDir, paths.home);
  const models = resolveModels(config);
  const windowOf = (model: DisplayModel) =>
    models.find((m) => m.provider === model.provider && m.id === model.model)?.contextWindow;
  // The reference's context fallback is the window of `agents.defaults.model` (200000 when unknown).
  const fallbackModel = parseModelRef(config.agents?.defaults?.model) ?? REFERENCE_DEFAULT_MODEL;
  const ctx: RowContext = {
    defaultModel: (id) => agents.agents.find((a) => a.id === id)?.model ?? REFERENCE_DEFAULT_MODEL,
    contextWindow: windowOf,
    fallbackContextTokens: models.find((m) => m.id === fallbackModel.model)?.contextWindow ?? 200_000,
    now: Date.now(),
  };
  return { agents, ctx };
}

function table(rows: SessionListRow[], showAgent: boolean, ctx: RowContext): string {
  const width = tableWidth();
  const columns = [
    ...(showAgent ? [{ key: "agent", header: "Agent" }] : []),
    { key: "kind", header: "Kind" },
    { key: "key", header: "Key" },
    { key: "age", header: "Age" },
    { key: "model", header: "Model" },
    { key: "runtime", header: "Runtime" },
    { key: "tokens", header: "Tokens (ctx %)" },
    { key: "flags", header: "Flags", flex: true },
  ];
  return renderTable({
    width,
    columns,
    rows: rows.map(({ json, runtimeLabel, flags }) => ({
      agent: String(json.agentId),
      kind: String(json.kind),
      key: formatKeyCell(String(json.key)),
      age: formatAge(json.updatedAt as number | null, ctx.now),
      model: String(json.model ?? "unknown"),
      runtime: runtimeLabel,
      tokens: formatTokensCell(json, ctx.fallbackContextTokens),
      flags,
    })),
  }).trimEnd();
}

async function list(options: SessionsListOptions): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const { agents, ctx } = await rowContext(paths, env);
  const targets = await selectTargets(options, paths.stateDir, agents.agents.map((a) => a.id), agents.defaultAgentId);
  let activeMinutes: number | undefined;
  if (options.active !== undefined) {
    activeMinutes = positiveInt(options.active);
    if (activeMinutes === undefined) {
      throw new SessionsCliError("--active must be a positive number of minutes, for example --active 30.");
    }
  }
  const limit = parseLimit(options.limit);
  if (limit === null) {
    throw new SessionsCliError('--limit must be a positive integer or "all", for example --limit 25.');
  }
  const since = activeMinutes === undefined ? undefined : ctx.now - activeMinutes * 60_000;
  const found: { agentId: string; stored: StoredSessionEntry }[] = [];
  for (const target of targets) {
    const read = await readStoredSessions(target.path);
    if (read?.ownerAgentId && read.ownerAgentId !== target.agentId) {
      throw new SessionsCliError(
        `SQLite session store path belongs to agent ${read.ownerAgentId}; requested agent ${target.agentId}.`,
        true,
      );
    }
    for (const stored of read?.entries ?? []) {
      const updatedAt = stored.entry.updatedAt;
      if (since !== undefined && !(typeof updatedAt === "number" && updatedAt >= since)) continue;
      found.push({ agentId: target.agentId, stored });
    }
  }
  const updated = (e: StoredSessionEntry) => (e.entry.updatedAt as number | undefined) ?? 0;
  const sorted = found.toSorted((a, b) => updated(b.stored) - updated(a.stored));
  const rows = (limit === undefined ? sorted : sorted.slice(0, limit)).map((f) =>
    sessionListRow(f.stored, f.agentId, ctx)
  );
  const hasMore = rows.length < found.length;
  const aggregate = options.allAgents === true || targets.length > 1;
  if (options.json) {
    printJson({
      path: aggregate ? null : targets[0]!.path,
      stores: aggregate ? targets.map((t) => ({ agentId: t.agentId, path: t.path })) : undefined,
      allAgents: options.allAgents ? true : undefined,
      count: rows.length,
      totalCount: found.length,
      limitApplied: limit ?? null,
      hasMore,
      activeMinutes: activeMinutes ?? null,
      sessions: rows.map((row) => row.json),
    });
    return 0;
  }
  printError(
    aggregate
      ? `Session stores: ${targets.length} (${targets.map((t) => t.agentId).join(", ")})`
      : `Session store: ${targets[0]!.path}`,
  );
  printError(
    hasMore && limit !== undefined
      ? `Sessions listed: ${rows.length} of ${found.length} (limit ${limit})`
      : `Sessions listed: ${rows.length}`,
  );
  if (activeMinutes) printError(`Filtered to last ${activeMinutes} minute(s)`);
  if (rows.length === 0) printError("No sessions found.");
  else printError(table(rows, aggregate, ctx));
  return 0;
}

/** `openclaw sessions [list]`: exit 0 with the listing, 1 with the reference's refusal. */
export async function sessionsList(options: SessionsListOptions): Promise<number> {
  try {
    return await list(options);
  } catch (error) {
    if (!(error instanceof SessionsCliError)) throw error;
    if (options.json) printJson(jsonFailure(error.message));
    if (error.block) {
      printFailureBlock(error.message);
    } else printError(error.message);
    return 1;
  }
}
