// The gateway's heartbeat: a HeartbeatService over the run engine, the session store, DeliverReply
// and the config in force. The gateway builds it once, hands it to the methods (`wake`,
// `last-heartbeat`, `set-heartbeats`, `status`), hooks and cron, reconfigures it on a reload and
// stops it on shutdown.
import type { AgentsConfig, ModelRef } from "../agent/agents_config.ts";
import type { AgentRuns } from "../agent/runs.ts";
import type { DeliverReply } from "../automation/delivery.ts";
import type { HeartbeatOutcome } from "../automation/heartbeat_control.ts";
import { HeartbeatService } from "../automation/heartbeat_service.ts";
import type { HeartbeatRunRequest, HeartbeatRunResult } from "../automation/heartbeat_turn.ts";
import { withoutQuietHeartbeats } from "../automation/heartbeat_transcript.ts";
import { HEARTBEAT_RUN_PREFIX } from "../automation/heartbeat_display.ts";
export { heartbeatChatEvent } from "../automation/heartbeat_display.ts";
import { heartbeatConfigView, resolveHeartbeat } from "../config/heartbeat_settings.ts";
import type { ConfigSnapshot } from "../config/load.ts";
import type { ResolvedGatewayConfig } from "../config/resolve.ts";
import { parseModelRef } from "../config/resolve_agents.ts";
import { policyAllows } from "../config/model_policy.ts";
import { getLogger } from "../log/logger.ts";
import type { SessionStore, TranscriptMessage } from "../sessions/store.ts";

/** What the heartbeat is built from. */
export interface HeartbeatWiring {
  runs: AgentRuns;
  sessions: SessionStore;
  deliver: DeliverReply;
  agents(): AgentsConfig;
  config(): ResolvedGatewayConfig;
  snapshot(): ConfigSnapshot;
  emit(outcome: HeartbeatOutcome): void;
  /** Whether new work is admitted now; while a host suspension holds, turns are skipped as busy (a wake retries). */
  admitted?: (() => boolean) | undefined;
  /** The reference's heartbeat monitor of an agent in the cron store, with its scratch text (see HeartbeatServiceDeps). */
  monitor?: ((agentId: string) => { content: string | undefined } | undefined) | undefined;
}

/** Why an agent without a model has no heartbeat turn, in words naming the setting. */
function noModel(agentId: string): { reason: string; message: string } {
  return {
    reason: "no-model",
    message: `Agent ${agentId} has no model (set agents.defaults.model.primary to "provider/model"), ` +
      "so the heartbeat had nothing to run; queued wake texts stay queued.",
  };
}

/**
 * The model a heartbeat turn names (`heartbeat.model`), or undefined for the agent's own: one the
 * agent's model policy forbids is passed over rather than refused as a request's override would be,
 * as the reference's heartbeat selection falls back to an allowed model instead of failing the turn.
 */
export function heartbeatModelRef(
  agents: AgentsConfig,
  agentId: string,
  raw: string | undefined,
): ModelRef | undefined {
  const ref = raw ? parseModelRef(raw) : undefined;
  const policy = agents.agents.find((a) => a.id === agentId)?.modelPolicy;
  return ref && policy && !policyAllows(policy, ref) ? undefined : ref;
}

/** Runs a heartbeat turn through the run engine and waits for its answer. */
async function runTurn(
  runs: AgentRuns,
  agents: AgentsConfig,
  request: HeartbeatRunRequest,
): Promise<HeartbeatRunResult> {
  const started = runs.start({
    agentId: request.agentId,
    sessionKey: request.sessionKey,
    message: request.message,
    // The prefix marks the run as a heartbeat's: its live `chat` events are filtered (heartbeat_display.ts).
    idempotencyKey: `${HEARTBEAT_RUN_PREFIX}${crypto.randomUUID()}`,
    model: heartbeatModelRef(agents, request.agentId, request.model),
    timeoutMs: request.timeoutMs,
    lightContext: request.lightContext,
    systemEvent: true,
  });
  if (started.kind === "in_flight") return { status: "error", text: "", error: "a heartbeat run is already in flight" };
  const outcome = started.kind === "done" ? started.outcome : await started.done;
  return { status: outcome.status, text: outcome.text, error: outcome.error };
}

/** The run engine's context filter: an agent's quiet heartbeat turns stay out of what its later turns send the model. */
export function heartbeatContextFilter(
  snapshot: () => ConfigSnapshot,
): (agentId: string, messages: TranscriptMessage[]) => TranscriptMessage[] {
  // A turn with no history (every stateless HTTP request, a session's first turn) has nothing to filter: the heartbeat's
  // settings are not resolved for it.
  return (agentId, messages) =>
    messages.length === 0
      ? messages
      : withoutQuietHeartbeats(messages, resolveHeartbeat(snapshot().config, agentId).prompt);
}

/** An agent's heartbeat prompt in the config in force (what chat surfaces hide). */
export function heartbeatPromptOf(snapshot: () => ConfigSnapshot): (agentId: string) => string {
  return (agentId) => resolveHeartbeat(snapshot().config, agentId).prompt;
}

/** Builds the heartbeat (its schedule starts with `start()`). */
export function wireHeartbeat(w: HeartbeatWiring): HeartbeatService {
  const log = getLogger("heartbeat");
  return new HeartbeatService({
    settings: () => heartbeatConfigView(w.snapshot().config),
    agents: () => {
      const agents = w.agents();
      return {
        defaultAgentId: agents.defaultAgentId,
        agents: agents.agents.map((agent) => ({
          id: agent.id,
          workspace: agent.workspace,
          unrunnable: agent.model ? undefined : noModel(agent.id),
        })),
      };
    },
    ownerAllowFrom: () => w.config().commands.ownerAllowFrom,
    run: (request) => runTurn(w.runs, w.agents(), request),
    resetSession: async (key, agentId) => void await w.sessions.reset(key, agentId),
    deliver: w.deliver,
    busy: (sessionKey) => w.admitted?.() === false || w.runs.activeRunIds(sessionKey).length > 0,
    monitor: w.monitor,
    hasLastRoute: async (sessionKey, agentId) => (await w.sessions.lastRoute(sessionKey, agentId)) !== undefined,
    lastRoute: (sessionKey, agentId) => w.sessions.lastRoute(sessionKey, agentId),
    emit: w.emit,
    warn: (message) => log.warn(message),
    info: (message) => log.info(message),
  });
}
