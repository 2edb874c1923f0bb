// How a session of our store looks on the wire: the reference's row, defaults and message shapes,
// key for key, filled from our own data. Fields whose feature this gateway lacks (sharing, fast
// mode, thinking levels, placement, automation) carry the reference's value for "off".
import { isPinned, isUnread } from "../../sessions/read_state.ts";
import type { AgentsConfig, ModelRef } from "../../agent/agents_config.ts";
import type { ModelEntry } from "../../config/resolve.ts";
import { messageText, type SessionRow, type TranscriptMessage } from "../../sessions/store.ts";
import { NESTED_TOOL_ACTIVITY, type NestedToolActivity } from "../../sessions/transcript.ts";
import { thinkingView } from "../../agent/thinking_level.ts";
import { effectiveResponseUsage } from "../../sessions/session_settings.ts";
import { sessionKindFields } from "../../sessions/session_kind.ts";
import { freshTotalTokens } from "../../sessions/session_total_tokens.ts";
import { qualifiedSessionKey } from "../../sessions/session_key.ts";
import { toolResultDetailsView } from "./tool_result_details_view.ts";

/** What a session view needs besides the row: the config in force and the runs in flight. */
export interface SessionViewContext {
  agents: AgentsConfig;
  models: readonly ModelEntry[];
  /**
   * A built-in provider's model the config does not configure (its catalog window and thinking
   * profile); absent where the catalog is not loaded, which leaves the configured-model fallbacks.
   */
  builtIn?: ((ref: ModelRef) => ModelEntry | undefined) | undefined;
  /** Ids of the runs in flight (or queued) on a session key. */
  activeRunIds(sessionKey: string): string[];
  /** Whether an enabled cron job is bound to the session (absent: no scheduler, never). */
  hasAutomation?: ((sessionKey: string) => boolean) | undefined;
}

/** Thinking as the reference reports it for a model without reasoning levels: only "off". */
export const THINKING_OFF = {
  thinkingLevels: [{ id: "off", label: "off" }],
  thinkingOptions: ["off"],
  thinkingDefault: "off",
} as const;

/** The agent runtime as the reference reports it when none is chosen: the built-in one, no placement. */
export const AGENT_RUNTIME = {
  id: "auto",
  cloudPlacementSupported: false,
  devicePlacementSupported: false,
  source: "implicit",
} as const;

/** The one owner a single-operator gateway has, as the reference names it. */
export const GATEWAY_OWNER = { type: "human", id: "gateway-owner", identity: { type: "profile", id: "gateway-owner" } };

/**
 * The context window the reference assumes for a model whose config gives none (its
 * `DEFAULT_CONTEXT_TOKENS`): what its clients show as the session's budget.
 */
export const DEFAULT_CONTEXT_TOKENS = 200_000;

/**
 * A model by provider and id, with its context window: the config's; a built-in model's runtime cap,
 * else its catalog window; else the reference's default.
 */
export function modelFacts(
  ctx: Pick<SessionViewContext, "models" | "builtIn">,
  ref: ModelRef,
): { modelProvider: string; model: string; contextTokens: number } {
  const configured = ctx.models.find((m) => m.provider === ref.provider && m.id === ref.model);
  const builtIn = configured ? undefined : ctx.builtIn?.(ref);
  return {
    modelProvider: ref.provider,
    model: ref.model,
    contextTokens: configured?.contextWindow ?? builtIn?.contextTokens ?? builtIn?.contextWindow ??
      DEFAULT_CONTEXT_TOKENS,
  };
}

/** The model an agent runs on and its context window, when configured. */
export function agentModel(
  ctx: Pick<SessionViewContext, "agents" | "models" | "builtIn">,
  agentId: string,
): { modelProvider: string; model: string; contextTokens: number } | undefined {
  const ref = ctx.agents.agents.find((a) => a.id === agentId)?.model;
  return ref ? modelFacts(ctx, ref) : undefined;
}

