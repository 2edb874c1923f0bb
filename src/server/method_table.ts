import { within } from "../async/within.ts";
import { builtInModelLookup } from "./built_in_model_lookup.ts";
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { ChatAttachmentDeps } from "../rpc/methods/chat_attachments.ts";
import type { AgentRuns } from "../agent/runs.ts";
import type { InternalHookEmitter } from "../agent/internal_hooks.ts";
import type { CronControl } from "../agent/cron_control.ts";
import type { ToolHost } from "../agent/tool.ts";
import { TOOL_EVENTS_CAP } from "../protocol/tool_event_recipients.ts";
import type { DeviceStore } from "../auth/device_store.ts";
import type { ChannelManager } from "../channels/manager.ts";
import { configuredUpdateChannel } from "../config/client_facts.ts";
import { heartbeatSettings } from "../config/heartbeat_settings.ts";
import { dmScopeIsMain, sessionMaintenance } from "../config/session_maintenance.ts";
import type { ConfigSnapshot } from "../config/load.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import type { ReloadView } from "../config/reload_plan.ts";
import type { ResolvedConfig } from "../config/resolve.ts";
import type { Hub } from "../protocol/hub.ts";
import type { MethodTableLoader } from "../protocol/methods_ahead.ts";
import { ADVERTISED_METHODS } from "./advertised_methods.ts";
import type { PresenceTracker } from "../protocol/presence.ts";
import { agentMethods } from "../rpc/methods/agent.ts";
import { agentsMethods } from "../rpc/methods/agents.ts";
import { chatHistoryMethods } from "../rpc/methods/chat_history.ts";
import { channelsMethods } from "../rpc/methods/channels.ts";
import { webLoginMethods } from "../rpc/methods/web_login.ts";
import { channelAccountLinked, webLoginWiring } from "./whatsapp_wiring.ts";
import { channelsLifecycleMethods } from "../rpc/methods/channels_lifecycle.ts";
import { CHANNEL_KINDS } from "../channels/catalog.ts";
import { configMethods } from "../rpc/methods/config.ts";
import type { ConfigWriteQueue } from "../rpc/methods/config_write_queue.ts";
import type { SuspensionCoordinator } from "../rpc/suspension.ts";
import type { RestartTarget } from "../rpc/restart_request.ts";
import { RpcError } from "../rpc/errors.ts";
import type { RestartScheduler, ScheduledRestart } from "../rpc/restart_scheduler.ts";
import type { RestartWiring, WiredRestart } from "./restart_wiring.ts";
import { sessionAutomationLookup } from "./session_automation.ts";
import { deviceMethods } from "../rpc/methods/devices.ts";
import { nodeMethods } from "../rpc/methods/nodes.ts";
import { nodeSelfMethods } from "../rpc/methods/node_self.ts";
import { recordAgentTask, taskMethods } from "../rpc/methods/tasks.ts";
import type { DatabaseSync } from "node:sqlite";
import { getLogger } from "../log/logger.ts";
import type { NodeRegistry } from "../rpc/node_registry.ts";
import { type EventLoopStats, healthMethods, type HealthSnapshot } from "../rpc/methods/health.ts";
import { logsMethods } from "../rpc/methods/logs.ts";
import { modelsMethods } from "../rpc/methods/models.ts";
import { sessionEditMethods } from "../rpc/methods/session_edits.ts";
import { sessionCompactMethods } from "../rpc/methods/session_compact.ts";
import { sessionUsageMethods } from "../rpc/methods/session_usage_methods.ts";
import { subscriptionMethods } from "../rpc/methods/session_subscriptions.ts";
import { modelFacts, type SessionViewContext } from "../rpc/methods/session_view.ts";
import { sessionMethods } from "../rpc/methods/sessions.ts";
import { sessionCleanupMethods } from "../rpc/methods/session_cleanup.ts";
import { sessionsOffMethods } from "../rpc/methods/sessions_off.ts";
import { statusMethods } from "../rpc/methods/status.ts";
import { systemMethods } from "../rpc/methods/system.ts";
import { mergeMethods, type MethodTable } from "../rpc/registry.ts";
import type { SessionStore } from "../sessions/store.ts";
import { resolveSendPolicy } from "../sessions/send_policy.ts";
import { configuredChatChannels } from "../config/chat_channels.ts";
import { VERSION } from "../version.ts";
import type { HeartbeatService } from "../automation/heartbeat_service.ts";
import type { SessionEvents } from "./session_events.ts";
import type { ExecApprovalsWiring } from "./exec_approvals_wiring.ts";
import { heartbeatPromptOf } from "./heartbeat_wiring.ts";

