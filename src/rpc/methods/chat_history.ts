import { commandsListResult } from "../../agent/chat_commands.ts";
import type { AgentsConfig } from "../../agent/agents_config.ts";
import type { SessionStore } from "../../sessions/store.ts";
import type { TranscriptMessage } from "../../sessions/transcript.ts";
import { type CallerIdentity, type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { requestedSessionAgent } from "./session_request_agent.ts";
import { withCompactionMarkers } from "./compaction_markers.ts";
import { modelView } from "./models.ts";
import { messageView, sessionDefaults, sessionRowView, type SessionViewContext } from "./session_view.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { displayedHistory } from "../../automation/heartbeat_display.ts";
import { withResetMarker } from "./reset_marker.ts";
import type { InFlightRunSnapshot } from "../../agent/in_flight_run.ts";

/** Dependencies of the chat read methods. */
export interface ChatHistoryDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  view(): Promise<SessionViewContext>;
  /** The agent's heartbeat prompt, so its heartbeat turns' prompts stay out of the history shown (absent: the default's). */
  heartbeatPrompt?: ((agentId: string) => string) | undefined;
  /**
   * The agent's rows as `models.list` lists them in its configured view (the reference's chat metadata
   * reads the same catalog); absent, the configured models with the default tagged.
   */
  modelRows?: ((agentId: string, caller: CallerIdentity) => Promise<unknown[]>) | undefined;
  /** The session's run in flight (the text streamed so far), so a page loaded mid-run shows it and Stop. */
  inFlightRun?: ((sessionKey: string) => Promise<InFlightRunSnapshot | undefined>) | undefined;
}

/** The most messages one `chat.history` page holds, as the reference caps it. */
export const CHAT_HISTORY_MAX = 1000;

const HISTORY_KEYS = new Set([
  "sessionKey",
  "agentId",
  "cursor",
  "limit",
  "maxBytes",
  "offset",
  "pendingBefore",
  "inputRunIds",
  "messageId",
  "sessionId",
  "maxChars",
]);

/** `chat.startup`'s params check (the pinned protocol package predates the method): the `chat.history` fields. */
export function checkStartupParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  const p = params;
  for (const key of Object.keys(p)) if (!HISTORY_KEYS.has(key)) return `at root: unexpected property '${key}'`;
  if (typeof p.sessionKey !== "string" || p.sessionKey === "") {
    return "at root: must have required property 'sessionKey'";
  }
  if (p.agentId !== undefined && (typeof p.agentId !== "string" || p.agentId === "")) {
    return "at /agentId: must be string";
  }
  const limit = p.limit;
  if (
    limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > CHAT_HISTORY_MAX)
  ) {
    return `at /limit: must be integer in 1..${CHAT_HISTORY_MAX}`;
  }
  if (p.maxBytes !== undefined && (!Number.isInteger(p.maxBytes) || (p.maxBytes as number) < 1024)) {
    return "at /maxBytes: must be integer >= 1024";
  }
  return undefined;
}

/** The newest messages that fit `limit` and, serialized, `maxBytes`; oldest first. */
export function historyPage(
  views: Record<string, unknown>[],
  limit: number,
  maxBytes: number | undefined,
): Record<string, unknown>[] {
  const page = views.slice(-limit);
  if (maxBytes === undefined) return page;
  let bytes = 2;
  let start = page.length;
  while (start > 0) {
    const size = JSON.stringify(page[start - 1]).length + 1;
    if (bytes + size > maxBytes) break;
    bytes += size;
    start--;
  }
  return page.slice(start);
}

/** One `inputReceipts` entry: a sent message still waiting for its turn, or written as this message id. */
export type InputReceipt = { runId: string; state: "pending" } | {
  runId: string;
  state: "consumed";
  consumedByEventId: string;
};

/**
 * Where the messages of these runs (`chat.send` idempotency keys) stand: written to the
 * transcript (consumed, by the message's id), queued behind a running turn (pending), or unknown
 * (left out). The Control UI keeps a sent message pending until its receipt says consumed.
 */
