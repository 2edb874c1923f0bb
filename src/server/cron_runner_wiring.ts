// The gateway's CronJobRunner (automation/cron_job_runner.ts) over its run engine, session store,
// DeliverReply and heartbeat: the scheduler (cron_wiring.ts) calls it when a job is due.
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { AgentRuns } from "../agent/runs.ts";
import type { CronJobRunner } from "../automation/cron_runner.ts";
import type { DeliverReply } from "../automation/delivery.ts";
import type { HeartbeatControl } from "../automation/heartbeat_control.ts";
import { mainSessionSettings } from "../config/client_facts.ts";
import { cronDeliverySettings } from "../config/cron_delivery_settings.ts";
import type { ConfigSnapshot } from "../config/load.ts";
import { knownProviderIds } from "../config/resolve_providers.ts";
import type { SessionStore } from "../sessions/store.ts";

/** Builds the runner; every view is read per run, so a config reload reaches the next run. */
export function wireCronJobRunner(from: {
  runs: AgentRuns;
  sessions: SessionStore;
  deliver: DeliverReply;
  heartbeat: () => HeartbeatControl | undefined;
  agents: () => AgentsConfig;
  snapshot: () => ConfigSnapshot;
}): CronJobRunner {
  // The runner (and the HTTP client its webhooks use) loads on the first due job, off the start-up path.
  let loaded: Promise<CronJobRunner> | undefined;
  const load = async () => {
    const { createCronJobRunner } = await import("../automation/cron_job_runner.ts");
    return createCronJobRunner({
      runs: from.runs,
      resetSession: (key, agentId) => from.sessions.reset(key, agentId),
      deliver: from.deliver,
      lastRoute: (key, agentId) => from.sessions.lastRoute(key, agentId),
      heartbeat: from.heartbeat,
      agents: () => {
        const agents = from.agents();
        return { ids: agents.agents.map((agent) => agent.id), defaultAgentId: agents.defaultAgentId };
      },
      modelPolicy: (agentId) => {
        const agents = from.agents();
        const agent = agents.agents.find((a) => a.id === agentId);
        return agent?.modelPolicy && agent.model
          ? { policy: agent.modelPolicy, defaultProvider: agent.model.provider, providers: knownProviderIds(agents) }
          : undefined;
      },
      mainKey: () => mainSessionSettings(from.snapshot().config).mainKey,
      settings: () => cronDeliverySettings(from.snapshot().config),
    });
  };
  return async (job, context) => {
    loaded ??= load();
    try {
      return await (await loaded)(job, context);
    } catch (error) {
      // The runner never throws; only loading it can fail, and then each run says why.
      loaded = undefined;
      return {
        status: "error",
        error: `cron runner failed to load: ${error instanceof Error ? error.message : error}`,
      };
    }
  };
}
