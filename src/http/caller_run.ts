import { AGENT_ID, type AgentsConfig, type ModelRef, parseModelRef } from "../agent/agents_config.ts";
import { policyAllows } from "../config/model_policy.ts";
import { apiError } from "./http_error.ts";

/** Session namespaces of the gateway's own runs, which a caller may not route into by header. */
const RESERVED_SESSION_PREFIXES = ["subagent:", "cron:", "acp:", "hook:", "node:"];

/**
 * Maps a request's `model` (and the agent header, which wins) to a configured agent id; an
 * invalid model or an unknown agent is thrown as the 400 to answer with.
 */
export function agentForModel(agents: AgentsConfig, model: string | undefined, header: string | null): string {
  let id: string | undefined;
  if (header) id = header.trim().toLowerCase();
  else {
    const name = (model ?? "openclaw").trim();
    const lower = name.toLowerCase();
    if (lower === "openclaw" || lower === "openclaw/default") id = agents.defaultAgentId;
    else id = /^(?:openclaw\/|openclaw:|agent:)(.+)$/i.exec(name)?.[1]?.toLowerCase();
    if (!id || !AGENT_ID.test(id)) throw apiError(400, "Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.");
  }
  if (!agents.agents.some((a) => a.id === id)) throw apiError(400, `Unknown agent '${id}'.`);
  return id;
}

/** Who a chat API request runs as: the agent, session (and whether it is kept) and model override of its run request. */
export interface CallerRun {
  agentId: string;
  sessionKey: string;
  /** Neither a session header nor `user`: a one-off conversation with no transcript. */
  ephemeral: boolean;
  model?: ModelRef;
}

/**
 * Decides a chat API request's agent and session from its headers and body, as `/v1/chat/completions`
 * and `/v1/responses` both do: `x-openclaw-model` picks the backend model, `x-openclaw-agent-id`
 * the agent; `x-openclaw-session-key` wins, then `user` keeps a per-user session under the API's
 * `namespace`, else the run gets a fresh session. A bad header or model (one the agent's model policy
 * forbids included) is thrown as the 400 to answer with.
 */
export function callerRun(
  request: Request,
  agents: AgentsConfig,
  body: { model?: string | undefined; user?: string | undefined },
  namespace: "openai" | "openresponses",
): CallerRun {
  const override = request.headers.get("x-openclaw-model");
  const model = override ? parseModelRef(override) : undefined;
  if (override && !model) throw apiError(400, "Invalid `x-openclaw-model`. Use `provider/model`.");
  const sessionHeader = request.headers.get("x-openclaw-session-key") || undefined;
  if (sessionHeader && RESERVED_SESSION_PREFIXES.some((prefix) => sessionHeader.startsWith(prefix))) {
    throw apiError(400, "`x-openclaw-session-key` cannot use reserved internal session namespaces.");
  }
  const agentHeader = request.headers.get("x-openclaw-agent-id") ?? request.headers.get("x-openclaw-agent");
  const agentId = agentForModel(agents, body.model, agentHeader);
  // The reference checks the override against the agent's model policy before any run starts, and
  // answers its own 400 (http-utils' resolveOpenAiCompatModelOverride), not the run's override refusal.
  const policy = model ? agents.agents.find((a) => a.id === agentId)?.modelPolicy : undefined;
  if (model && policy && !policyAllows(policy, model)) {
    throw apiError(
      400,
      `Model '${model.provider.toLowerCase()}/${model.model}' is not allowed for agent '${agentId}'.`,
    );
  }
  const sessionKey = sessionHeader ??
    (body.user
      ? `agent:${agentId}:${namespace}-user:${body.user}`
      : `agent:${agentId}:${namespace}:${crypto.randomUUID()}`);
  return { agentId, sessionKey, ephemeral: !sessionHeader && !body.user, ...(model ? { model } : {}) };
}