export function inputReceipts(
  runIds: readonly string[],
  userMessages: ReadonlyMap<string, string>,
  queued: readonly string[],
): InputReceipt[] {
  return [...new Set(runIds)].flatMap((runId): InputReceipt[] => {
    const id = userMessages.get(runId);
    if (id) return [{ runId, state: "consumed", consumedByEventId: id }];
    return queued.includes(runId) ? [{ runId, state: "pending" }] : [];
  });
}

/**
 * The messages of a window before an automatic reset, as the history shows them above its marker: heartbeat
 * turns hidden, and no `seq` (the reference UI keys a message by it, and these windows number theirs from 1
 * too), so each is known by its event id.
 */
function earlierViews(
  messages: TranscriptMessage[],
  sessionId: string,
  heartbeatPrompt: string | undefined,
): Record<string, unknown>[] {
  return displayedHistory(messages, heartbeatPrompt).map(({ index }) => {
    const view = messageView(messages[index]!, index + 1, sessionId);
    const { seq: _seq, ...meta } = view.__openclaw as Record<string, unknown>;
    return { ...view, __openclaw: meta };
  });
}

/** Whether a transcript message holds a tool call, its result or a nested call (what `activity` is made of). */
function carriesTools(message: TranscriptMessage): boolean {
  return message.role === "toolResult" || message.nested !== undefined ||
    (message.role === "assistant" && message.content.some((part) => part.type === "toolCall"));
}

/** The metadata a chat view starts with: the models to pick from and the gateway's chat features. */
function chatMetadata(models: readonly unknown[]) {
  return {
    models,
    // The chat's text commands, as the reference's metadata lists them (commands.list, text scope).
    commands: commandsListResult({ scope: "text", includeArgs: true }).commands,
    swarmEnabled: false,
    accountSelection: { kind: "automatic", label: "Automatic account selection" },
    runtimeSelectionLocked: false,
  };
}

