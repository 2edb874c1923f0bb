import type { AgentsConfig } from "../../agent/agents_config.ts";
import { isPinned } from "../../sessions/read_state.ts";
import type { InternalHookEmitter } from "../../agent/internal_hooks.ts";
import { emitGatewayReset } from "../../agent/gateway_reset_hook.ts";
import { messageText, type SessionStore } from "../../sessions/store.ts";
import { ArchivesPendingError } from "../../sessions/archive_errors.ts";
import { RpcError } from "../errors.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { matchesListFilter } from "./session_list_filter.ts";
import { requestedSessionAgent } from "./session_request_agent.ts";
import {
  agentModel,
  canonicalKey,
  GATEWAY_OWNER,
  messageView,
  sessionDefaults,
  sessionRowView,
  type SessionViewContext,
} from "./session_view.ts";

/** Dependencies of the session methods. */
export interface SessionMethodsDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  /** The config and runs a session view is filled from. */
  view(): Promise<SessionViewContext>;
  /** A session was reset or deleted: `sessions.changed` goes to the subscribers. */
  changed(key: string, agentId: string, reason: string): void;
  /** Stops a session's runs and compaction before a reset (its old context must not reach the new session). */
  abort?(key: string): void;
  /** Internal hooks: `sessions.reset` emits `command:reset` (or `command:new`) before resetting, awaited. */
  hooks?: InternalHookEmitter | undefined;
  /** The config as written: the event's `cfg`. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
}

/** `sessions.list`, `sessions.describe`, `sessions.preview`, `sessions.reset`, `sessions.delete`. */
export function sessionMethods(deps: SessionMethodsDeps): MethodTable {
  const history = async (key: string, agentId: string) => await deps.sessions.history(key, agentId);
  return {
    "sessions.list": validated("operator.read", "validateSessionsListParams", async ({ params: p }) => {
      const agents = deps.agents();
      const agentId = p.agentId ?? agents.defaultAgentId;
      const ids = p.agentId ? [targetOf(agents, { agentId: p.agentId }).agentId] : agents.agents.map((a) => a.id);
      const now = Date.now();
      const view = await deps.view();
      const active = (row: { key: string }) => view.activeRunIds(row.key).length > 0;
      // Pinned sessions first, the latest pin first, as the reference orders its list; the rest by update.
      const rows = (await deps.sessions.list(ids)).filter((row) => matchesListFilter(row, p, now, active))
        .sort((a, b) => (isPinned(b) ? b.pinnedAt! : 0) - (isPinned(a) ? a.pinnedAt! : 0));
      const limit = Math.max(1, Math.min(p.limit ?? 100, 500));
      const offset = Math.max(0, p.offset ?? 0);
      const page = rows.slice(offset, offset + limit);
      const hasMore = offset + limit < rows.length;
      return {
        ts: now,
        path: deps.sessions.summary(agentId).path,
        count: page.length,
        totalCount: rows.length,
        limitApplied: limit,
        nextOffset: hasMore ? offset + limit : null,
        hasMore,
        owners: rows.length > 0 ? [GATEWAY_OWNER] : [],
        defaults: sessionDefaults(view, agentId),
        sessions: page.map((row) => ({
          ...sessionRowView(view, row.key, row.agentId, row, now),
          // The last message's text, kept in the index: no transcript is read for a list.
          ...(p.includeLastMessage && row.lastPreview ? { lastMessagePreview: row.lastPreview } : {}),
        })),
      };
    }),
    "sessions.describe": validated("operator.read", "validateSessionsDescribeParams", async ({ params: p }) => {
      const agents = deps.agents();
      // A bare key ("main") belongs to the agent the request names, as in the reference; else the default's.
      const owner = requestedSessionAgent(agents, p.key, p.agentId);
      const { agentId, sessionKey } = targetOf(agents, { sessionKey: canonicalKey(p.key, owner) });
      const row = await deps.sessions.get(sessionKey, agentId);
      // The reference describes only sessions that exist; a fresh main session is `null` until its first turn.
      if (!row) return { session: null };
      return {
        session: {
          ...sessionRowView(await deps.view(), sessionKey, agentId, row),
          // As sessions.list: the last message's text from the index, when asked for.
          ...(p.includeLastMessage && row.lastPreview ? { lastMessagePreview: row.lastPreview } : {}),
        },
      };
    }),
    // The reference's transcript read (`openclaw mcp serve`'s messages_read): the newest `limit` messages of a
    // session as chat.history shows them, `[]` for a session it does not know. The package has no validator.
    "sessions.get": {
      scope: "operator.read",
      handler: async ({ params }) => {
        const p = isJsonObject(params) ? params : {};
        const given = p.key ?? p.sessionKey;
        const key = (typeof given === "string" || typeof given === "number" ? String(given) : "").trim();
        if (!key) throw new RpcError("INVALID_REQUEST", "key required");
        const limit = typeof p.limit === "number" && Number.isFinite(p.limit) ? Math.max(1, Math.floor(p.limit)) : 200;
        const agents = deps.agents();
        const requested = typeof p.agentId === "string" && p.agentId.trim() ? p.agentId : undefined;
        const owner = requestedSessionAgent(agents, key, requested);
        const { agentId, sessionKey } = targetOf(agents, { sessionKey: canonicalKey(key, owner) });
        const { row, messages, total } = await deps.sessions.history(sessionKey, agentId, { limit });
        if (!row) return { messages: [] };
        const first = total - messages.length;
        return { messages: messages.map((m, i) => messageView(m, first + i + 1, row.sessionId)) };
      },
    },
    "sessions.preview": validated("operator.read", "validateSessionsPreviewParams", async ({ params: p }) => {
      const previews = await Promise.all(p.keys.map(async (key) => {
        const { agentId, sessionKey } = targetOf(deps.agents(), { sessionKey: key });
        const { row, messages } = await history(sessionKey, agentId);
        if (!row) return { key, status: "missing", items: [] };
        return {
          key,
          status: "ok",
          items: messages.slice(-(p.limit ?? 5)).map((m) => ({
            role: m.role,
            text: messageText(m).slice(0, p.maxChars ?? 240),
          })),
        };
      }));
      return { ts: Date.now(), previews };
    }),
    "sessions.reset": validated("operator.admin", "validateSessionsResetParams", async ({ params: p }) => {
      const { agentId, sessionKey } = targetOf(deps.agents(), { ...p, sessionKey: p.key });
      const current = await deps.sessions.get(sessionKey, agentId);
      // The reference 2026.9.6's guard: a client resetting the session it saw, not one reset since.
      if (p.expectedSessionId !== undefined && current?.sessionId !== p.expectedSessionId) {
        throw new RpcError("INVALID_REQUEST", `Session ${p.key.trim()} changed before reset. Retry.`, {
          details: { reason: "session-changed" },
        });
      }
      // As the reference: an archived session starts no new work until it is restored.
      if (current?.archivedAt !== undefined) {
        throw new RpcError(
          "INVALID_REQUEST",
          `Session "${sessionKey}" is archived. Restore it before starting new work.`,
        );
      }
      deps.abort?.(sessionKey);
      const action = p.reason === "new" ? "new" : "reset";
      await emitGatewayReset(deps, { agentId, sessionKey, action, commandSource: "gateway:sessions.reset" });
      const row = await deps.sessions.reset(sessionKey, agentId);
      deps.changed(sessionKey, agentId, p.reason ?? "reset");
      const model = agentModel(await deps.view(), agentId);
      const resolved = model ? { modelProvider: model.modelProvider, model: model.model } : {};
      return {
        ok: true,
        key: sessionKey,
        entry: {
          sessionId: row.sessionId,
          updatedAt: row.updatedAt,
          sessionStartedAt: row.createdAt,
          createdVia: "operator",
          createdAt: row.createdAt,
          ...resolved,
        },
        resolved,
      };
    }),
    "sessions.delete": validated("operator.admin", "validateSessionsDeleteParams", async ({ params: p }) => {
      const { agentId, sessionKey } = targetOf(deps.agents(), { ...p, sessionKey: p.key });
      if (sessionKey === `agent:${agentId}:main`) {
        throw new RpcError("INVALID_REQUEST", `Cannot delete the main session (${sessionKey}).`);
      }
      // The lifecycle guards of the reference's delete: an archived-only delete, and a session reset (or
      // deleted) since it was listed; a session no longer there is neither archived nor the one expected.
      const current = await deps.sessions.get(sessionKey, agentId);
      if (p.archivedOnly === true && current?.archivedAt === undefined) {
        throw new RpcError(
          "INVALID_REQUEST",
          `Session ${p.key.trim()} is not archived. Archive it first, then delete it.`,
        );
      }
      const expected = p.expectedSessionId?.trim();
      if (expected && current?.sessionId !== expected) {
        throw new RpcError("INVALID_REQUEST", `Session ${p.key.trim()} changed before deletion. Retry.`);
      }
      const archived = await deps.sessions.delete(sessionKey, agentId, {
        deleteTranscript: p.deleteTranscript ?? true,
      }).catch((error) => {
        // The session is gone and its transcripts are kept in the database; the answer says the files are not.
        if (!(error instanceof ArchivesPendingError)) throw error;
        deps.changed(sessionKey, agentId, "delete");
        throw new RpcError("UNAVAILABLE", error.message);
      });
      if (!archived) throw new RpcError("INVALID_REQUEST", `Unknown session: ${sessionKey}`);
      deps.changed(sessionKey, agentId, "delete");
      return { ok: true, key: sessionKey, deleted: true, archived };
    }),
  };
}
