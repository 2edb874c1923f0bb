import { type AgentsConfig, type ModelRef, parseModelRef } from "../../agent/agents_config.ts";
import type { AgentRuns, RunOutcome } from "../../agent/runs.ts";
import { agentOfKey } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
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

function finalPayload(outcome: RunOutcome): Record<string, unknown> {
  if (outcome.status !== "ok") {
    throw new RpcError("UNAVAILABLE", outcome.error ?? "agent run failed", {
      payload: { runId: outcome.runId, status: "error", summary: outcome.error ?? "agent run failed" },
    });
  }
  return {
    runId: outcome.runId,
    status: "ok",
    summary: "completed",
    result: {
      payloads: [{ text: outcome.text, mediaUrl: null }],
      meta: {
        durationMs: outcome.endedAt - outcome.startedAt,
        agentMeta: {
          sessionId: outcome.sessionId,
          provider: outcome.provider,
          model: outcome.model,
          usage: {
            input: outcome.usage.input,
            output: outcome.usage.output,
            total: outcome.usage.input + outcome.usage.output,
          },
        },
        aborted: false,
      },
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
    return {
      target,
      result: deps.runs.start({ ...target, message: params.message, idempotencyKey: params.idempotencyKey, model }),
    };
  };
  return {
    agent: validated("operator.write", "validateAgentParams", async ({ params, accept }) => {
      const { target, result } = start(params);
      if (result.kind === "in_flight") return { runId: result.runId, status: "in_flight", ...target };
      if (result.kind === "done") return finalPayload(result.outcome);
      // Recorded before the caller hears `accepted`, as the reference does.
      await deps.trackTask?.({ runId: result.runId, ...target, message: params.message, done: result.done });
      accept({ runId: result.runId, ...target, status: "accepted", acceptedAt: result.acceptedAt });
      return finalPayload(await result.done);
    }),
    "agent.wait": validated("operator.write", "validateAgentWaitParams", ({ params: p }) => {
      return deps.runs.wait(p.runId, Math.min(Math.max(p.timeoutMs ?? 30_000, 0), 600_000));
    }),
    "chat.send": validated("operator.write", "validateChatSendParams", ({ params }) => {
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
