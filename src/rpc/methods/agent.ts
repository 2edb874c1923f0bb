import {
  bestEffortOf,
  deliverPlanned,
  type DeliveryParams,
  deliverySucceededOf,
  planDelivery,
  refuseUnknownChannel,
  refuseUnplannable,
} from "./agent_delivery.ts";
import { type AgentsConfig, type ModelRef, parseModelRef } from "../../agent/agents_config.ts";
import {
  announceReply,
  type ChatCommandDeps,
  isSoftReset,
  resetArguments,
  runChatCommand,
} from "../../agent/chat_command_run.ts";
import { decideCommand, parseChatCommand } from "../../agent/chat_commands.ts";
import { isChatStopText } from "../../agent/chat_stop_text.ts";
import { emitGatewayReset } from "../../agent/gateway_reset_hook.ts";
import type { AgentRuns, RunOutcome } from "../../agent/runs.ts";
import type { InternalHookEmitter } from "../../agent/internal_hooks.ts";
import type { InboundHookFacts } from "../../agent/message_hook_context.ts";
import { emitMessagePreprocessed, emitMessageReceived } from "../../agent/message_hook_emit.ts";
import { runDeadlineMs } from "../../agent/run_deadline.ts";
import { agentOfKey } from "../../sessions/store.ts";
import { qualifiedSessionKey } from "../../sessions/session_key.ts";
import { RpcError } from "../errors.ts";
import type { StoredWorkContext, WorkContext } from "../../sessions/work_context.ts";
import { applyWorkContext } from "./chat_work_context.ts";
import { foreignKeyAgent } from "./session_request_agent.ts";
import { type ChatAttachmentDeps, prepareChatAttachments } from "./chat_attachments.ts";
import { scopeSatisfied } from "../scopes.ts";
import { type CallerIdentity, type MethodTable, validated } from "../registry.ts";