/** `defaults` of `sessions.list`, `chat.history` and `chat.startup`: the model a new turn uses. */
export function sessionDefaults(ctx: Pick<SessionViewContext, "agents" | "models" | "builtIn">, agentId: string) {
  const agent = ctx.agents.agents.find((a) => a.id === agentId);
  return {
    ...agentModel(ctx, agentId),
    agentRuntime: AGENT_RUNTIME,
    ...thinkingView(agent?.model && modelEntry(ctx, agent.model), agent?.thinkingDefault),
    modelSelectionTarget: "session",
  };
}

/** A model's entry: the configured one, else the built-in provider's, if either knows it. */
export function modelEntry(ctx: Pick<SessionViewContext, "models" | "builtIn">, ref: ModelRef): ModelEntry | undefined {
  return ctx.models.find((m) => m.provider === ref.provider && m.id === ref.model) ?? ctx.builtIn?.(ref);
}

/** A session's thinking: the levels of the model it runs on, its default, and the session's own level when set. */
function sessionThinking(ctx: SessionViewContext, agentId: string, row: SessionRow | undefined) {
  const agent = ctx.agents.agents.find((a) => a.id === agentId);
  const ref = row?.providerOverride && row.modelOverride
    ? { provider: row.providerOverride, model: row.modelOverride }
    : agent?.model;
  return {
    ...thinkingView(ref && modelEntry(ctx, ref), agent?.thinkingDefault),
    ...(row?.thinkingLevel ? { thinkingLevel: row.thinkingLevel } : {}),
  };
}

/** A session key as the store keeps it: a bare key (`main`) belongs to the default agent (`agent:main:main`). */
export function canonicalKey(key: string, defaultAgentId: string): string {
  return qualifiedSessionKey(key, defaultAgentId);
}

/** Whether a key is its agent's main session (`agent:<id>:main`). */
export function isMainKey(key: string, agentId: string): boolean {
  return key === `agent:${agentId}:main`;
}

/**
 * One session as `sessions.list`, `sessions.describe` and the session events carry it; a key
 * with no stored row yet (a fresh main session) gets the fields the reference gives it then.
 */
