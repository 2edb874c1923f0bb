// The methods the clients call on page load and on their pages besides sessions, chat, devices and
// config (system, update, users, usage, diagnostics, plugins, approvals, questions, cron, skills,
// commands, session page extras), wired to the gateway's services. Kept apart from method_table.ts
// so that table lists each family once.
import { offeredTools } from "../agent/offered_tools.ts";
import { writeAccessFor } from "../state/state_write_fence.ts";
import type { AgentSpec } from "../config/resolve_agents.ts";
import { mainSessionSettings } from "../config/client_facts.ts";
import { absentListsMethods } from "../rpc/methods/absent_lists.ts";
import { approvalsMethods } from "../rpc/methods/approvals.ts";
import { commandsMethods } from "../rpc/methods/commands.ts";
import { configSchemaLookupMethods } from "../rpc/methods/config_schema_lookup.ts";
import { cronMethods } from "../rpc/methods/cron.ts";
import { devicePairSetupMethods } from "../rpc/methods/device_pair_setup.ts";
import { channelSetup } from "../rpc/methods/cron_delivery_check.ts";
import { heartbeatSwitchMethods } from "../rpc/methods/heartbeat_switch.ts";
import { hooksStatusMethods } from "../rpc/methods/hooks_status.ts";
import { environmentsMethods } from "../rpc/methods/environments.ts";
import { githubStatusMethods } from "../rpc/methods/github_status.ts";
import { diagnosticsMethods } from "../rpc/methods/diagnostics.ts";
import { memoryMethods } from "../rpc/methods/memory.ts";
import { messageActionMethods } from "../rpc/methods/message_action.ts";
import { agentsFilesMethods } from "../rpc/methods/agents_files.ts";
import { agentsRosterMethods } from "../rpc/methods/agents_roster.ts";
import { agentDeletionFence } from "../rpc/methods/agent_deletion_fence.ts";
import { commitConfigEdit } from "../rpc/methods/config_tree_commit.ts";
import { resolveHome } from "../config/paths.ts";
import { recordOperatorProvenanceIn } from "../state/agent_provenance.ts";
import { workspaceSetupCompleted } from "../state/workspace_setup_state.ts";
import { unregisterAgentDbs } from "../state/state_db.ts";
import { removeAgentCronJobs } from "../agent/cron_control.ts";
import { pluginsMethods } from "../rpc/methods/plugins.ts";
import { questionsMethods } from "../rpc/methods/questions.ts";
import { secretsMethods, storeRefNames } from "../rpc/methods/secrets.ts";
import { secretsResolveMethods } from "../rpc/methods/secrets_resolve.ts";
import { sessionExtrasMethods } from "../rpc/methods/session_extras.ts";
import { sessionSharingMethods } from "../rpc/methods/session_sharing.ts";
import { sessionsAbortMethods } from "../rpc/methods/sessions_abort.ts";
import { skillsMethods } from "../rpc/methods/skills.ts";
import { toolsMethods } from "../rpc/methods/tools.ts";
import { agentTools, catalogTools } from "../agent/tool_catalog.ts";
import { effectiveProfile } from "../agent/tool_policy.ts";
import { systemAgentMethods } from "../rpc/methods/system_agent.ts";
import { terminalMethods } from "../rpc/methods/terminal.ts";
import { gatewaySuspendMethods } from "../rpc/methods/gateway_suspend.ts";
import { gatewayRestartMethods } from "../rpc/methods/gateway_restart.ts";
import { wireRestart } from "./restart_wiring.ts";
import { readHostFacts, systemInfoMethods } from "../rpc/methods/system_info.ts";
import { themesMethods } from "../rpc/methods/themes.ts";
import { updateMethods } from "../rpc/methods/update.ts";
import { usageMethods, type UsageRow } from "../rpc/methods/usage.ts";
import type { UsageMessage } from "../rpc/methods/usage_rollup.ts";
import { usersMethods } from "../rpc/methods/users.ts";
import { voicewakeMethods } from "../rpc/methods/voicewake.ts";
import { webSearchMethods } from "../rpc/methods/web_search.ts";
import { getLogger } from "../log/logger.ts";
import { mergeMethods, type MethodTable } from "../rpc/registry.ts";
import { ProtocolValidators } from "../rpc/validators.ts";
import { configWrittenBy, type MethodWiring } from "./method_table.ts";
import { externalIpv4Addresses } from "../config/host_facts.ts";
import { pairingSetupFacts } from "../config/pairing_setup_facts.ts";

function modelOf(agent: AgentSpec | undefined): string | undefined {
  return agent?.model ? `${agent.model.provider}/${agent.model.model}` : undefined;
}

