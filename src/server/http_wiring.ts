import type { AgentsConfig } from "../agent/agents_config.ts";
import { embedTexts } from "../agent/provider.ts";
import { RunError } from "../agent/run_error.ts";
import type { AgentRuns } from "../agent/runs.ts";
import type { ToolHost } from "../agent/tool.ts";
import { agentTools } from "../agent/tool_catalog.ts";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import type { ResolvedConfig } from "../config/resolve.ts";
import { providerSpecOf } from "../config/resolve_providers.ts";
import { createHttpApp } from "../http/app.ts";
import type { ControlUiDeps } from "../http/control_ui.ts";
import type { DeviceJoinDeps } from "../http/device_join.ts";
import type { ProbeDeps } from "../http/health.ts";
import { getLogger } from "../log/logger.ts";
import type { SessionStore } from "../sessions/store.ts";
import type { HeartbeatService } from "../automation/heartbeat_service.ts";
import { hooksDeps } from "./hooks_wiring.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import type { DeliverReply } from "../automation/delivery.ts";

/** The services and live views the HTTP surface is wired to. */
export interface HttpWiring {
  heartbeat: HeartbeatService;
  runs: AgentRuns;
  sessions: SessionStore;
  /** What tools may use: `/tools/invoke` runs the agents' tools with it. */
  toolHost: ToolHost;
  agents(): AgentsConfig;
  /** The resolved config in force. */
  config(): ResolvedConfig;
  bearer(request: Request, remoteAddr: string): BearerVerdict;
  probes: ProbeDeps;
  controlUi: ControlUiDeps;
  /** Join URLs: burns a shortcode for its setup payload, rate limited. */
  deviceJoin: DeviceJoinDeps;
  /** Hook runs deliver through it (`deliver`, `channel`, `to`). */
  deliver?: DeliverReply | undefined;
  /** The channels hooks may deliver to, with their accounts. */
  channelAccounts?: (() => Record<string, { accountId: string; enabled: boolean }[]>) | undefined;
  /** The work admission fence: the routes that start work answer 503 while a host suspension holds. */
  work?: WorkAdmission | undefined;
}

/**
 * The HTTP app with probes, hooks, `/tools/invoke` and the OpenAI-compatible API. Settings are
 * read from the config in force on every request, so hot reloads apply at once.
 */
export function buildHttpApp(w: HttpWiring) {
  return createHttpApp({
    log: getLogger("gateway/http"),
    probes: w.probes,
    controlUi: w.controlUi,
    deviceJoin: { ...w.deviceJoin, work: w.work },
    tools: {
      work: w.work,
      authorize: w.bearer,
      agentTools: async (agentId) => {
        const agent = w.agents().agents.find((a) => a.id === agentId);
        return agent ? { tools: await agentTools(w.toolHost, agent), workspace: agent.workspace } : undefined;
      },
      policy: () => w.config().tools,
      defaultAgentId: () => w.agents().defaultAgentId,
    },
    hooks: { ...hooksDeps(w), work: w.work },
    openai: {
      work: w.work,
      enabled: () => w.config().http,
      authorize: w.bearer,
      agents: w.agents,
      startRun: (request) => w.runs.start(request),
      abortRun: (runId) => void w.runs.abort({ runId }),
      media: () => w.config().http.media,
      embed: async ({ ref, values, signal }) => {
        const agents = w.agents();
        const found = providerSpecOf(agents, ref.provider);
        if (!found) {
          throw new RunError(
            "unknown_model",
            `Unknown model: ${ref.provider}/${ref.model}. Declare models.providers.${ref.provider}.`,
            { status: 404 },
          );
        }
        // The key a run would send (auth profiles, environment, entry); the reference's words without one.
        const provider = await w.runs.withKey(found, agents.defaultAgentId);
        return embedTexts({ provider, model: ref.model, values, signal });
      },
    },
  });
}