/** Dependencies of the agent and chat methods. */
export interface AgentMethodsDeps {
  runs: AgentRuns;
  agents(): AgentsConfig;
  /** Records an `agent` run in the task ledger (the reference tracks those, not chat.send). */
  trackTask?:
    | ((
      run: { runId: string; agentId: string; sessionKey: string; message: string; done: Promise<RunOutcome> },
    ) => void)
    | undefined;
  /** The context window of a model, as session views give it (the reference's default when unconfigured). */
  contextTokens?: ((ref: ModelRef) => number) | undefined;
  /** Sends a finished run's reply to a channel target (`agent` with `deliver: true`); absent: delivery fails. */
  deliver?:
    | ((target: { channel?: string; to: string; accountId?: string }, text: string) => Promise<unknown>)
    | undefined;
  /**
   * The caller receives the tool events of these runs, when it declared `tool-events` (the
   * reference sends them only to the connection that started or joined a run).
   */
  joinToolEvents?: ((runIds: readonly string[], caller: CallerIdentity) => void) | undefined;
  /** Slash commands in `chat.send` (`/new`, `/model`, ...; `/stop` is a plain abort): answered by the gateway when given. */
  commands?:
    | { deps: ChatCommandDeps; emit(event: "agent" | "chat", payload: Record<string, unknown>): void }
    | undefined;
  /** `chat.send` attachments (the Control UI's image upload): absent, they are refused. */
  attachments?: ChatAttachmentDeps | undefined;
  /** True when the session is archived: it starts no new work until restored (absent: never). */
  archived?: ((sessionKey: string, agentId: string) => Promise<boolean>) | undefined;
  /** The chat channels configured (and not disabled), in config order: a delivery without one may use the only one. */
  configuredChannels?: (() => string[]) | undefined;
  /** Where a session's replies last went (its channel route); an `agent` delivery without a target goes there. */
  sessionRoute?:
    | ((
      sessionKey: string,
      agentId: string,
    ) => Promise<{ channel: string; to: string; accountId?: string } | undefined>)
    | undefined;
  /**
   * Whether a session's replies may not be sent: its own send policy (`sessions.patch {sendPolicy}`, the TUI's
   * `/send off`), then `session.sendPolicy`'s rules.
   */
  sendDenied?: ((sessionKey: string, agentId: string) => Promise<boolean>) | undefined;
  /** Internal hooks: an accepted `chat.send` emits `message:received` and `message:preprocessed`. */
  hooks?: InternalHookEmitter | undefined;
  /** The config as written: the `cfg` of the hook contexts that carry it. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
}

/** A Gateway client's message as the reference's webchat surface describes it to the `message:*` hooks. */
function webchatFacts(
  params: { message: string; idempotencyKey: string },
  sessionKey: string,
  caller: CallerIdentity,
): InboundHookFacts {
  return {
    from: "",
    content: params.message,
    channelId: "webchat",
    conversationId: sessionKey,
    messageId: params.idempotencyKey,
    senderId: caller.clientId || undefined,
    isGroup: false,
  };
}

/** An accepted `chat.send`: `message:received`, then `message:preprocessed` (nothing to read in a client's text). */
function observeWebchat(
  deps: AgentMethodsDeps,
  params: { message: string; idempotencyKey: string },
  sessionKey: string,
  caller: CallerIdentity,
): void {
  if (!deps.hooks) return;
  const facts = webchatFacts(params, sessionKey, caller);
  emitMessageReceived(deps.hooks, sessionKey, facts);
  emitMessagePreprocessed(deps.hooks, sessionKey, facts, deps.rawConfig?.());
}

/** Refuses work on an archived session in the reference's words (its `chat.send`, `agent` and `sessions.reset`). */
async function refuseArchived(
  deps: AgentMethodsDeps,
  target: { agentId: string; sessionKey: string },
): Promise<void> {
  if (await deps.archived?.(target.sessionKey, target.agentId)) {
    throw new RpcError(
      "INVALID_REQUEST",
      `Session "${target.sessionKey}" is archived. Restore it before starting new work.`,
    );
  }
}

/**
 * Refuses a send on a session whose own send policy is "deny", in the reference's words (its `chat.send`, and its
 * `agent` asked to deliver).
 */
async function refuseDenied(deps: AgentMethodsDeps, target: { agentId: string; sessionKey: string }): Promise<void> {
  if (await deps.sendDenied?.(target.sessionKey, target.agentId)) {
    throw new RpcError("INVALID_REQUEST", "send blocked by session policy");
  }
}

/** Where an `agent` request's reply would go: its own target, the session's route, or the one configured channel. */
async function deliveryPlanOf(
  deps: AgentMethodsDeps,
  params: DeliveryParams,
  target: { agentId: string; sessionKey: string },
) {
  const route = await deps.sessionRoute?.(target.sessionKey, target.agentId);
  return planDelivery(params, route, deps.configuredChannels?.() ?? []);
}

/** Picks the agent and session a request targets, refusing unknown agents. */
export function targetOf(
  agents: AgentsConfig,
  params: { agentId?: string; sessionKey?: string },
): { agentId: string; sessionKey: string } {
  const keyAgent = params.sessionKey ? agentOfKey(params.sessionKey) : undefined;
  if (keyAgent && params.agentId && keyAgent !== params.agentId) throw foreignKeyAgent(keyAgent, params.agentId);
  const agentId = params.agentId ?? keyAgent ?? agents.defaultAgentId;
  if (!agents.agents.some((a) => a.id === agentId)) {
    throw new RpcError("INVALID_REQUEST", `Unknown agent '${agentId}'.`, { details: { code: "UNKNOWN_AGENT_ID" } });
  }
  // A bare key ("main") is the agent's own session, one row with its qualified key, as the reference's.
  const sessionKey = params.sessionKey ? qualifiedSessionKey(params.sessionKey, agentId) : `agent:${agentId}:main`;
  // Under `session.scope: "global"` the default agent's main session, by any of its names, is `global` (recorded:
  // tests/fixtures/bare_session_keys/reference_bare_session_keys_global.json).
  const global = agents.globalSession && sessionKey === `agent:${agents.defaultAgentId}:main`;
  return { agentId, sessionKey: global ? "global" : sessionKey };
}

/**
 * The model an `agent` request asks for instead of its agent's (`model`, optionally with
 * `provider`, as the reference reads them): `provider/model`, or a bare model id of `provider` or,
 * without one, of the agent's own provider. Undefined when the request names neither.
 */
export function requestedModel(
  agents: AgentsConfig,
  agentId: string,
  params: { model?: string; provider?: string },
): ModelRef | undefined {
  const model = params.model?.trim() || undefined;
  const provider = params.provider?.trim() || undefined;
  if (!model && !provider) return undefined;
  const own = agents.agents.find((a) => a.id === agentId)?.model;
  if (provider) {
    const id = model ?? own?.model;
    if (id) return { provider, model: id };
  } else if (model) {
    const ref = parseModelRef(model);
    if (ref) return ref;
    if (own) return { provider: own.provider, model };
  }
  throw new RpcError(
    "INVALID_REQUEST",
    `Cannot run agent ${agentId} on model "${model ?? ""}" of provider "${provider ?? ""}": ` +
      'name both, as model: "provider/model" or with provider, or configure the agent\'s model first',
  );
}

/** The session key `openclaw infer model run --gateway` gives each run. */
const MODEL_RUN_KEY = /^agent:[^:]+:explicit:model-run-[^:]+$/i;

/**
 * Whether an `agent` request's session is removed when its run ends: a model run's (`modelRun: true`, as
 * `openclaw infer model run --gateway` sends it), which the reference always runs with internal session effects and
 * cleans up after (createInternalSessionEffectsCleanup, enabled by `modelRun === true` and those effects). The
 * reference removes a hidden session of its own, never the caller's key; this gateway runs on the caller's key, so it
 * removes only a one-shot model-run key (`agent:<id>:explicit:model-run-<id>`, the CLI's): a model run asked on any
 * other session (`agent:main:main`) keeps it.
 */
export function modelRunDiscardsSession(params: { modelRun?: boolean | undefined }, sessionKey: string): boolean {
  return params.modelRun === true && MODEL_RUN_KEY.test(sessionKey);
}

/** What a final `agent` answer reports besides the outcome: the prompt and the model asked for. */
export interface RunRequest {
  message: string;
  /** The session the run wrote: the reference names it where a transcript file once was. */
  sessionKey: string;
  requested: ModelRef | undefined;
  contextTokens?: ((ref: ModelRef) => number) | undefined;
}

/** Token usage as the report shows it. */
function callUsage(usage: RunOutcome["usage"]) {
  return {
    input: usage.input,
    output: usage.output,
    // Cache counts as the provider reported them (none: 0); no model pricing here: cost is 0.
    cacheRead: usage.cacheRead ?? 0,
    cacheWrite: usage.cacheWrite ?? 0,
    total: usage.input + usage.output,
    cost: { total: 0 },
  };
}

/**
 * The run's report as the reference's `agent` answer carries it, from our own run: one model call
 * on the embedded runner (more when it failed over to a fallback), no tools, no thinking. Sections for features this gateway
 * lacks (system prompt report, context budget, credentials) are left out.
 */
export function runReport(outcome: RunOutcome, request: RunRequest) {
  const provider = outcome.provider ?? "";
  const model = outcome.model ?? "";
  const usage = callUsage(outcome.usage);
  const contextTokens = request.contextTokens?.({ provider, model });
  const requested = request.requested ?? { provider, model };
  const agentMeta = {
    sessionId: outcome.sessionId,
    sessionFile: request.sessionKey,
    provider,
    model,
    ...(contextTokens !== undefined ? { contextTokens, contextTokensSource: "resolved" } : {}),
    usage,
    lastCallUsage: outcome.lastCallUsage ? callUsage(outcome.lastCallUsage) : usage,
    promptTokens: outcome.usage.input,
    // Code mode and its bridge are off: the reference's counts for a run without them.
    codeModeEngaged: false,
    assistantTurns: outcome.assistantTurns ?? 1,
    bridgeCalls: { search: 0, describe: 0, call: 0 },
    terminalReceipt: {
      runId: outcome.runId,
      sessionId: outcome.sessionId,
      turnId: outcome.runId,
      requested: { provider: requested.provider, model: requested.model },
      effective: { provider, model, ...(outcome.responseModel ? { responseModel: outcome.responseModel } : {}) },
      successfulToolNames: outcome.successfulToolNames ?? [],
      rerouted: false,
    },
  };
  return {
    agentMeta,
    finalAssistantVisibleText: outcome.text,
    finalAssistantRawText: outcome.text,
    replayInvalid: false,
    // The states the reference's run starts in and keeps when no tool ran or messaged.
    livenessState: "working",
    stopReason: outcome.stopReason,
    executionTrace: {
      winnerProvider: provider,
      winnerModel: model,
      // In the reference's words: a call that failed over is `fallback_model` (`timeout` for a
      // timeout), with its reason and status; a model skipped while cooling down made no call.
      attempts: (outcome.attempts ?? [{ provider, model, result: "success" as const }])
        .filter((a) => a.result !== "skipped")
        .map((a) => ({
          provider: a.provider,
          model: a.model,
          result: a.result === "success" ? "success" : a.reason === "timeout" ? "timeout" : "fallback_model",
          ...(a.reason ? { reason: a.reason } : {}),
          stage: "assistant",
          ...(a.status !== undefined ? { status: a.status } : {}),
        })),
      fallbackUsed: (outcome.attempts ?? []).some((a) => a.result !== "success"),
      runner: "embedded",
    },
    requestShaping: { thinking: outcome.thinkingLevel ?? "off" },
    completion: { stopReason: outcome.stopReason, finishReason: outcome.stopReason },
  };
}

/** The `agent` method's final answer for an outcome; a failed run is thrown as the RpcError the method answers. */
export function finalPayload(outcome: RunOutcome, request: RunRequest): Record<string, unknown> {
  if (outcome.stopReason === "timeout") return timeoutPayload(outcome, request);
  if (outcome.status !== "ok") {
    throw new RpcError("UNAVAILABLE", outcome.error ?? "agent run failed", {
      payload: { runId: outcome.runId, status: "error", summary: outcome.error ?? "agent run failed" },
    });
  }
  const { agentMeta, ...report } = runReport(outcome, request);
  return {
    runId: outcome.runId,
    status: "ok",
    summary: "completed",
    result: {
      payloads: [{ text: outcome.text, mediaUrl: null }],
      meta: {
        durationMs: outcome.endedAt - outcome.startedAt,
        agentMeta,
        aborted: false,
        finalPromptText: request.message,
        ...report,
      },
      sourceReplyDeliveryState: "missing",
    },
  };
}

/**
 * The final answer for a run its deadline (the request's `timeout`) ended, as the reference answers it:
 * status `timeout`, summary `aborted`, what had streamed followed by its error payload.
 */
function timeoutPayload(outcome: RunOutcome, request: RunRequest): Record<string, unknown> {
  const message = outcome.error ?? "";
  const { agentMeta } = runReport(outcome, request);
  return {
    runId: outcome.runId,
    status: "timeout",
    summary: "aborted",
    stopReason: "timeout",
    result: {
      payloads: [
        ...(outcome.text ? [{ text: outcome.text, mediaUrl: null }] : []),
        { text: message, isError: true },
      ],
      meta: {
        modelFallbackStopReason: "agent_run_terminal_timeout",
        durationMs: outcome.endedAt - outcome.startedAt,
        agentMeta,
        aborted: true,
        finalPromptText: request.message,
        error: { kind: "incomplete_turn", message, fallbackSafe: false },
      },
    },
  };
}

/** `agent` (two-stage), `agent.wait`, `chat.send`, `chat.history`, `chat.abort`. */
export function agentMethods(deps: AgentMethodsDeps): MethodTable {
  const start = (
    params: {
      /** An `agent` request's `thinking`: checked strictly and kept as the session's level (chat.send's is per turn). */
      thinkingOverride?: boolean;
      message: string;
      idempotencyKey: string;
      agentId?: string;
      sessionKey?: string;
      model?: string;
      provider?: string;
      thinking?: string;
      /** `agent`: the turn's deadline in seconds (0: none). */
      timeout?: number;
      /** chat.send: the turn's deadline in ms (0: none). */
      timeoutMs?: number;
      /** chat.send: whether the client holds operator.admin (owner-only tools, as the reference's hasGatewayAdminScope). */
      senderIsOwner?: boolean;
      /** chat.send: images given inline (attachments). */
      images?: { data: string; mimeType: string }[];
      /** chat.send: the chat's own run (chat.history shows it in flight as such). */
      chatSend?: boolean;
      /** chat.send: the working context `message` carries, kept on the user row. */
      userWorkContext?: StoredWorkContext;
      /** `agent`: a one-shot model run (`openclaw infer model run --gateway`), whose session goes at its end. */
      modelRun?: boolean;
    },
  ) => {
    const agents = deps.agents();
    const target = targetOf(agents, params);
    const model = requestedModel(agents, target.agentId, params);
    const requested = model ?? agents.agents.find((a) => a.id === target.agentId)?.model;
    return {
      target,
      request: { message: params.message, sessionKey: target.sessionKey, requested, contextTokens: deps.contextTokens },
      result: deps.runs.start({
        ...target,
        message: params.message,
        idempotencyKey: params.idempotencyKey,
        model,
        ...(params.thinking ? { thinking: params.thinking, thinkingOverride: params.thinkingOverride } : {}),
        // The request's own deadline (`agent` `timeout` in seconds, chat.send `timeoutMs`) over the configured one.
        ...(params.timeout !== undefined || params.timeoutMs !== undefined
          ? {
            timeoutMs: runDeadlineMs(agents.runTimeoutSeconds, {
              ms: params.timeoutMs,
              seconds: params.timeout,
            }),
          }
          : {}),
        ...(params.senderIsOwner === false ? { senderIsOwner: false } : {}),
        ...(params.images?.length ? { images: params.images } : {}),
        ...(params.chatSend ? { chatSend: true } : {}),
        ...(params.userWorkContext ? { workContext: params.userWorkContext } : {}),
        ...(modelRunDiscardsSession(params, target.sessionKey) ? { discardSession: true } : {}),
      }),
    };
  };
  /** `chat.send`'s attachments prepared for the run, or refused when this gateway keeps no media. */
  const attach = (message: string, attachments: readonly unknown[], agentId: string) => {
    if (!deps.attachments) throw new RpcError("INVALID_REQUEST", "attachments are not supported by this gateway");
    const records = attachments.filter((a): a is Record<string, unknown> => typeof a === "object" && a !== null);
    return prepareChatAttachments(message, records, agentId, deps.attachments);
  };
  return {
    agent: validated("operator.write", "validateAgentParams", async ({ params: asked, accept, caller }) => {
      let params = asked;
      const addressed = targetOf(deps.agents(), params);
      await refuseArchived(deps, addressed);
      refuseUnknownChannel(params);
      // A strict delivery that cannot go anywhere is refused before its run, as the reference's.
      const delivery = { ...params, bestEffortDeliver: bestEffortOf(params, addressed) };
      const plan = params.deliver === true ? await deliveryPlanOf(deps, params, addressed) : undefined;
      if (plan) await refuseDenied(deps, addressed);
      if (plan) refuseUnplannable(plan, delivery);
      // `/new` and `/reset` reset the session as the reference's `agent` does: bare, without a model
      // turn; with text after them, that text then runs on the fresh session. Other slash text goes to the model.
      const command = deps.commands ? parseChatCommand(params.message) : undefined;
      if (deps.commands && command && (command.key === "new" || command.key === "reset")) {
        const target = addressed;
        const sender = {
          isOwner: scopeSatisfied(caller.scopes, "operator.admin"),
          authorized: true,
          gatewayClient: true,
        };
        const decision = decideCommand(command, sender);
        if (decision.action === "refuse") throw new RpcError("INVALID_REQUEST", decision.reply);
        // As the reference's `agent`: a Gateway reset, its event emitted before it with `commandSource: "gateway:agent"`
        // (not the chat command's event, which would follow the reset).
        const commandDeps = deps.commands.deps;
        if (!isSoftReset(command)) {
          await emitGatewayReset(commandDeps, { ...target, action: command.key, commandSource: "gateway:agent" });
        }
        const text = await runChatCommand({ ...commandDeps, hooks: undefined }, command, target);
        const { followUp } = resetArguments(commandDeps, command.args, target.agentId);
        const row = await deps.commands.deps.sessions.get(target.sessionKey, target.agentId);
        if (followUp) params = { ...params, message: followUp };
        else {
          return {
            runId: params.idempotencyKey,
            status: "ok",
            summary: "completed",
            result: {
              payloads: [{ text, isStatusNotice: true }],
              meta: { durationMs: 0, ...(row ? { agentMeta: { sessionId: row.sessionId } } : {}) },
            },
          };
        }
      }
      const { target, request, result } = start({ ...params, thinkingOverride: true });
      if (result.kind !== "done") deps.joinToolEvents?.([result.runId], caller);
      if (result.kind === "in_flight") return { runId: result.runId, status: "in_flight", ...target };
      if (result.kind === "done") return finalPayload(result.outcome, request);
      // Recorded before the caller hears `accepted`, as the reference does; a model run is not tracked, as there.
      if (!modelRunDiscardsSession(params, target.sessionKey)) {
        await deps.trackTask?.({ runId: result.runId, ...target, message: params.message, done: result.done });
      }
      accept({ runId: result.runId, ...target, status: "accepted", acceptedAt: result.acceptedAt });
      const answer = finalPayload(await result.done, request);
      if (!plan) return answer;
      const text = String((answer.result as { payloads: { text: string }[] }).payloads[0]?.text ?? "");
      const deliveryStatus = await deliverPlanned(deps.deliver, plan, delivery, text);
      const answered = answer.result as Record<string, unknown>;
      return { ...answer, result: { ...answered, ...deliverySucceededOf(deliveryStatus), deliveryStatus } };
    }),
    "agent.wait": validated("operator.write", "validateAgentWaitParams", ({ params: p }) => {
      return deps.runs.wait(p.runId, Math.min(Math.max(p.timeoutMs ?? 30_000, 0), 600_000));
    }),
    "chat.send": validated("operator.write", "validateChatSendParams", async ({ params: asked, caller }) => {
      await refuseArchived(deps, targetOf(deps.agents(), asked));
      await refuseDenied(deps, targetOf(deps.agents(), asked));
      // A working context goes with an ordinary message only, refused before any stop or command handling.
      const withContext = asked.workContext
        ? applyWorkContext(asked.message, asked.workContext as WorkContext, (asked.attachments?.length ?? 0) > 0)
        : undefined;
      const params = withContext ? { ...asked, message: withContext.message } : asked;
      // As the reference: a stop request is a plain abort of the session's runs, answered as chat.abort answers,
      // before any command or message handling (no reply, no message or command hook event).
      if (params.suppressCommandInterpretation !== true && isChatStopText(params.message)) {
        const runIds = deps.runs.abort({ sessionKey: targetOf(deps.agents(), params).sessionKey });
        return { ok: true, aborted: runIds.length > 0, runIds };
      }
      const command = deps.commands ? parseChatCommand(params.message) : undefined;
      // A Gateway client is authorized; its owner authority is operator.admin. The model never sees a command.
      const sender = {
        isOwner: scopeSatisfied(caller.scopes, "operator.admin"),
        authorized: true,
        gatewayClient: true,
      };
      const decision = command ? decideCommand(command, sender) : undefined;
      if (command && deps.commands && decision && decision.action !== "ignore") {
        const { deps: commandDeps, emit } = deps.commands;
        const target = targetOf(deps.agents(), params);
        observeWebchat(deps, params, target.sessionKey, caller);
        const gatewayClient = {
          scopes: caller.scopes,
          label: `webchat:${caller.clientId || "unknown"}`,
          clientId: caller.clientId || undefined,
        };
        const ids = { runId: params.idempotencyKey, ...target };
        // `/compact` takes as long as a model call: the send is answered at once and the
        // compaction's reply delivered when it ends, as any command reply is delivered.
        if (decision.action === "run" && command.key === "compact") {
          void runChatCommand(commandDeps, command, { ...target, gatewayClient })
            .catch((caught) => `⚙️ Compaction failed: ${caught instanceof Error ? caught.message : String(caught)}`)
            .then((reply) => setTimeout(() => announceReply(emit, ids, reply), 0));
          return { runId: params.idempotencyKey, status: "started" };
        }
        const reply = decision.action === "refuse"
          ? decision.reply
          : await runChatCommand(commandDeps, command, { ...target, gatewayClient });
        // After the answer, so the client knows the run id its reply comes under.
        setTimeout(() => announceReply(emit, ids, reply), 0);
        // `/new <text>`: the text runs on the fresh session, as a run of its own.
        const followUp = decision.action === "run" && (command.key === "new" || command.key === "reset")
          ? resetArguments(commandDeps, command.args, target.agentId).followUp
          : "";
        if (followUp) {
          start({
            ...params,
            message: followUp,
            idempotencyKey: `${params.idempotencyKey}:followup`,
            senderIsOwner: sender.isOwner,
            chatSend: true,
          });
        }
        return { runId: params.idempotencyKey, status: "started" };
      }
      const attached = params.attachments?.length
        ? await attach(params.message, params.attachments, targetOf(deps.agents(), params).agentId)
        : { message: params.message, images: [] };
      // As the reference's chat.send: a client without operator.admin is not the owner (no automations tool).
      const { target, result } = start({
        ...params,
        ...attached,
        senderIsOwner: sender.isOwner,
        chatSend: true,
        ...(withContext ? { userWorkContext: withContext.workContext } : {}),
      });
      // Only a dispatch the gateway accepted is observed (a repeated idempotency key is not).
      if (result.kind === "accepted") observeWebchat(deps, params, target.sessionKey, caller);
      // As the reference's chat.send: the sender also joins the session's other active runs.
      if (result.kind !== "done") {
        const others = deps.runs.activeRunIds(target.sessionKey).filter((id) => id !== result.runId);
        deps.joinToolEvents?.([result.runId, ...others], caller);
      }
      if (result.kind === "accepted") return { runId: result.runId, status: "started" };
      if (result.kind === "in_flight") return { runId: result.runId, status: "in_flight" };
      return { runId: result.outcome.runId, status: result.outcome.status };
    }),
    "chat.abort": validated("operator.write", "validateChatAbortParams", ({ params: p }) => {
      // A bare key ("main") names the runs of its agent's qualified session; an unknown agent just has none.
      const owner = p.agentId ?? agentOfKey(p.sessionKey) ?? deps.agents().defaultAgentId;
      const runIds = deps.runs.abort({ sessionKey: qualifiedSessionKey(p.sessionKey, owner), runId: p.runId });
      return { ok: true, aborted: runIds.length > 0, runIds };
    }),
  };
}
