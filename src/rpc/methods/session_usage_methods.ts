import type { AgentsConfig } from "../../agent/agents_config.ts";
import type { SessionRow, SessionStore } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { type SessionUsage, sessionUsage, usageAggregates, utcDay } from "./session_usage.ts";
import { agentModel, canonicalKey, GATEWAY_OWNER, type SessionViewContext } from "./session_view.ts";

/** Dependencies of the usage methods. */
export interface SessionUsageDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  view(): SessionViewContext;
}

const DAY_MS = 86_400_000;
const RANGE_DAYS: Record<string, number> = { "7d": 7, "30d": 30, "90d": 90, "1y": 365 };
/** Every session here is the gateway owner's: the one creator the Usage page can filter by. */
const OWNER_KEY = JSON.stringify(["profile", "gateway-owner"]);

/** The UTC time range a `sessions.usage` request covers: explicit dates, or a preset ending today (30 days by default). */
export function usageRange(
  p: { startDate?: string | undefined; endDate?: string | undefined; range?: string | undefined },
  now: number,
): { startMs: number; endMs: number } {
  const endMs = p.endDate ? Date.parse(`${p.endDate}T23:59:59.999Z`) : now;
  if (p.startDate) return { startMs: Date.parse(`${p.startDate}T00:00:00.000Z`), endMs };
  if (p.range === "all") return { startMs: 0, endMs };
  const days = RANGE_DAYS[p.range ?? "30d"] ?? 30;
  return { startMs: Date.parse(`${utcDay(endMs - (days - 1) * DAY_MS)}T00:00:00.000Z`), endMs };
}

/** Params of `sessions.usage.timeseries`/`.logs` (the pinned protocol package has no schema for them). */
export function checkUsageSessionParams(params: unknown): string | undefined {
  if (typeof params !== "object" || params === null || Array.isArray(params)) return "must be object";
  const p = params as Record<string, unknown>;
  if (typeof p.key !== "string" || p.key === "") return "at root: must have required property 'key'";
  if (p.agentId !== undefined && (typeof p.agentId !== "string" || p.agentId === "")) {
    return "at /agentId: must be string";
  }
  if (p.limit !== undefined && typeof p.limit !== "number") return "at /limit: must be number";
  return undefined;
}

/** `sessions.usage`, `sessions.usage.timeseries`, `sessions.usage.logs`: token usage from our transcripts. */
export function sessionUsageMethods(deps: SessionUsageDeps): MethodTable {
  const transcript = async (params: unknown) => {
    const p = params as { key: string; agentId?: string };
    const agents = deps.agents();
    const { agentId, sessionKey } = targetOf(agents, {
      agentId: p.agentId,
      sessionKey: canonicalKey(p.key, p.agentId ?? agents.defaultAgentId),
    });
    const { row, messages } = await deps.sessions.history(sessionKey, agentId);
    if (!row) throw new RpcError("INVALID_REQUEST", `No transcript found for session: ${p.key}`);
    return { row, messages };
  };
  return {
    "sessions.usage": validated("operator.read", "validateSessionsUsageParams", async ({ params: p }) => {
      const agents = deps.agents();
      const now = Date.now();
      const range = usageRange(p, now);
      let rows: SessionRow[];
      if (p.key) {
        const { agentId, sessionKey } = targetOf(agents, {
          agentId: p.agentId,
          sessionKey: canonicalKey(p.key, p.agentId ?? agents.defaultAgentId),
        });
        const row = await deps.sessions.get(sessionKey, agentId);
        rows = row ? [row] : [];
      } else {
        const ids = p.agentScope === "all"
          ? agents.agents.map((a) => a.id)
          : [targetOf(agents, { agentId: p.agentId ?? agents.defaultAgentId }).agentId];
        rows = await deps.sessions.list(ids);
      }
      // Only sessions touched since the range began can hold usage in it: the others are not read.
      let read = 0;
      const usages = await Promise.all(rows.map(async (row): Promise<SessionUsage | null> => {
        if (row.updatedAt < range.startMs) return null;
        read++;
        const { messages } = await deps.sessions.history(row.key, row.agentId);
        return sessionUsage(messages, row.sessionId, range);
      }));
      const view = deps.view();
      const limit = Math.max(1, p.limit ?? 50);
      const counted = rows.flatMap((row, i) => {
        const usage = usages[i];
        return usage ? [{ usage, agentId: row.agentId, creatorKey: OWNER_KEY, actor: GATEWAY_OWNER }] : [];
      });
      const { totals, aggregates } = usageAggregates(counted);
      return {
        updatedAt: now,
        startDate: utcDay(range.startMs),
        endDate: utcDay(range.endMs),
        sessions: rows.slice(0, limit).map((row, i) => ({
          key: row.key,
          ...(row.label ? { label: row.label } : {}),
          sessionId: row.sessionId,
          scope: "instance",
          updatedAt: row.updatedAt,
          agentId: row.agentId,
          creatorKey: OWNER_KEY,
          createdActor: GATEWAY_OWNER,
          chatType: "direct",
          ...(row.modelOverride ? { modelOverride: row.modelOverride, providerOverride: row.providerOverride } : {}),
          ...(() => {
            const model = agentModel(view, row.agentId);
            return model ? { modelProvider: model.modelProvider, model: model.model } : {};
          })(),
          usage: usages[i] ?? null,
          hasContextWeight: false,
        })),
        totals,
        aggregates,
        creatorOptions: rows.length > 0 ? [{ key: OWNER_KEY, actor: GATEWAY_OWNER }] : [],
        cacheStatus: { status: "fresh", cachedFiles: read, pendingFiles: 0, staleFiles: 0 },
      };
    }),
    "sessions.usage.timeseries": {
      scope: "operator.read",
      check: checkUsageSessionParams,
      handler: async ({ params }) => {
        const { row, messages } = await transcript(params);
        let cumulativeTokens = 0;
        const points = messages.flatMap((m) => {
          if (m.role !== "assistant" || !m.usage) return [];
          const totalTokens = m.usage.input + m.usage.output;
          cumulativeTokens += totalTokens;
          return [{
            timestamp: m.timestamp,
            input: m.usage.input,
            output: m.usage.output,
            cacheRead: 0,
            cacheWrite: 0,
            totalTokens,
            cost: 0,
            cumulativeTokens,
            cumulativeCost: 0,
          }];
        });
        return { sessionId: row.sessionId, points: points.slice(-200) };
      },
    },
    "sessions.usage.logs": {
      scope: "operator.read",
      check: checkUsageSessionParams,
      handler: async ({ params }) => {
        const { messages } = await transcript(params);
        const asked = (params as { limit?: number }).limit;
        const limit = Math.max(1, Math.min(Number.isFinite(asked) ? asked! : 200, 1000));
        const logs = messages.flatMap((m) => {
          const text = m.content.map((c) => c.text).join("").trim();
          if (!text) return [];
          const content = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
          const tokens = m.role === "assistant" && m.usage ? { tokens: m.usage.input + m.usage.output, cost: 0 } : {};
          return [{ timestamp: m.timestamp, role: m.role, content, ...tokens }];
        });
        return { logs: logs.slice(-limit) };
      },
    },
  };
}