/** The services and live views the RPC methods are wired to. */
export interface MethodWiring {
  hub: Hub;
  presence: PresenceTracker;
  heartbeat: HeartbeatService;
  runs: AgentRuns;
  sessions: SessionStore;
  /** What the agents' tools use: `tools.catalog` and `tools.effective` build the tools with it. */
  toolHost: ToolHost;
  /** Delivers `sessions.changed` and `session.message` to their subscribers. */
  sessionEvents: SessionEvents;
  channels: ChannelManager;
  devices: DeviceStore;
  nodes: NodeRegistry;
  /** The global state database, opened on first use. */
  stateDb(): Promise<DatabaseSync>;
  /** The exec approval queue and ExecApprovals (exec_approvals_wiring.ts). */
  execApprovals: ExecApprovalsWiring;
  health(): HealthSnapshot | Promise<HealthSnapshot>;
  agents(): AgentsConfig;
  /** The resolved config in force. */
  config(): ResolvedConfig;
  /** The config file in force, as read (what `status` reads heartbeat and update settings from). */
  configSnapshot(): ConfigSnapshot;
  eventLoop(): EventLoopStats;
  uptimeMs(): number;
  logFile(): string;
  configPath: string;
  env: EnvSnapshot;
  /** The config file was written over RPC (reload it like a hand edit). */
  configWritten(): Promise<void>;
  /** The one queue every config write over RPC waits in (config.set, agents.create, …). */
  configQueue: ConfigWriteQueue;
  /** Re-resolves the config's SecretRefs (a store value may have changed); `apply` swaps the secrets in force. */
  reloadSecrets(): Promise<{ warningCount: number; apply(): Promise<void> }>;
  /** The scheduler behind the `cron.*` methods, once wired (cron_wiring.ts); absent: cron answers as switched off. */
  cron?: (() => CronControl | undefined) | undefined;
  /** Resolves a written snapshot as the runner will (config.set's reload preview). */
  resolve?: ((snapshot: ConfigSnapshot) => ReloadView) | undefined;
  /** The internal hooks dispatcher: chat.send and channel commands, Gateway resets and session sends emit events to it. */
  hooks?: InternalHookEmitter | undefined;
  /** `chat.send` attachments: the media store, the model's image input, the size limit (media_wiring.ts). */
  attachments?: ChatAttachmentDeps | undefined;
  /** The cooperative host suspension behind `gateway.suspend.*`; absent: those methods are not served. */
  suspension?: SuspensionCoordinator | undefined;
  /**
   * What `gateway.restart.*` and `config.apply` restart and count (restart_wiring.ts), and who holds the reference's
   * lock. The scheduler is made on the first call that needs it and handed to the gateway (`adopt`), which keeps the
   * first one it is given, answers with it, and stops it with itself. Absent: those restarts are not served.
   */
  restart?:
    | RestartWiring & {
      lockIdentity(): RestartTarget | undefined;
      adopt(wired: WiredRestart): WiredRestart;
      /** Schedules a restart on the gateway's scheduler, made (off the start path) if none was yet. */
      schedule(input: Parameters<RestartScheduler["schedule"]>[0]): Promise<ScheduledRestart>;
    }
    | undefined;
}

