import type { AgentsConfig } from "../../agent/agents_config.ts";
import type { SessionRow, SessionStore } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";

/** Dependencies of the session methods. */
export interface SessionMethodsDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
}

function rowOut(row: SessionRow) {
  return {
    key: row.key,
    kind: "direct",
    agentId: row.agentId,
    sessionId: row.sessionId,
    displayName: row.key,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    messageCount: row.messageCount,
    lastPreview: row.lastPreview,
  };
}

/** `chat.history`, `sessions.list`, `sessions.preview`, `sessions.reset`, `sessions.delete`. */
export function sessionMethods(deps: SessionMethodsDeps): MethodTable {
  const history = async (key: string, agentId: string) => await deps.sessions.history(key, agentId);
  return {
    "chat.history": validated("operator.read", "validateChatHistoryParams", async ({ params: p }) => {
      const { agentId, sessionKey } = targetOf(deps.agents(), p);
      const limit = Math.max(1, Math.min(p.limit ?? 200, 1000));
      // Only the newest `limit` messages are read: a 10,000-message transcript is not parsed to show its end.
      const { row, messages, total } = await deps.sessions.history(sessionKey, agentId, { limit });
      return {
        sessionKey,
        sessionId: row?.sessionId ?? null,
        messages,
        hasMore: total > messages.length,
        totalMessages: total,
      };
    }),
    "sessions.list": validated("operator.read", "validateSessionsListParams", async ({ params: p }) => {
      const rows = await deps.sessions.list(deps.agents().agents.map((a) => a.id));
      const limit = Math.max(1, Math.min(p.limit ?? 100, 500));
      const offset = Math.max(0, p.offset ?? 0);
      const page = rows.slice(offset, offset + limit);
      const hasMore = offset + limit < rows.length;
      return {
        ts: Date.now(),
        count: page.length,
        totalCount: rows.length,
        limitApplied: limit,
        nextOffset: hasMore ? offset + limit : null,
        hasMore,
        sessions: page.map(rowOut),
      };
    }),
    "sessions.preview": validated("operator.read", "validateSessionsPreviewParams", async ({ params: p }) => {
      const previews = await Promise.all(p.keys.map(async (key) => {
        const agentId = targetOf(deps.agents(), { sessionKey: key }).agentId;
        const { row, messages } = await history(key, agentId);
        if (!row) return { key, status: "missing", items: [] };
        return {
          key,
          status: "ok",
          items: messages.slice(-(p.limit ?? 5)).map((m) => ({
            role: m.role,
            text: m.content.map((c) => c.text).join("").slice(0, p.maxChars ?? 240),
          })),
        };
      }));
      return { ts: Date.now(), previews };
    }),
    "sessions.reset": validated("operator.admin", "validateSessionsResetParams", async ({ params: p }) => {
      const { agentId, sessionKey } = targetOf(deps.agents(), { ...p, sessionKey: p.key });
      const row = await deps.sessions.reset(sessionKey, agentId);
      return { ok: true, key: sessionKey, entry: rowOut(row) };
    }),
    "sessions.delete": validated("operator.admin", "validateSessionsDeleteParams", async ({ params: p }) => {
      const { agentId, sessionKey } = targetOf(deps.agents(), { ...p, sessionKey: p.key });
      if (sessionKey === `agent:${agentId}:main`) {
        throw new RpcError("INVALID_REQUEST", `Cannot delete the main session (${sessionKey}).`);
      }
      const deleted = await deps.sessions.delete(sessionKey, agentId, {
        deleteTranscript: p.deleteTranscript ?? true,
      });
      if (!deleted) throw new RpcError("INVALID_REQUEST", `Unknown session: ${sessionKey}`);
      return { ok: true, key: sessionKey, deleted: true };
    }),
  };
}
