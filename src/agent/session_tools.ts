// The session and agent views as tools: sessions_list, sessions_history and agents_list. Read-only;
// the model and `/tools/invoke` call the same tools.
import { agentOfKey } from "../sessions/store.ts";
import { sessionAccess } from "./session_access.ts";
import { historyView, sessionKind, sessionListRow } from "./session_tool_views.ts";
import { type AgentTool, ToolError, type ToolFamily, type ToolHost, type ToolResult } from "./tool.ts";

/** A JSON answer as the reference's tools give it: the pretty text for the model, the object for clients. */
export function jsonResult(payload: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload, null, 2) }], details: payload };
}

const KINDS = ["main", "group", "cron", "hook", "node", "other"];

function optionalInt(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ToolError(`${name} must be an integer of at least ${min}`);
  }
  return value;
}

function sessionsList(host: ToolHost): AgentTool {
  return {
    name: "sessions_list",
    label: "Sessions",
    description: "List visible session metadata, most recently updated first; filter by kinds, label, agentId, " +
      "activeMinutes or search (key/label text). limit defaults to 100; larger requests stay valid but limitApplied " +
      "never exceeds 200. count is this page, not an inventory total. Continue with nextOffset while hasMore. " +
      "Use before history/send target selection.",
    parameters: {
      type: "object",
      properties: {
        kinds: { type: "array", items: { enum: KINDS, type: "string" } },
        limit: { type: "integer", minimum: 1 },
        offset: { type: "integer", minimum: 0 },
        activeMinutes: { type: "integer", minimum: 1 },
        label: { type: "string", minLength: 1 },
        agentId: { type: "string", minLength: 1, maxLength: 64 },
        search: { type: "string", minLength: 1 },
        archived: { anyOf: [{ type: "boolean" }, { const: "all", type: "string" }] },
      },
    },
    execute: async (args, call) => {
      // The reference accepts larger limits but applies at most 200 rows (reported in limitApplied).
      const limit = Math.min(optionalInt(args.limit, "limit", 1) ?? 100, 200);
      const offset = optionalInt(args.offset, "offset", 0) ?? 0;
      const activeMinutes = optionalInt(args.activeMinutes, "activeMinutes", 1);
      const kinds = Array.isArray(args.kinds) ? args.kinds.filter((k): k is string => typeof k === "string") : [];
      const label = typeof args.label === "string" ? args.label : undefined;
      const search = typeof args.search === "string" ? args.search.toLowerCase() : undefined;
      // As the reference's tool asks sessions.list: archived sessions only when asked for (`true`, or `"all"`).
      const archived = args.archived === true || args.archived === "all" ? args.archived : false;
      const agents = host.agents().agents;
      const agentIds = typeof args.agentId === "string" ? [args.agentId.toLowerCase()] : agents.map((a) => a.id);
      const known = agentIds.filter((id) => agents.some((a) => a.id === id));
      const models = host.config().models;
      const policy = host.config().sessionTools;
      const visible = (row: { key: string; agentId: string }) =>
        sessionAccess(policy, {
          action: "list",
          requesterAgentId: call.agentId,
          requesterKey: call.sessionKey,
          targetAgentId: row.agentId,
          targetKey: row.key,
        }).allowed;
      const rows = (await host.sessions.list(known)).filter((row) =>
        visible(row) &&
        (archived === "all" || (row.archivedAt !== undefined) === archived) &&
        (kinds.length === 0 || kinds.includes(sessionKind(row.key, row.agentId))) &&
        (label === undefined || row.label === label) &&
        (search === undefined || `${row.key} ${row.label ?? ""}`.toLowerCase().includes(search)) &&
        (activeMinutes === undefined || row.updatedAt >= Date.now() - activeMinutes * 60_000)
      );
      const page = rows.slice(offset, offset + limit).map((row) =>
        sessionListRow(row, {
          models,
          agentModel: agents.find((a) => a.id === row.agentId)?.model,
          running: row.key === call.sessionKey,
        })
      );
      const hasMore = rows.length > offset + limit;
      return jsonResult({
        count: page.length,
        sessions: page,
        hasMore,
        ...(hasMore ? { nextOffset: offset + limit } : {}),
        limitApplied: limit,
      });
    },
  };
}

function sessionsHistory(host: ToolHost): AgentTool {
  return {
    name: "sessions_history",
    label: "Session History",
    description: "Read sanitized visible-session history: the latest tail by default. offset pages unanchored " +
      "history (pass returned nextOffset). limit bounds the answer. Long text blocks are cut at 4000 characters.",
    parameters: {
      type: "object",
      required: ["sessionKey"],
      properties: {
        sessionKey: { type: "string", minLength: 1 },
        limit: { type: "integer", minimum: 1, maximum: 1000 },
        offset: { type: "integer", minimum: 0 },
        includeTools: { type: "boolean" },
      },
    },
    execute: async (args, call) => {
      if (typeof args.sessionKey !== "string" || !args.sessionKey.trim()) {
        throw new ToolError("sessionKey required");
      }
      // A bare key ("main") is one of the caller's agent's sessions.
      const key = args.sessionKey.startsWith("agent:") ? args.sessionKey : `agent:${call.agentId}:${args.sessionKey}`;
      // The agent id names a directory: only a configured agent's id, parsed strictly, may reach it.
      const agentId = agentOfKey(key);
      if (!agentId || !host.agents().agents.some((a) => a.id === agentId)) {
        throw new ToolError(`sessions_history: unknown agent in session key ${JSON.stringify(args.sessionKey)}`);
      }
      const access = sessionAccess(host.config().sessionTools, {
        action: "history",
        requesterAgentId: call.agentId,
        requesterKey: call.sessionKey,
        targetAgentId: agentId,
        targetKey: key,
      });
      if (!access.allowed) return jsonResult({ status: "forbidden", error: access.error, sessionKey: key });
      const limit = Math.min(optionalInt(args.limit, "limit", 1) ?? 50, 1000);
      const offset = optionalInt(args.offset, "offset", 0) ?? 0;
      const { messages } = await host.sessions.history(key, agentId);
      return jsonResult(historyView(key, messages, { limit, offset }));
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