/** Whether a directory is a git work tree: `<dir>/.git` exists (a directory, or a file for a linked tree). */
/** The auth-profile store onboard writes, read now; loaded on the request, not at start (the reader opens SQLite). */
async function readAuthProfiles(stateDir: string) {
  const { AuthProfileStoreReader } = await import("../state/auth_profile_store.ts");
  const reader = new AuthProfileStoreReader(stateDir);
  try {
    return reader.read();
  } finally {
    reader.close();
  }
}

async function isGitWorkTree(dir: string): Promise<boolean> {
  try {
    await Deno.stat(`${dir}/.git`);
    return true;
  } catch {
    return false;
  }
}

/** How long a write waits for its reload before answering anyway (a gateway that is stopping never reloads). */
const RELOAD_WAIT_MS = 10_000;

/**
 * What follows a config write over RPC: `config.changed` to every client, then the reload a hand edit gets.
 * The promise settles once that reload was handled (at most {@link RELOAD_WAIT_MS}), so a method that awaits
 * it (agents.create) answers when the config in force has the change.
 */
export function configWrittenBy(w: MethodWiring): (snapshot: ConfigSnapshot) => Promise<void> {
  return async (snapshot) => {
    w.hub.broadcast("config.changed", { path: snapshot.path, hash: snapshot.hash, ts: Date.now() });
    await within(w.configWritten(), RELOAD_WAIT_MS);
  };
}