/** A session's messages with only the fields the usage rollup reads, so its text is dropped as soon as read. */
async function usageMessages(w: MethodWiring, row: UsageRow): Promise<UsageMessage[]> {
  const { messages } = await w.sessions.history(row.key, row.agentId);
  return messages.map(({ role, timestamp, provider, model, stopReason, usage }) => ({
    role,
    timestamp,
    provider,
    model,
    stopReason,
    usage,
  }));
}

/** The surface method families, each given only what it needs. */
export function surfaceMethods(w: MethodWiring): MethodTable {
  // One id per gateway process, as the reference's processInstanceId / gatewayInstanceId.
  const instanceId = crypto.randomUUID();
  const stateDir = w.config().paths.stateDir;
  const deletionFence = agentDeletionFence();
  const agentById = (agentId: string | undefined) => {
    const agents = w.agents();
    return agents.agents.find((agent) => agent.id === (agentId ?? agents.defaultAgentId));
  };
  const workspaceOf = (agentId: string | undefined) => {
    const agent = agentById(agentId);
    return agent ? { agentId: agent.id, workspace: agent.workspace } : undefined;
  };
  return mergeMethods(
    systemInfoMethods({
      host: readHostFacts,
      port: () => w.config().port,
      stateDir,
      processInstanceId: instanceId,
      uptimeMs: w.uptimeMs,
      eventLoop: w.eventLoop,
      defaultModel: () => modelOf(agentById(undefined)),
    }),
    updateMethods(),
    usersMethods(),
    usageMethods({
      rows: async (agentIds) =>
        (await w.sessions.list([...agentIds])).map(({ agentId, key, sessionId, createdAt, updatedAt }) => ({
          agentId,
          key,
          sessionId,
          createdAt,
          updatedAt,
        })),
      messages: (row) => usageMessages(w, row),
      agents: () => {
        const agents = w.agents();
        return { ids: agents.agents.map((agent) => agent.id), defaultAgentId: agents.defaultAgentId };
      },
      now: Date.now,
    }),
    diagnosticsMethods({ activity: () => w.runs.activity(), now: Date.now }),
    pluginsMethods(),
    approvalsMethods({
      stateDir,
      db: w.stateDb,
      queue: w.execApprovals.queue,
      hasApprovalClients: w.execApprovals.hasApprovalClients,
      controlUiBasePath: () => w.config().controlUi.basePath,
      rawConfig: () => w.configSnapshot().config,
    }),
    themesMethods(),
    questionsMethods(),
    messageActionMethods({ send: (request) => w.channels.send(request) }),
    agentsFilesMethods({
      agents: w.agents,
      fence: deletionFence,
      setupCompleted: async (workspace) => workspaceSetupCompleted(await w.stateDb(), workspace),
    }),
    agentsRosterMethods({
      fence: deletionFence,
      commit: (edit) =>
        commitConfigEdit({ path: w.configPath, env: w.env, queue: w.configQueue, written: configWrittenBy(w) }, edit),
      paths: { stateDir, home: resolveHome(w.env) },
      configPath: w.configPath,
      cwd: Deno.cwd(),
      recordProvenance: async (agentId) => recordOperatorProvenanceIn(await w.stateDb(), agentId, Date.now()),
      closeSessions: (agentId) => w.sessions.forget(agentId),
      unregisterDatabase: async (agentId) => unregisterAgentDbs(await w.stateDb(), agentId),
      removeCronJobs: (agentId) => removeAgentCronJobs(w.cron?.(), agentId),
    }),
    // The reference Control UI's Stop when its page holds no run id; off the start path, as Stop is rare.
    sessionsAbortMethods({
      agents: w.agents,
      abort: (input) => w.runs.abort(input),
      sessionOfRun: (runId) => w.runs.sessionOfRun(runId),
      changed: (key, agentId, reason) => w.sessionEvents.changedLater(key, agentId, reason),
    }),
    cronMethods({
      stateDir,
      cron: () => w.cron?.(),
      defaultAgentId: () => w.agents().defaultAgentId,
      validators: new ProtocolValidators(),
      processInstanceId: instanceId,
      now: Date.now,
      lastRoute: (key, agentId) => w.sessions.lastRoute(key, agentId),
      channels: () => channelSetup(w.configSnapshot().config.channels),
      mainKey: () => mainSessionSettings(w.configSnapshot().config).mainKey,
    }),
    skillsMethods({
      report: async (agentId) => {
        const agent = agentById(agentId);
        if (!agent) return undefined;
        const { agentSkillReport } = await import("../agent/skills/agent_skills.ts");
        const { processSkillHost } = await import("../agent/skills/skill_status.ts");
        const { diagnostics: _skipped, ...report } = await agentSkillReport(agent, stateDir, processSkillHost());
        return report;
      },
    }),
    toolsMethods({
      agent: agentById,
      catalog: (agent) => catalogTools(w.toolHost, agent),
      // As an operator's own turn is offered them (the reference's Control UI shows the owner's view).
      effective: async (agent) => offeredTools(await agentTools(w.toolHost, agent), { senderIsOwner: true }),
      profile: (agentId) => effectiveProfile(w.config().toolPolicy, agentId),
    }),
    hooksStatusMethods({
      stateDir,
      workspaceOf,
      rawConfig: () => w.configSnapshot().config,
      home: w.env.HOME ?? "/",
      cwd: Deno.cwd(),
      host: async () => (await import("../agent/skills/skill_status.ts")).processSkillHost(),
    }),
    commandsMethods({ agentIds: () => w.agents().agents.map((agent) => agent.id) }),
    sessionExtrasMethods({
      agents: () => w.agents().agents.map((agent) => ({ id: agent.id, workspace: agent.workspace })),
      instanceId,
    }),
    absentListsMethods(),
    secretsMethods({
      stateDb: () => w.stateDb(),
      referencedStoreNames: () => storeRefNames(w.configSnapshot().config),
      reloadSecrets: () => w.reloadSecrets(),
      warn: (message) => getLogger("gateway").warn(message),
    }),
    secretsResolveMethods({
      config: () => w.configSnapshot().config,
      env: w.env,
      inForce: (path) =>
        path === "gateway.auth.token"
          ? w.config().auth.token
          : path === "gateway.auth.password"
          ? w.config().auth.password
          : undefined,
      storeReader: async () =>
        (await import("../state/secret_store_reader.ts")).storeValueReader(w.config().paths.stateDir),
      warn: (message) => getLogger("gateway").warn(message),
    }),
    sessionSharingMethods({
      agents: () => {
        const agents = w.agents();
        return { ids: agents.agents.map((agent) => agent.id), defaultAgentId: agents.defaultAgentId };
      },
      hasSession: async (key, agentId) => (await w.sessions.list([agentId])).some((row) => row.key === key),
    }),
    voicewakeMethods(),
    // node:process's name for the platform, as the reference reports it.
    environmentsMethods({ platform: Deno.build.os === "windows" ? "win32" : Deno.build.os }),
    githubStatusMethods({ agentIds: () => w.agents().agents.map((agent) => agent.id) }),
    webSearchMethods({
      agent: (agentId) => {
        const agent = agentById(agentId);
        return agent ? { id: agent.id, model: agent.model } : undefined;
      },
    }),
    memoryMethods({
      agent: (agentId) => {
        const agent = agentById(agentId);
        return agent ? { id: agent.id, workspace: agent.workspace } : undefined;
      },
      search: async (agentId, query, options) => {
        const agent = agentById(agentId)!;
        const { agentEmbedder, searchAgentMemory } = await import("../agent/memory/agent_memory.ts");
        const outcome = await searchAgentMemory({
          stateDir,
          stateAccess: writeAccessFor(w.env.OPENCLAW_SUPERVISOR_MODE),
          agent,
          embedder: agentEmbedder(agent, w.agents().providers),
          query,
          maxResults: options.maxResults,
          minScore: options.minScore,
          signal: AbortSignal.timeout(30_000),
        });
        return { provider: outcome.provider, searchMode: outcome.mode, results: outcome.results };
      },
    }),
    configSchemaLookupMethods(),
    devicePairSetupMethods({
      stateDb: w.stateDb,
      facts: () => pairingSetupFacts(w.config(), w.configSnapshot()),
      addresses: externalIpv4Addresses,
      now: Date.now,
    }),
    terminalMethods(),
    heartbeatSwitchMethods(w.heartbeat),
    systemAgentMethods({
      agent: (agentId) => {
        const agent = agentById(agentId);
        return agent ? { workspace: agent.workspace, model: modelOf(agent) } : undefined;
      },
    }),
    w.suspension
      ? gatewaySuspendMethods({ suspension: w.suspension, pid: Deno.pid, processInstanceId: instanceId })
      : {},
    w.restart ? restartMethods(w.restart) : {},
  );
}

/** The restart methods over the gateway's scheduler (made now unless a `config.apply` made it first). */
function restartMethods(w: NonNullable<MethodWiring["restart"]>): MethodTable {
  const { scheduler, preflight } = w.adopt(wireRestart(w));
  return gatewayRestartMethods({ scheduler, preflight, lockIdentity: w.lockIdentity, pid: Deno.pid });
}
