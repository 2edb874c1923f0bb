// The session and agent views as tools: sessions_list, sessions_history and agents_list. Read-only;
// the model and `/tools/invoke` call the same tools.
import { agentOfKey } from "../sessions/store.ts";
import { type AgentTool, ToolError, type ToolFamily, type ToolHost, type ToolResult } from "./tool.ts";

/** A JSON answer as the reference's tools give it: the pretty text for the model, the object for clients. */
export function jsonResult(payload: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload, null, 2) }], details: payload };
}

function bounded(value: unknown, fallback: number, max: number): number {
  return Math.max(1, Math.min(Number(value ?? fallback) || fallback, max));
}

function sessionsList(host: ToolHost): AgentTool {
  return {
    name: "sessions_list",
    label: "Sessions",
    description: "List sessions with their metadata, most recently updated first. limit defaults to 100 (at most 500).",
    parameters: {
      type: "object",
      properties: { limit: { type: "integer", minimum: 1, description: "Most sessions to list." } },
      additionalProperties: false,
    },
    execute: async (args) => {
      const limit = bounded(args.limit, 100, 500);
      const rows = await host.sessions.list(host.agents().agents.map((a) => a.id));
      return jsonResult({
        count: Math.min(rows.length, limit),
        sessions: rows.slice(0, limit),
        hasMore: rows.length > limit,
        limitApplied: limit,
      });
    },
  };
}

function sessionsHistory(host: ToolHost): AgentTool {
  return {
    name: "sessions_history",
    label: "Session History",
    description: "Read the latest messages of one session by its key. limit defaults to 50 (at most 500).",
    parameters: {
      type: "object",
      properties: {
        sessionKey: { type: "string", description: "The session's key, e.g. agent:main:main." },
        limit: { type: "integer", minimum: 1, description: "Most messages to return (the newest)." },
      },
      required: ["sessionKey"],
      additionalProperties: false,
    },
    execute: async (args, call) => {
      if (typeof args.sessionKey !== "string") throw new ToolError("sessions_history requires args.sessionKey");
      // The agent id names a directory: only a configured agent's id, parsed strictly, may reach it.
      const agentId = args.sessionKey.startsWith("agent:") ? agentOfKey(args.sessionKey) : call.agentId;
      if (!agentId || !host.agents().agents.some((a) => a.id === agentId)) {
        throw new ToolError(`sessions_history: unknown agent in session key ${JSON.stringify(args.sessionKey)}`);
      }
      const { messages } = await host.sessions.history(args.sessionKey, agentId);
      const limit = bounded(args.limit, 50, 500);
      return jsonResult({ sessionKey: args.sessionKey, messages: messages.slice(-limit), total: messages.length });
    },
  };
}

function agentsList(host: ToolHost): AgentTool {
  return {
    name: "agents_list",
    label: "Agents",
    description: "List configured agent ids with their name and model.",
    parameters: { type: "object", properties: {}, additionalProperties: false },
    execute: (_args, call) => {
      const { agents } = host.agents();
      // The reference lists the requesting agent first, then the others by id.
      const rest = agents.filter((a) => a.id !== call.agentId).sort((a, b) => a.id.localeCompare(b.id));
      const self = agents.filter((a) => a.id === call.agentId);
      return Promise.resolve(jsonResult({
        requester: call.agentId,
        allowAny: false,
        agents: [...self, ...rest].map((a) => ({
          id: a.id,
          ...(a.name ? { name: a.name } : {}),
          configured: true,
          ...(a.model ? { model: `${a.model.provider}/${a.model.model}` } : {}),
        })),
      }));
    },
  };
}

/** The session and agent tools (the reference's `group:sessions` reads and `agents_list`). */
export const sessionTools: ToolFamily = (host) => [sessionsList(host), sessionsHistory(host), agentsList(host)];