/** Every RPC method family, each given only what it needs. Its keys are what hello-ok advertises. */
export function buildMethodTable(w: MethodWiring): MethodTable {
  const view = async (): Promise<SessionViewContext> => ({
    agents: w.agents(),
    models: w.config().models,
    builtIn: await builtInModelLookup(),
    activeRunIds: (key) => w.runs.activeRunIds(key),
    hasAutomation: sessionAutomationLookup({
      cron: () => w.cron?.(),
      defaultAgentId: () => w.agents().defaultAgentId,
      rawConfig: () => w.configSnapshot().config,
    }),
  });
  const models = modelsMethods({
    models: () => w.config().models,
    agents: w.agents,
    env: (name) => w.env[name],
    rawConfig: () => w.configSnapshot().config,
    authProfiles: () => readAuthProfiles(w.config().paths.stateDir),
    // The built-in catalog loads on the first request, never at start (start_path_test).
    catalog: async (named) => {
      const [{ publishedCatalog }, { keyAvailability }] = await Promise.all([
        import("../config/published_model_catalog.ts"),
        import("../config/built_in_catalog.ts"),
      ]);
      const config = w.configSnapshot().config;
      const store = await readAuthProfiles(w.config().paths.stateDir);
      const auth = keyAvailability(config, { store: () => store, env: (name) => w.env[name] });
      return publishedCatalog(config, { auth, named });
    },
  });
  const sessions = sessionMethods({
    sessions: w.sessions,
    agents: w.agents,
    view,
    changed: (key, agentId, reason) => w.sessionEvents.changedLater(key, agentId, reason),
    abort: (key) => void w.runs.abort({ sessionKey: key }),
    hooks: w.hooks,
    rawConfig: () => w.configSnapshot().config,
  });
  const whatsApp = {
    channels: w.channels,
    channelsConfig: () => w.config().channels,
    stateDir: w.config().paths.stateDir,
    env: w.env,
  };
  return mergeMethods(
    healthMethods({ snapshot: w.health }),
    sessionCleanupMethods({
      sessions: w.sessions,
      agents: w.agents,
      maintenance: () => {
        const raw = w.configSnapshot().config;
        return { settings: sessionMaintenance(raw), dmScopeMain: dmScopeIsMain(raw) };
      },
      busy: (key) => w.runs.activeRunIds(key).length > 0,
      changed: (key, agentId, reason) => w.sessionEvents.changedLater(key, agentId, reason),
      log: (line) => getLogger("gateway/sessions").info(line),
    }),
    systemMethods({
      presence: () => w.presence.list(),
      recordSystemEvent: (entry) => {
        w.presence.addEvent(entry);
        w.hub.broadcastPresence(w.presence.list());
      },
      lastHeartbeat: () => w.heartbeat.last,
      wake: (input) => w.heartbeat.wake(input),
      agents: () => ({ defaultAgentId: w.agents().defaultAgentId, ids: w.agents().agents.map((a) => a.id) }),
    }),
    statusMethods({
      version: VERSION,
      defaultAgentId: () => w.agents().defaultAgentId,
      agents: async () => {
        const agents = w.agents().agents;
        await w.sessions.load(agents.map((a) => a.id));
        const raw = w.configSnapshot().config;
        return await Promise.all(agents.map(async (agent) => ({
          agentId: agent.id,
          name: agent.name === agent.id ? undefined : agent.name,
          sessions: w.sessions.summary(agent.id),
          heartbeat: heartbeatSettings(raw, agent.id),
          waitingForRoute: await w.heartbeat.waitingForRoute(agent.id),
        })));
      },
      queuedSystemEvents: () => w.heartbeat.queued,
      modelCooldowns: () => w.runs.modelCooldowns(),
      updateChannel: () => configuredUpdateChannel(w.configSnapshot().config),
      eventLoop: w.eventLoop,
      uptimeMs: w.uptimeMs,
    }),
    logsMethods({ logFile: w.logFile }),
    configMethods({
      path: w.configPath,
      env: w.env,
      version: VERSION,
      written: configWrittenBy(w),
      queue: w.configQueue,
      scheduleRestart: async (input) => {
        if (!w.restart) throw new RpcError("UNAVAILABLE", "gateway restart unavailable");
        return await w.restart.schedule({ ...input, skipDeferral: false });
      },
      appliedHash: () => {
        const applied = w.configSnapshot();
        return applied.exists ? applied.hash : null;
      },
      resolve: w.resolve,
    }),
    models,
    channelsMethods({ channels: w.channels, eventLoop: w.eventLoop }),
    webLoginMethods(webLoginWiring(whatsApp)),
    channelsLifecycleMethods({
      channels: w.channels,
      knownChannel: (channel) => CHANNEL_KINDS.some((kind) => kind.id === channel),
      linked: channelAccountLinked(whatsApp),
    }),
    agentMethods({
      runs: w.runs,
      agents: w.agents,
      attachments: w.attachments,
      archived: async (key, agentId) => (await w.sessions.get(key, agentId))?.archivedAt !== undefined,
      sessionRoute: async (key, agentId) => (await w.sessions.get(key, agentId))?.route,
      configuredChannels: () => configuredChatChannels(w.config().channels),
      sendDenied: async (key, agentId) => {
        const row = await w.sessions.get(key, agentId);
        // The session's own policy, then the configured rules on where its replies go (its last route).
        const route = row?.route;
        const policy = w.config().session.sendPolicy;
        const input = { policy, override: row?.sendPolicy, sessionKey: key, channel: route?.channel };
        return resolveSendPolicy({ ...input, chatType: route?.chatType }) === "deny";
      },
      hooks: w.hooks,
      rawConfig: () => w.configSnapshot().config,
      trackTask: (run) => recordAgentTask({ db: w.stateDb, warn: (m) => getLogger("gateway/tasks").warn(m) }, run),
      // The run report is built synchronously: it reads the configured models only (no built-in lookup).
      contextTokens: (ref) => modelFacts({ models: w.config().models }, ref).contextTokens,
      joinToolEvents: (runIds, caller) => {
        if (!caller.caps?.includes(TOOL_EVENTS_CAP)) return;
        for (const runId of runIds) w.hub.toolEventRecipients.add(runId, caller.connId);
      },
      deliver: (target, text) =>
        w.channels.send({ ...target, message: text, idempotencyKey: `agent-deliver:${crypto.randomUUID()}` }),
      commands: {
        deps: {
          sessions: w.sessions,
          runs: w.runs,
          agents: w.agents,
          models: () => w.config().models,
          changed: (key, agentId, reason) => w.sessionEvents.changedLater(key, agentId, reason),
          compact: (target, options) => w.runs.compact(target, options),
          approvals: w.execApprovals.queue,
          hooks: w.hooks,
          rawConfig: () => w.configSnapshot().config,
        },
        emit: (event, payload) => w.hub.broadcast(event, payload),
      },
    }),
    nodeSelfMethods({
      nodes: w.nodes,
      skillBins: async () => (await import("../agent/skills/agent_skills.ts")).skillBins(w.agents().agents),
    }),
    taskMethods({ db: w.stateDb, runs: w.runs, history: (key, agentId) => w.sessions.history(key, agentId) }),
    sessions,
    chatHistoryMethods({
      sessions: w.sessions,
      agents: w.agents,
      view,
      heartbeatPrompt: heartbeatPromptOf(w.configSnapshot),
      inFlightRun: (key) => w.runs.inFlight(key),
      // The chat metadata lists the models models.list's configured view lists (as the reference's),
      // without the manual-choice answers a client's cap asks of models.list itself.
      modelRows: async (agentId, caller) => {
        const params = { agentId, view: "configured" };
        const call = { params, caller: { ...caller, caps: undefined }, accept: () => {} };
        const listed = await models["models.list"]!.handler(call);
        return (listed as { models: unknown[] }).models;
      },
    }),
    subscriptionMethods({
      subscriptions: w.hub.sessionSubscriptions,
      agents: w.agents,
      list: (params, caller) => sessions["sessions.list"]!.handler({ params, caller, accept: () => {} }),
    }),
    agentsMethods({ agents: w.agents, isGitWorkTree }),
    sessionsOffMethods(),
    sessionUsageMethods({ sessions: w.sessions, agents: w.agents, view }),
    sessionEditMethods({
      sessions: w.sessions,
      agents: w.agents,
      view,
      runs: w.runs,
      changed: (key, agentId, reason) => w.sessionEvents.changedLater(key, agentId, reason),
      hooks: w.hooks,
      rawConfig: () => w.configSnapshot().config,
    }),
    sessionCompactMethods({
      agents: w.agents,
      compact: (target) => w.runs.compact(target),
      changed: (key, agentId, reason) => w.sessionEvents.changedLater(key, agentId, reason),
    }),
    deviceMethods({
      devices: w.devices,
      broadcast: (event, payload) => w.hub.broadcast(event, payload),
      // The reference's words and code for both a removed device and a revoked token.
      closeDevice: (deviceId, role) => w.hub.closeDevice(deviceId, { role, code: 4001, reason: "device removed" }),
      connected: (deviceId) => w.hub.hasDevice(deviceId),
    }),
    nodeMethods({
      devices: w.devices,
      nodes: w.nodes,
      broadcast: (event, payload) => w.hub.broadcast(event, payload),
      closeDevice: (deviceId, role) => w.hub.closeDevice(deviceId, { role, code: 4001, reason: "device removed" }),
      commandConfig: () => w.config().nodeCommands,
    }),
  );
}

/**
 * The whole table, completed on first use: the families the clients call on their pages besides these
 * (surface_methods.ts, about 120 KB of chunks and Deno's Node compatibility layer) load with the first
 * request for one of their methods, not at start nor with `connect`: hello-ok advertises their names
 * from {@link ADVERTISED_METHODS}, and the core families answer at once.
 */
export function loadMethodTable(w: MethodWiring): MethodTableLoader {
  const core = buildMethodTable(w);
  let full: Promise<MethodTable> | undefined;
  // A failed build of the table is not kept: the next request retries it (Deno keeps a module that failed to load).
  const load =
    () => (full ??= import("./surface_methods.ts").then((m) => mergeMethods(core, m.surfaceMethods(w))).catch(
      (error) => {
        full = undefined;
        throw error;
      },
    ));
  return Object.assign(load, { advertised: ADVERTISED_METHODS, core });
}
