// `usage.cost`, `sessions.usage` and `usage.status`: token usage from this gateway's own transcripts.
// The rollup is loaded on the first request: nothing of it is on the start path.
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import type { UsageSession } from "./usage_rollup.ts";

/** Dependencies of the usage methods. */
export interface UsageDeps {
  /** Every session of these agents with its transcript. */
  sessions(agentIds: readonly string[]): Promise<UsageSession[]>;
  /** Configured agent ids and the default one. */
  agents(): { ids: string[]; defaultAgentId: string };
  now(): number;
}

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

function earliestOf(sessions: readonly UsageSession[]): number | undefined {
  let earliest: number | undefined;
  for (const session of sessions) {
    const first = session.messages[0]?.timestamp;
    if (first !== undefined) earliest = Math.min(earliest ?? first, first);
  }
  return earliest;
}

async function windowOf(params: Record<string, unknown>, sessions: readonly UsageSession[], now: number) {
  const { resolveUsageRange } = await import("./usage_range.ts");
  const range = resolveUsageRange(params, now, earliestOf(sessions));
  if (typeof range === "string") throw new RpcError("INVALID_REQUEST", range);
  return range;
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
        const sessions = await deps.sessions(agentsOf(deps, p));
        const now = deps.now();
        const range = await windowOf(p, sessions, now);
        const { costUsageSummary } = await import("./usage_rollup.ts");
        return costUsageSummary(sessions, range, now);
      },
    },
    "sessions.usage": {
      ...validated("operator.read", "validateSessionsUsageParams", async ({ params: p }) => {
        let sessions = await deps.sessions(agentsOf(deps, p));
        if (p.key) sessions = sessions.filter((session) => session.key === p.key);
        const now = deps.now();
        const range = await windowOf({ ...p }, sessions, now);
        const { sessionsUsageSummary } = await import("./usage_rollup.ts");
        return sessionsUsageSummary(sessions, range, p.limit ?? 50, now);
      }),
      // As in the reference, callable but not listed in hello-ok.
      advertise: false,
    },
  };
}
