// `usage.cost`, `sessions.usage` and `usage.status`: token usage from this gateway's own transcripts.
// The rollup is loaded on the first request: nothing of it is on the start path.
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import type { UsageRange } from "./usage_range.ts";
import type { UsageMessage, UsageSession } from "./usage_rollup.ts";

/** A session as the index lists it: enough to tell whether its messages can fall in a window. */
export interface UsageRow {
  agentId: string;
  key: string;
  sessionId: string;
  createdAt: number;
  updatedAt: number;
}

/** Dependencies of the usage methods. */
export interface UsageDeps {
  /** Every session of these agents, from the index (no transcript is read). */
  rows(agentIds: readonly string[]): Promise<UsageRow[]>;
  /** One session's messages, only the fields the rollup reads. */
  messages(row: UsageRow): Promise<UsageMessage[]>;
  /** Configured agent ids and the default one. */
  agents(): { ids: string[]; defaultAgentId: string };
  now(): number;
}

/** How many transcripts are read at once: enough to overlap the reads, few enough to bound memory. */
const READ_BATCH = 16;

/**
 * Slack around a session's created/updated times when matching it to a window: a message is stamped
 * just before its session row is written, so a row's times may trail its first message slightly.
 */
const ROW_SLACK_MS = 3_600_000;

const COST_KEYS = new Set([
  "days",
  "startDate",
  "endDate",
  "mode",
  "utcOffset",
  "timeZone",
  "agentId",
  "agentScope",
  "range",
]);

function costParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (!isJsonObject(params)) return "must be object";
  const extra = Object.keys(params).find((key) => !COST_KEYS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

/** Which agents a request covers: `agentScope: "all"`, one named agent, or the default agent. */
function agentsOf(deps: UsageDeps, params: { agentId?: unknown; agentScope?: unknown }): string[] {
  const { ids, defaultAgentId } = deps.agents();
  const agentId = typeof params.agentId === "string" ? params.agentId.trim() : "";
  if (params.agentScope === "all" && agentId) {
    throw new RpcError("INVALID_REQUEST", "agentScope=all cannot be combined with agentId");
  }
  if (params.agentScope === "all") return ids;
  if (agentId && !ids.includes(agentId)) throw new RpcError("INVALID_REQUEST", `unknown agent id "${agentId}"`);
  return [agentId || defaultAgentId];
}

/** When the oldest session began (bounds `range: "all"`), from the index alone. */
function earliestOf(rows: readonly UsageRow[]): number | undefined {
  let earliest: number | undefined;
  for (const row of rows) earliest = Math.min(earliest ?? row.createdAt, row.createdAt);
  return earliest;
}

async function windowOf(params: Record<string, unknown>, rows: readonly UsageRow[], now: number) {
  const { resolveUsageRange } = await import("./usage_range.ts");
  const range = resolveUsageRange(params, now, earliestOf(rows));
  if (typeof range === "string") throw new RpcError("INVALID_REQUEST", range);
  return range;
}

/**
 * The sessions that can hold messages in the window, each with its messages. A session last updated
 * before the window, or created after it, is never read: the work grows with the sessions active in
 * the window, not with every session ever kept.
 */
async function sessionsIn(deps: UsageDeps, rows: readonly UsageRow[], range: UsageRange): Promise<UsageSession[]> {
  const active = rows.filter((row) =>
    range.dayOf(row.updatedAt + ROW_SLACK_MS) >= range.startDate &&
    range.dayOf(row.createdAt - ROW_SLACK_MS) <= range.endDate
  );
  const sessions: UsageSession[] = [];
  for (let i = 0; i < active.length; i += READ_BATCH) {
    const batch = active.slice(i, i + READ_BATCH);
    const read = await Promise.all(batch.map(async (row) => ({ ...row, messages: await deps.messages(row) })));
    sessions.push(...read);
  }
  return sessions;
}

/** `usage.status`, `usage.cost` and `sessions.usage`. */
export function usageMethods(deps: UsageDeps): MethodTable {
  return {
    // Provider quota windows: this gateway reads no provider's quota, so none are listed, and none is being refreshed.
    "usage.status": {
      scope: "operator.read",
      handler: () => ({ updatedAt: deps.now(), providers: [], refreshing: false }),
    },
    "usage.cost": {
      scope: "operator.read",
      check: costParams,
      handler: async ({ params }) => {
        const p = isJsonObject(params) ? params : {};
        const rows = await deps.rows(agentsOf(deps, p));
        const now = deps.now();
        const range = await windowOf(p, rows, now);
        const { costUsageSummary } = await import("./usage_rollup.ts");
        return costUsageSummary(await sessionsIn(deps, rows, range), range, now);
      },
    },
    "sessions.usage": {
      ...validated("operator.read", "validateSessionsUsageParams", async ({ params: p }) => {
        let rows = await deps.rows(agentsOf(deps, p));
        if (p.key) rows = rows.filter((row) => row.key === p.key);
        const now = deps.now();
        const range = await windowOf({ ...p }, rows, now);
        const { sessionsUsageSummary } = await import("./usage_rollup.ts");
        return sessionsUsageSummary(await sessionsIn(deps, rows, range), range, p.limit ?? 50, now);
      }),
      // As in the reference, callable but not listed in hello-ok.
      advertise: false,
    },
  };
}
