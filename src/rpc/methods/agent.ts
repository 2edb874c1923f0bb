import { type AgentsConfig, type ModelRef, parseModelRef } from "../../agent/agents_config.ts";
import { announceReply, type ChatCommandDeps, runChatCommand } from "../../agent/chat_command_run.ts";
import { decideCommand, parseChatCommand } from "../../agent/chat_commands.ts";
import type { AgentRuns, RunOutcome } from "../../agent/runs.ts";
import { agentOfKey } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import { scopeSatisfied } from "../scopes.ts";
import { type MethodTable, validated } from "../registry.ts";

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
  /** Slash commands in `chat.send` (`/new`, `/stop`, `/model`, ...): answered by the gateway when given. */
  commands?:
    | { deps: ChatCommandDeps; emit(event: "agent" | "chat", payload: Record<string, unknown>): void }
    | undefined;
}

/** Picks the agent and session a request targets, refusing unknown agents. */
export function targetOf(
  agents: AgentsConfig,
  params: { agentId?: string; sessionKey?: string },
): { agentId: string; sessionKey: string } {
  const agentId = params.agentId ?? (params.sessionKey ? agentOfKey(params.sessionKey) : undefined) ??
    agents.defaultAgentId;
  if (!agents.agents.some((a) => a.id === agentId)) {
    throw new RpcError("INVALID_REQUEST", `Unknown agent '${agentId}'.`, { details: { code: "UNKNOWN_AGENT_ID" } });
  }
  return { agentId, sessionKey: params.sessionKey ?? `agent:${agentId}:main` };
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

/** What a final `agent` answer reports besides the outcome: the prompt and the model asked for. */
export interface RunRequest {
  message: string;
  /** The session the run wrote: the reference names it where a transcript file once was. */
  sessionKey: string;
  requested: ModelRef | undefined;
  contextTokens?: ((ref: ModelRef) => number) | undefined;
}

/**
 * The run's report as the reference's `agent` answer carries it, from our own run: one model call
 * on the embedded runner (more when it failed over to a fallback), no tools, no thinking. Sections for features this gateway
 * lacks (system prompt report, context budget, credentials) are left out.
 */
export function runReport(outcome: RunOutcome, request: RunRequest) {
  const provider = outcome.provider ?? "";
  const model = outcome.model ?? "";
  const usage = {
    input: outcome.usage.input,
    output: outcome.usage.output,
    // Cache counts as the provider reported them (none: 0); no model pricing here: cost is 0.
    cacheRead: outcome.usage.cacheRead ?? 0,
    cacheWrite: outcome.usage.cacheWrite ?? 0,
    total: outcome.usage.input + outcome.usage.output,
    cost: { total: 0 },
  };
  const contextTokens = request.contextTokens?.({ provider, model });
  const requested = request.requested ?? { provider, model };
  const agentMeta = {
    sessionId: outcome.sessionId,
    sessionFile: request.sessionKey,
    provider,
    model,
    ...(contextTokens !== undefined ? { contextTokens, contextTokensSource: "resolved" } : {}),
    usage,
    lastCallUsage: usage,
    promptTokens: outcome.usage.input,
    // Code mode and its bridge are off: the reference's counts for a run without them.
    codeModeEngaged: false,
    assistantTurns: 1,
    bridgeCalls: { search: 0, describe: 0, call: 0 },
    terminalReceipt: {
      runId: outcome.runId,
      sessionId: outcome.sessionId,
      turnId: outcome.runId,
      requested: { provider: requested.provider, model: requested.model },
      effective: { provider, model, ...(outcome.responseModel ? { responseModel: outcome.responseModel } : {}) },
      successfulToolNames: [],
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
    requestShaping: { thinking: "off" },
    completion: { stopReason: outcome.stopReason, finishReason: outcome.stopReason },
  };
}

function finalPayload(outcome: RunOutcome, request: RunRequest): Record<string, unknown> {
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

/** `agent` (two-stage), `agent.wait`, `chat.send`, `chat.history`, `chat.abort`. */
export function agentMethods(deps: AgentMethodsDeps): MethodTable {
  const start = (
    params: {
      message: string;
      idempotencyKey: string;
      agentId?: string;
      sessionKey?: string;
      model?: string;
      provider?: string;
    },
  ) => {
    const agents = deps.agents();
    const target = targetOf(agents, params);
    const model = requestedModel(agents, target.agentId, params);
    const requested = model ?? agents.agents.find((a) => a.id === target.agentId)?.model;
    return {
      target,
      request: { message: params.message, sessionKey: target.sessionKey, requested, contextTokens: deps.contextTokens },
      result: deps.runs.start({ ...target, message: params.message, idempotencyKey: params.idempotencyKey, model }),
    };
  };
  return {
    agent: validated("operator.write", "validateAgentParams", async ({ params, accept }) => {
      const { target, request, result } = start(params);
      if (result.kind === "in_flight") return { runId: result.runId, status: "in_flight", ...target };
      if (result.kind === "done") return finalPayload(result.outcome, request);
      // Recorded before the caller hears `accepted`, as the reference does.
      await deps.trackTask?.({ runId: result.runId, ...target, message: params.message, done: result.done });
      accept({ runId: result.runId, ...target, status: "accepted", acceptedAt: result.acceptedAt });
      return finalPayload(await result.done, request);
    }),
    "agent.wait": validated("operator.write", "validateAgentWaitParams", ({ params: p }) => {
      return deps.runs.wait(p.runId, Math.min(Math.max(p.timeoutMs ?? 30_000, 0), 600_000));
    }),
    "chat.send": validated("operator.write", "validateChatSendParams", async ({ params, caller }) => {
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
        const gatewayClient = { scopes: caller.scopes, label: `webchat:${caller.clientId || "unknown"}` };
        const reply = decision.action === "refuse"
          ? decision.reply
          : await runChatCommand(commandDeps, command, { ...target, gatewayClient });
        const ids = { runId: params.idempotencyKey, ...target };
        // After the answer, so the client knows the run id its reply comes under.
        setTimeout(() => announceReply(emit, ids, reply), 0);
        return { runId: params.idempotencyKey, status: "started" };
      }
      const { result } = start(params);
      if (result.kind === "accepted") return { runId: result.runId, status: "started" };
      if (result.kind === "in_flight") return { runId: result.runId, status: "in_flight" };
      return { runId: result.outcome.runId, status: result.outcome.status };
    }),
    "chat.abort": validated("operator.write", "validateChatAbortParams", ({ params: p }) => {
      const runIds = deps.runs.abort({ sessionKey: p.sessionKey, runId: p.runId });
      return { ok: true, aborted: runIds.length > 0, runIds };
    }),
  };
}