export function sessionRowView(
  ctx: SessionViewContext,
  key: string,
  agentId: string,
  row: SessionRow | undefined,
  now = Date.now(),
): Record<string, unknown> {
  const activeRunIds = ctx.activeRunIds(key);
  const isMain = isMainKey(key, agentId);
  const totalTokens = row ? freshTotalTokens(row) : undefined;
  return {
    key,
    visibility: "shared",
    permissionModePending: false,
    createdVia: "operator",
    createdActor: GATEWAY_OWNER,
    owner: { actor: GATEWAY_OWNER },
    participants: [],
    participantCount: 0,
    ...(row ? { createdAt: row.createdAt } : {}),
    ...kindFields(key, agentId, isMain, row),
    updatedAt: row?.updatedAt ?? null,
    archived: row?.archivedAt !== undefined,
    pinned: isPinned(row),
    ...(isPinned(row) ? { pinnedAt: row!.pinnedAt } : {}),
    unread: isUnread(row),
    ...(row?.lastReadAt !== undefined ? { lastReadAt: row.lastReadAt } : {}),
    ...(row?.markedUnreadAt !== undefined ? { markedUnreadAt: row.markedUnreadAt } : {}),
    ...(row
      ? {
        sessionId: row.sessionId,
        lastInteractionAt: row.updatedAt,
        lastActivityAt: row.lastActivityAt ?? row.updatedAt,
        abortedLastRun: row.abortedLastRun ?? false,
      }
      : {}),
    ...sessionThinking(ctx, agentId, row),
    effectiveFastMode: false,
    effectiveFastModeSource: "default",
    fastAutoOnSeconds: 60,
    ...(row?.inputTokens !== undefined ? { inputTokens: row.inputTokens, outputTokens: row.outputTokens ?? 0 } : {}),
    // The context in use as the run's end stored it, shown only when fresh, as the reference's list reads it.
    ...(totalTokens !== undefined ? { totalTokens } : {}),
    totalTokensFresh: totalTokens !== undefined,
    ...(activeRunIds.length > 0 ? { status: "running" } : row?.status ? { status: row.status } : {}),
    // The last run's span, kept in the session entry when it ended.
    ...(row?.startedAt !== undefined ? { startedAt: row.startedAt } : {}),
    ...(row?.endedAt !== undefined && activeRunIds.length === 0 ? { endedAt: row.endedAt } : {}),
    ...(row?.runtimeMs !== undefined && activeRunIds.length === 0 ? { runtimeMs: row.runtimeMs } : {}),
    ...(row?.lastRunId ? { lastRunId: row.lastRunId } : {}),
    // Why the last run failed or timed out (the reference UI's run error after a reload); none while one runs.
    ...(row?.lastRunError && activeRunIds.length === 0 ? { lastRunError: row.lastRunError } : {}),
    hasAutomation: ctx.hasAutomation?.(key) ?? false,
    // The session's own settings; its group activation is kept but not shown, as the reference's rows leave it out.
    ...(row?.verboseLevel ? { verboseLevel: row.verboseLevel } : {}),
    ...(row?.reasoningLevel ? { reasoningLevel: row.reasoningLevel } : {}),
    ...(row?.sendPolicy ? { sendPolicy: row.sendPolicy } : {}),
    ...(row?.responseUsage ? { responseUsage: row.responseUsage } : {}),
    effectiveResponseUsage: effectiveResponseUsage(row?.responseUsage),
    // One turn at a time per session: a message sent during a run waits for it (a follow-up).
    effectiveQueueMode: "followup",
    ...(row?.label ? { label: row.label } : {}),
    ...routeFields(row),
    ...(row?.providerOverride && row.modelOverride
      ? modelFacts(ctx, { provider: row.providerOverride, model: row.modelOverride })
      : agentModel(ctx, agentId)),
    modelOverrideSource: row?.modelOverride ? "user" : null,
    runtimeSelectionLocked: false,
    agentRuntime: AGENT_RUNTIME,
    snapshotAt: now,
    hasActiveRun: activeRunIds.length > 0,
    activeRunIds,
    sharingRole: "admin",
  };
}

/** The row's `kind`, `classification`, `agentId`, `peerKind`, `isMain`, `isBackground` and `chatType`, in the reference's order. */
function kindFields(key: string, agentId: string, isMain: boolean, row: SessionRow | undefined) {
  const { kind, classification, isBackground, chatType, peerKind } = sessionKindFields(
    key,
    isMain,
    row?.route?.chatType,
  );
  return {
    kind,
    classification,
    agentId,
    ...(peerKind ? { peerKind } : {}),
    isMain,
    isBackground,
    ...(chatType ? { chatType } : {}),
  };
}

/**
 * The chat a session last talked on, in the row fields the reference's rows carry it in: `channel`, the
 * `deliveryContext` and the flat `last*` fields (what `openclaw mcp serve` lists conversations by).
 */
function routeFields(row: SessionRow | undefined): Record<string, unknown> {
  const route = row?.route;
  if (!route) return {};
  const account = route.accountId !== undefined ? { accountId: route.accountId } : {};
  const thread = route.threadId !== undefined ? { threadId: route.threadId } : {};
  return {
    channel: route.channel,
    deliveryContext: { channel: route.channel, to: route.to, ...account, ...thread },
    lastChannel: route.channel,
    lastTo: route.to,
    ...(route.accountId !== undefined ? { lastAccountId: route.accountId } : {}),
    ...(route.threadId !== undefined ? { lastThreadId: route.threadId } : {}),
  };
}

/**
 * A nested tool call as the reference's history shows it (its `nestedToolActivityContent`): the call and its result
 * as the entry's content, the result without its client details, the run named beside it.
 */