/** `chat.history`, `chat.startup`, `chat.metadata`. */
export function chatHistoryMethods(deps: ChatHistoryDeps): MethodTable {
  const page = async (
    p: {
      sessionKey: string;
      agentId?: string | undefined;
      limit?: number | undefined;
      maxBytes?: number | undefined;
      inputRunIds?: string[] | undefined;
    },
  ) => {
    // The agent named is checked as the reference's session requests check it; a bare key is that agent's.
    const owner = requestedSessionAgent(deps.agents(), p.sessionKey, p.agentId);
    const { agentId, sessionKey } = targetOf(deps.agents(), { agentId: owner, sessionKey: p.sessionKey });
    const limit = Math.max(1, Math.min(p.limit ?? 200, CHAT_HISTORY_MAX));
    // Only the newest `limit` messages are read: a 10,000-message transcript is not parsed to show its end.
    const { row, messages, total, leafEntryId } = await deps.sessions.history(sessionKey, agentId, { limit });
    const first = total - messages.length;
    const all = messages.map((m, i) => messageView(m, first + i + 1, row?.sessionId ?? ""));
    // Heartbeat prompts and acknowledgements stay in the transcript but not in what clients see,
    // as in the reference; the first message shown after a hidden heartbeat marks a turn boundary.
    const displayed = new Map<Record<string, unknown>, boolean>(
      displayedHistory(messages, deps.heartbeatPrompt?.(agentId)).map(({ index, turnBoundary }) => [
        all[index]!,
        turnBoundary,
      ]),
    );
    const messageViews = new Set(all);
    const marked = (await withCompactionMarkers(deps.sessions, { sessionKey, agentId }, all, first)).flatMap((v) => {
      if (!messageViews.has(v)) return [v];
      if (!displayed.has(v)) return [];
      return displayed.get(v) ? [{ ...v, __openclaw: { ...(v.__openclaw as object), turnBoundary: true } }] : [v];
    });
    const heartbeatPrompt = deps.heartbeatPrompt?.(agentId);
    const { views, earlierCount } = await withResetMarker(
      deps.sessions,
      { agentId, sessionId: row?.sessionId },
      marked,
      first,
      { room: limit, view: (older, sessionId) => earlierViews(older, sessionId, heartbeatPrompt) },
    );
    const shown = historyPage(views, limit, p.maxBytes);
    // The tool items of the page's tool-bearing messages, which the reference's Control UI groups under each run
    // (their module, with the tool titles, loads only for a transcript that holds tool calls: not on the start path).
    const activity = messages.some(carriesTools)
      ? (await import("./chat_history_activity.ts")).historyActivity(
        messages,
        shown.flatMap((v) => {
          const id = (v.__openclaw as { id?: unknown } | undefined)?.id;
          return typeof id === "string" ? [id] : [];
        }),
      )
      : [];
    // Bounded with the messages by the answer's byte budget, as the reference's (measured, and the bounding
    // loaded, only when a run is in flight: not on the start path).
    const running = await deps.inFlightRun?.(sessionKey);
    const bounding = running && await import("./in_flight_run.ts");
    const inFlightRun = bounding && bounding.boundInFlightRun(running, {
      messagesBytes: bounding.jsonUtf8Bytes(shown),
      maxBytes: Math.min(p.maxBytes ?? Infinity, bounding.CHAT_HISTORY_MAX_BYTES),
    });
    const view = await deps.view();
    let receipts: { inputReceipts: InputReceipt[]; inputConsumptions: unknown[] } | undefined;
    if (p.inputRunIds) {
      const wanted = new Set(p.inputRunIds);
      const written = new Map<string, string>();
      messages.forEach((m, i) => {
        const id = m.id ?? `${row?.sessionId}:${first + i + 1}`;
        if (m.role === "user" && m.runId && wanted.has(m.runId)) written.set(m.runId, id);
      });
      const list = inputReceipts(p.inputRunIds, written, view.activeRunIds(sessionKey));
      const inputConsumptions = list.flatMap((r) =>
        r.state === "consumed" ? [{ runId: r.runId, consumedByEventId: r.consumedByEventId }] : []
      );
      receipts = { inputReceipts: list, inputConsumptions };
    }
    return {
      // The key as the client sent it (a bare "main" too), as the reference answers.
      sessionKey: p.sessionKey,
      ...(row ? { sessionId: row.sessionId } : {}),
      messages: shown,
      ...(activity.length > 0 ? { activity } : {}),
      pendingInputs: { items: [], total: 0 },
      ...receipts,
      // Counted against every stored row: hidden heartbeat rows leave it true, as the reference's does (measured).
      hasMore: shown.filter((v) => v.role !== "system").length < total + earlierCount,
      totalMessages: total + earlierCount,
      defaults: sessionDefaults(view, agentId),
      sessionInfo: {
        ...sessionRowView(view, sessionKey, agentId, row),
        // The reference's `verboseLevel`: the session's own, else the agent's default.
        ...verbose(view, agentId, row?.verboseLevel),
        // The transcript's leaf, as the reference names the entry its next message is chained to.
        ...(leafEntryId ? { activeLeafEntryId: leafEntryId } : {}),
      },
      ...(inFlightRun ? { inFlightRun } : {}),
      agentId,
    };
  };
  const verbose = (view: SessionViewContext, agentId: string, own: string | undefined) => {
    const level = own ?? view.agents.agents.find((a) => a.id === agentId)?.verboseDefault;
    return level ? { verboseLevel: level } : {};
  };
  const metadata = async (agentId: string, caller: CallerIdentity) => {
    if (deps.modelRows) return chatMetadata(await deps.modelRows(agentId, caller));
    const view = await deps.view();
    const defaultRef = view.agents.agents.find((a) => a.id === agentId)?.model;
    return chatMetadata(view.models.map((m) => modelView(m, defaultRef)));
  };
  return {
    "chat.history": validated("operator.read", "validateChatHistoryParams", async ({ params }) => {
      const { agentId: _agentId, ...out } = await page(params);
      return out;
    }),
    "chat.startup": {
      scope: "operator.read",
      check: checkStartupParams,
      handler: async ({ params, caller }) => {
        const { agentId, ...out } = await page(params as Parameters<typeof page>[0]);
        // The level the session's next turn runs at: its own, else the default its model and agent give.
        const info = out.sessionInfo as { thinkingLevel?: string; thinkingDefault?: string };
        const thinkingLevel = info.thinkingLevel ?? info.thinkingDefault ?? "off";
        return { ...out, thinkingLevel, metadata: await metadata(agentId, caller) };
      },
    },
    "chat.metadata": validated("operator.read", "validateChatMetadataParams", ({ params, caller }) => {
      return metadata(targetOf(deps.agents(), params).agentId, caller);
    }),
  };
}
