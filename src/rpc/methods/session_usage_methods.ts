import type { AgentsConfig } from "../../agent/agents_config.ts";
import { messageText, type SessionStore } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import type { MethodTable } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { canonicalKey, type SessionViewContext } from "./session_view.ts";
import { isJsonObject } from "../../log/json_object.ts";

/** Dependencies of the usage methods. */
export interface SessionUsageDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  view(): Promise<SessionViewContext>;
}

/** Params of `sessions.usage.timeseries`/`.logs` (the pinned protocol package has no schema for them). */
export function checkUsageSessionParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  const p = params;
  if (typeof p.key !== "string" || p.key === "") return "at root: must have required property 'key'";
  if (p.agentId !== undefined && (typeof p.agentId !== "string" || p.agentId === "")) {
    return "at /agentId: must be string";
  }
  if (p.limit !== undefined && typeof p.limit !== "number") return "at /limit: must be number";
  return undefined;
}

/** `sessions.usage.timeseries`, `sessions.usage.logs`: one session's token usage from its transcript (`sessions.usage` is in usage.ts). */
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
          const text = messageText(m).trim();
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