function nestedActivityView(
  message: TranscriptMessage,
  nested: NestedToolActivity,
  id: string,
  seq: number,
): Record<string, unknown> {
  const { input, result, ...call } = nested;
  const key = message.idempotencyKey !== undefined ? { idempotencyKey: message.idempotencyKey } : {};
  return {
    role: "custom",
    customType: NESTED_TOOL_ACTIVITY,
    display: true,
    excludeFromContext: true,
    content: [
      {
        type: "toolCall",
        id: call.toolCallId,
        runId: call.runId,
        name: call.toolName,
        arguments: input,
        ...(call.parentToolCallId !== undefined ? { parentToolCallId: call.parentToolCallId } : {}),
        timestamp: call.startedAt,
      },
      { ...call, content: result.content, type: "toolResult", role: "toolResult" },
    ],
    timestamp: message.timestamp,
    ...key,
    __openclaw: { id, ...key, recordTimestampMs: message.timestamp, seq, runId: call.runId },
    runId: call.runId,
  };
}

/**
 * A transcript message as `chat.history` and `session.message` carry it: user text as a string,
 * assistant content as parts (text, tool calls) with its model, usage and stop reason, a tool's
 * `toolResult` with the call it answers, a nested tool call's entry as its call and result, and the `__openclaw` record
 * (id, position) the reference's clients key their lists by.
 */
export function messageView(message: TranscriptMessage, seq: number, sessionId: string): Record<string, unknown> {
  const text = messageText(message);
  // The transcript event's id, as the reference's clients know it; a message read from an older
  // transcript without one is named by its position.
  const id = message.id ?? `${sessionId}:${seq}`;
  if (message.role === "user") {
    // The run's idempotency key names its user message (`<key>:user`): clients match their sent
    // message to the stored one by it.
    const key = message.runId ? { idempotencyKey: `${message.runId}:user` } : {};
    // Sent with a working context: clients show the typed text and the snapshot, never the model's message.
    const context = message.workContext;
    return {
      role: "user",
      content: context?.text !== undefined ? context.text : text,
      timestamp: message.timestamp,
      ...key,
      __openclaw: {
        ...(message.senderIsOwner !== undefined ? { senderIsOwner: message.senderIsOwner } : {}),
        ...(context ? { workContext: { snapshot: context.snapshot } } : {}),
        id,
        ...key,
        recordTimestampMs: message.timestamp,
        seq,
      },
    };
  }
  if (message.role === "custom" && message.nested) return nestedActivityView(message, message.nested, id, seq);
  const meta = { ...(message.runId ? { runId: message.runId } : {}), id, recordTimestampMs: message.timestamp, seq };
  if (message.role === "toolResult") {
    // A tool's answer, as the reference's clients render it under the call it answers, with the details they show.
    const details = toolResultDetailsView(message.details);
    return {
      role: "toolResult",
      toolCallId: message.toolCallId,
      toolName: message.toolName,
      content: message.content,
      ...(details ? { details } : {}),
      isError: message.isError === true,
      timestamp: message.timestamp,
      __openclaw: meta,
    };
  }
  // Cache counts as the provider reported them (none: 0, as the reference counts); no model
  // pricing here, so cost is the reference's zeros.
  const usage = message.usage
    ? {
      input: message.usage.input,
      output: message.usage.output,
      totalTokens: message.usage.input + message.usage.output,
      cacheRead: message.usage.cacheRead ?? 0,
      cacheWrite: message.usage.cacheWrite ?? 0,
      cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
    }
    : undefined;
  return {
    role: "assistant",
    // Thinking shows as the reference's history shows it: its text, without the provider's signature.
    content: message.thinking?.length
      ? [...message.thinking.map((t) => ({ type: "thinking", thinking: t.thinking })), ...message.content]
      : message.content,
    ...(message.api ? { api: message.api } : {}),
    ...(message.provider ? { provider: message.provider } : {}),
    ...(message.model ? { model: message.model } : {}),
    ...(usage ? { usage } : {}),
    ...(message.stopReason ? { stopReason: message.stopReason } : {}),
    timestamp: message.timestamp,
    ...(message.responseId ? { responseId: message.responseId } : {}),
    __openclaw: meta,
  };
}
