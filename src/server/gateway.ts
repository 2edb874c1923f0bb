import { builtInModelLookup } from "./built_in_model_lookup.ts";
import { parseBoolean } from "../config/boolean_value.ts";
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { ProviderRetryCache, readProviderRetrySettings } from "../agent/provider_retry_settings.ts";
import { AgentRuns } from "../agent/runs.ts";
import { type OutboundSend, ToolError } from "../agent/tool.ts";
import { ModelCooldowns } from "../agent/model_cooldowns.ts";
import { McpClientManager } from "../agent/mcp_manager.ts";
import { writeMcpFailedServers } from "./mcp_failed_file.ts";
import { ChannelManager } from "../channels/manager.ts";
import { DeviceStore } from "../auth/device_store.ts";
import { configWriteQueue } from "../rpc/methods/config_write_queue.ts";
import { NodeRegistry } from "../rpc/node_registry.ts";
import { checkBearer } from "../auth/http_bearer.ts";
import { probeDetailsAllowed } from "../auth/probe_auth.ts";
import { attributeRequest } from "../auth/proxy_attribution.ts";
import { AuthRateLimiter } from "../auth/rate_limit.ts";
import { heartbeatSettings } from "../config/heartbeat_settings.ts";
import type { ConfigSnapshot } from "../config/load.ts";
import type { ResolvedGatewayConfig } from "../config/resolve.ts";
import type { GatewayPhase } from "../http/types.ts";
import { stackOf } from "../log/error_text.ts";
import { getLogger } from "../log/logger.ts";
import { cronSessionRetentionMs } from "../config/cron_retention.ts";
import { sweepAfterCronRuns, wireCronSessionSweep } from "./cron_retention_wiring.ts";
import { Hub, type ShutdownNotice } from "../protocol/hub.ts";
import { SessionEvents } from "./session_events.ts";
import { PresenceTracker } from "../protocol/presence.ts";
import { SessionStore } from "../sessions/store.ts";
import { VERSION } from "../version.ts";
import { EventLoopMonitor } from "./event_loop.ts";
import type { EffectiveSecrets, GatewayStartOptions } from "./gateway_options.ts";
import { formatHost } from "./guards.ts";
import { gatewayHealth } from "./health_view.ts";
import { heartbeatChatEvent, heartbeatContextFilter, heartbeatPromptOf, wireHeartbeat } from "./heartbeat_wiring.ts";
import type { HeartbeatService } from "../automation/heartbeat_service.ts";
import { type HelloFacts, helloFacts } from "./hello_facts.ts";
// The HTTP app loads with the first HTTP request: a WebSocket-only gateway never loads it.
import { buildHttpAppLazily as buildHttpApp } from "./lazy_http_app.ts";
import { gatewayToolHost } from "./tool_host.ts";
import { ProcessRegistry } from "../agent/process_registry.ts";
import { listen, type Listener } from "./listener.ts";
import { listenerHandlers } from "./listener_routes.ts";
import { settleAgentTasks } from "../rpc/methods/tasks.ts";
import { loadMethodTable } from "./method_table.ts";
import { wireWebSockets } from "./protocol_wiring.ts";
import { selfFacts } from "./self_facts.ts";
import type { SocketAdapter } from "./socket_adapter.ts";
import { LazyStateDb } from "./state_db_handle.ts";
import { writeAccessFor } from "../state/state_write_fence.ts";
import { type ExecApprovalsWiring, wireExecApprovals } from "./exec_approvals_wiring.ts";
import { resolveHome } from "../config/paths.ts";
import { agentDir } from "../config/agent_roster.ts";
import { authSection } from "../config/provider_credentials.ts";
import { emitAgentEvent } from "./agent_event_fanout.ts";
import { wireOutboundFiles } from "./mediaout_wiring.ts";
import { outboundMediaMaxBytes } from "../config/outbound_media_limit.ts";
import { CronWiring } from "./cron_wiring.ts";
import { sessionAutomationLookup } from "./session_automation.ts";
import { cronBindingChanges } from "./cron_session_changes.ts";
import { mainSessionSettings } from "../config/client_facts.ts";
import { type CancelTimer, webInterval } from "../async/web_timer.ts";
import { postListenStart } from "./post_listen_steps.ts";
import type { PostListenStart } from "./post_listen_start.ts";
import { cronSettings } from "../config/cron_settings.ts";
import { wireDeliverReply } from "./delivery_wiring.ts";
import type { DeliverReply } from "../automation/delivery.ts";
import { mediaUnderstanding, MediaWiring } from "./media_wiring.ts";
import { InternalHooksLifecycle } from "./internal_hooks_lifecycle.ts";
import { audioSettings } from "../config/media_audio_settings.ts";
import { mediaSettings } from "../config/media_settings.ts";
import { WorkAdmission } from "../rpc/work_admission.ts";
import type { SuspensionCoordinator } from "../rpc/suspension.ts";
import { wireSuspension } from "./suspension_wiring.ts";
import type { RestartWiring, WiredRestart } from "./restart_wiring.ts";
import type { ActiveWorkSources } from "./active_work_wiring.ts";

/** How often every client gets a fresh health snapshot, as in the reference. */
const HEALTH_REFRESH_MS = 60_000;

/**
 * The running gateway: one port carrying the WebSocket control plane and the HTTP surface. The
 * composition root: it builds every service, wires the domain's events to the hub, and owns the
 * timers and the lifecycle phase that probes report.
 */
export class Gateway {
  #options: GatewayStartOptions;
  // The two below change together on a hot reload (see applyHot).
  #config: ResolvedGatewayConfig;
  #secrets: EffectiveSecrets;
  /** The config file the resolved config came from (swapped with it on a hot reload). */
  #snapshot: ConfigSnapshot;
  #hello: { config: ResolvedGatewayConfig; facts: HelloFacts } | undefined;
  #limiter: AuthRateLimiter;
  #phase: GatewayPhase = "starting";
  #hub = new Hub(getLogger("gateway/ws"));
  #listener: Listener | undefined;
  #timers: CancelTimer[] = [];
  #eventLoop = new EventLoopMonitor();
  #runs: AgentRuns | undefined;
  #sessions: SessionStore | undefined;
  #channels: ChannelManager | undefined;
  /** Sends a run's answer to a chat or the session's `last` one (cron, heartbeat and hook delivery). */
  #deliver: DeliverReply | undefined;
  /** Heartbeat turns on each agent's interval and on wakes (cron and hooks use it as HeartbeatControl). */
  #heartbeat: HeartbeatService | undefined;
  #sockets: SocketAdapter | undefined;
  #stateDb: LazyStateDb | undefined;
  #nodes: NodeRegistry | undefined;
  /** Every command `exec` started; stopping the gateway kills those still running. */
  #processes = new ProcessRegistry();
  #execApprovals: ExecApprovalsWiring | undefined;
  /** The start-up work after listening (session counts, heartbeat, channels, cron, media), deferred past the first client. */
  #postListen: PostListenStart | undefined;
  /** The cron scheduler; it starts once the gateway is ready. */
  #cron: CronWiring | undefined;
  /** MCP client sessions: servers connect on first need (no SDK load before), stop with the gateway. */
  #mcp = new McpClientManager({
    onFailedChange: (failed) =>
      void writeMcpFailedServers(this.#config.paths.stateDir, failed).catch((error) =>
        this.#log.warn(`bundle-mcp: could not record failed servers: ${error}`)
      ),
  });
  /** The media store under the state dir (channels keep downloads there) and its prune timer. */
  #media: MediaWiring | undefined;
  /** When each source address was last warned about unattributable proxy traffic. */
  #proxyWarnedAt = new Map<string, number>();
  #log = getLogger("gateway");
  /** Internal hooks (`hooks.internal`): the dispatcher, empty until the hooks load after listening. */
  #internalHooks = new InternalHooksLifecycle();
  /** The fence a host suspension closes: requests, HTTP work, cron ticks, heartbeats and channel turns wait at it. */
  #admission = new WorkAdmission({
    onObserverError: (error) => this.#log.warn(`suspension observer failed: ${error}`),
  });
  /** The cooperative host suspension (`gateway.suspend.*`); built with the services it counts. */
  #suspension: SuspensionCoordinator | undefined;
  /** Restarts the reference's CLI, `config.apply` and a busy config reload ask for; made on the first that needs one. */
  #restarts: WiredRestart | undefined;
  /** What that scheduler counts and how it restarts (set at start). */
  #restartWiring: RestartWiring | undefined;

  private constructor(options: GatewayStartOptions) {
    this.#options = options;
    this.#config = options.config;
    this.#secrets = options.secrets;
    this.#snapshot = options.snapshot;
    this.#limiter = new AuthRateLimiter(options.config.auth.rateLimit);
  }

  /** Builds the services, binds the port and becomes ready. */
  static async start(options: GatewayStartOptions): Promise<Gateway> {
    const gateway = new Gateway(options);
    try {
      await gateway.#start();
    } catch (error) {
      gateway.#disposeTimers();
      throw error;
    }
    return gateway;
  }

  #health() {
    return gatewayHealth({
      agents: this.#agents(),
      sessions: this.#sessions,
      channels: this.#channels?.summary(),
      stateDir: this.#config.paths.stateDir,
      eventLoop: this.#eventLoop.stats(),
      configReload: this.#options.reloadStatus(),
      heartbeat: (agentId) => heartbeatSettings(this.#snapshot.config, agentId),
    });
  }

  /** The hello-ok facts of the config in force, built once per config (connect stays cheap). */
  #helloFacts(): HelloFacts {
    if (this.#hello?.config !== this.#config) {
      this.#hello = { config: this.#config, facts: helloFacts(this.#config, this.#snapshot) };
    }
    return this.#hello.facts;
  }

  /** How this gateway may write shared state: from OPENCLAW_SUPERVISOR_MODE in the environment it was started with. */
  #stateAccess(): "write" | "supervised-write" {
    return writeAccessFor(this.#options.env.OPENCLAW_SUPERVISOR_MODE);
  }

  /** Agents and providers of the config in force (resolved with it, once per config). */
  #agents(): AgentsConfig {
    return this.#config.agents;
  }

  async #start(): Promise<void> {
    const config = this.#config;
    // A failed transcript write reaches every client's health view at once, not a minute later.
    const sessions = new SessionStore(config.paths.stateDir, {
      onWriteFailure: () => this.refreshHealth(),
      stateAccess: this.#stateAccess(),
    });
    this.#sessions = sessions;
    const deliver = wireDeliverReply({ channels: () => this.#channels, sessions });
    this.#deliver = deliver;
    const sessionEvents = new SessionEvents({
      hub: this.#hub,
      sessions,
      heartbeatPrompt: heartbeatPromptOf(() => this.#snapshot),
      view: async () => ({
        agents: this.#agents(),
        models: this.#config.models,
        builtIn: await builtInModelLookup(),
        activeRunIds: (key) => runs.activeRunIds(key),
        hasAutomation: sessionAutomationLookup({
          cron: () => this.#cron?.control,
          defaultAgentId: () => this.#agents().defaultAgentId,
          rawConfig: () => this.#snapshot.config,
        }),
      }),
      log: getLogger("gateway/ws"),
    });
    // What the agents' tools may use; runs and `/tools/invoke` share it.
    const toolHost = gatewayToolHost({
      sessions,
      agents: () => this.#agents(),
      config: () => this.#config,
      stateDir: config.paths.stateDir,
      // os.homedir()'s answer, as the reference's tools expand `~` (not OPENCLAW_HOME).
      home: this.#options.env.HOME || undefined,
      processes: this.#processes,
      // The agent layer never imports channels: the message tool gets this function.
      send: (message) => this.#sendFromTool(message),
      runs: () => this.#runs!,
      // Built below, with the state database and the channels it needs; runs call it only later.
      approvals: { authorize: (ask, signal) => this.#execApprovals!.approvals.authorize(ask, signal) },
      mcp: this.#mcp,
      // The scheduler starts after readiness: the `automations` tool is offered once it runs.
      cron: () => this.#cron?.control,
      media: () => this.#media?.store,
    });
    // The reader of the agents' settings files (provider_retry_settings.ts) and the files as the runs last saw them:
    // loaded by the first run, off the start path, and kept. An `import()` per run cost 0.05 ms of every run's way
    // to its model request (the specifier, the module map, two promise turns; docs/performance.md, session 32).
    let retry: { read: typeof readProviderRetrySettings; cache: ProviderRetryCache } | undefined;
    const runs: AgentRuns = new AgentRuns({
      sessions,
      // Model requests over kept-alive connections of the gateway's own, unless a proxy is configured
      // (only fetch speaks to one); loaded with the first run's model.
      upstream: async () => {
        const { UpstreamPool, proxyConfigured } = await import("../agent/upstream_pool.ts");
        return proxyConfigured((name) => this.#options.env[name]) ? undefined : new UpstreamPool();
      },
      // Failover state lives as long as this gateway: a model cooled down by one run is skipped by the next.
      cooldowns: new ModelCooldowns(),
      agents: () => this.#agents(),
      emit: (event, payload) => {
        if (event === "agent") emitAgentEvent(this.#hub, payload);
        else {
          // A heartbeat run's chat shows no deltas and no acknowledgement, as in the reference.
          const shown = heartbeatChatEvent(payload);
          if (shown) this.#hub.broadcast(event, shown);
        }
        if (event === "agent") sessionEvents.fromAgentEvent(payload);
        if (event === "agent") afterCronRun(payload);
      },
      onMessage: (written) => sessionEvents.messageLater(written),
      modelCatalog: () => this.#config.models,
      toolHost,
      hooks: this.#internalHooks.hooks,
      contextFilter: heartbeatContextFilter(() => this.#snapshot),
      // Read at each turn: `session.reset*` edits apply hot, from the next message.
      sessionConfig: () => this.#config.session,
      rawConfig: () => this.#snapshot.config,
      onHookError: (error) => getLogger("hooks").warn(`session:auto-reset hook failed: ${error}`),
      // The reference records trajectory events unless OPENCLAW_TRAJECTORY turns them off.
      trajectory: parseBoolean(this.#options.env.OPENCLAW_TRAJECTORY) ?? true,
      credentials: {
        stateDir: config.paths.stateDir,
        env: (name) => this.#options.env[name],
        auth: () => authSection(this.#snapshot.config),
      },
      // The reference's per-agent `settings.json` (its embedded agent's), read at each run.
      providerRetry: async (agentId) => {
        if (!retry) {
          const settings = await import("../agent/provider_retry_settings.ts");
          retry ??= { read: settings.readProviderRetrySettings, cache: settings.providerRetryCache() };
        }
        const paths = { stateDir: config.paths.stateDir, home: resolveHome(this.#options.env) };
        return retry.read(agentDir(this.#snapshot.config, agentId, paths), retry.cache);
      },
    });
    this.#runs = runs;
    // `cron.sessionRetention`: finished isolated runs' sessions are pruned after cron runs end.
    const afterCronRun = sweepAfterCronRuns(wireCronSessionSweep({
      sessions,
      runs,
      agentIds: () => this.#agents().agents.map((agent) => agent.id),
      retentionMs: () => cronSessionRetentionMs(this.#snapshot.config),
      log: getLogger("cron"),
    }));
    const stateDb = new LazyStateDb(config.paths.stateDir, this.#stateAccess());
    this.#stateDb = stateDb;
    const hub = this.#hub;
    const execApprovals = wireExecApprovals({
      hub,
      stateDir: config.paths.stateDir,
      stateDb: () => stateDb.get(),
      // The channel manager is built next; an ask reaches a chat only once runs exist, after that.
      send: (request) => this.#channels!.send(request),
      pathEnv: () => this.#options.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      home: resolveHome(this.#options.env),
      rawConfig: () => this.#snapshot.config,
    });
    this.#execApprovals = execApprovals;
    const media = new MediaWiring({
      stateDir: config.paths.stateDir,
      settings: () => mediaSettings(this.#snapshot.config),
      log: getLogger("media"),
    });
    this.#media = media;
    const understanding = mediaUnderstanding({
      store: media.store,
      agents: () => this.#agents(),
      models: () => this.#config.models,
      audio: () => audioSettings(this.#snapshot.config),
      env: this.#options.env,
      log: getLogger("media-understanding"),
    });
    const channels = new ChannelManager({
      stateDir: config.paths.stateDir,
      env: this.#options.env,
      storeReader: async () =>
        (await import("../state/secret_store_reader.ts")).storeValueReader(config.paths.stateDir),
      config: () => this.#config,
      defaultAgentId: () => this.#agents().defaultAgentId,
      runs,
      log: getLogger("gateway/channels"),
      commands: {
        sessions,
        runs,
        agents: () => this.#agents(),
        models: () => this.#config.models,
        changed: (key, agentId, reason) => sessionEvents.changedLater(key, agentId, reason),
        compact: (target, options) => runs.compact(target, options),
        approvals: execApprovals.queue,
        hooks: this.#internalHooks.hooks,
        rawConfig: () => this.#snapshot.config,
      },
      files: wireOutboundFiles({
        store: media.store,
        storeRoot: media.store.root,
        agents: () => this.#agents(),
        maxBytes: (channel, accountId) => outboundMediaMaxBytes(this.#snapshot.config, channel, accountId),
        home: resolveHome(this.#options.env),
      }),
      stateDb: () => stateDb.get(),
      media: media.store,
      understanding,
      hooks: this.#internalHooks.hooks,
      rawConfig: () => this.#snapshot.config,
      sessionSettings: (key, agentId) => sessions.get(key, agentId),
      admitted: () => this.#admission.open ? undefined : this.#admission.whenOpen(),
    });
    this.#channels = channels;
    const presence = new PresenceTracker(selfFacts(VERSION));
    const heartbeat = wireHeartbeat({
      runs,
      sessions,
      deliver,
      agents: () => this.#agents(),
      config: () => this.#config,
      snapshot: () => this.#snapshot,
      emit: (outcome) => hub.broadcast("heartbeat", outcome),
      admitted: () => this.#admission.open,
      // Built just below; the scheduler loads after readiness (no monitor row is read before it has).
      monitor: (agentId) => this.#cron?.heartbeatMonitor(agentId),
    });
    this.#heartbeat = heartbeat;
    const cron = new CronWiring({
      // The store and the runner load with the scheduler, after readiness (nothing on the start-up path).
      openStore: async () => {
        const { SqliteCronStore } = await import("../automation/sqlite_cron_store.ts");
        return new SqliteCronStore(await stateDb.get(), { stateDir: config.paths.stateDir });
      },
      runner: async () =>
        (await import("./cron_runner_wiring.ts")).wireCronJobRunner({
          runs,
          sessions,
          deliver,
          // Main-session jobs queue system events for the heartbeat and, with wakeMode `now`, run it.
          heartbeat: () => heartbeat,
          agents: () => this.#agents(),
          snapshot: () => this.#snapshot,
        }),
      broadcast: (event) => {
        hub.broadcast("cron", event);
        // The sessions the job is bound to hear their row changed (`hasAutomation`), as the reference's do.
        const context = {
          defaultAgentId: this.#agents().defaultAgentId,
          mainKey: mainSessionSettings(this.#snapshot.config).mainKey,
        };
        for (const bound of cronBindingChanges(event, context)) {
          sessionEvents.changedLater(bound.key, bound.agentId, "cron-binding");
        }
      },
      settings: () => cronSettings(this.#snapshot.config, this.#options.env),
      defaultAgentId: () => this.#agents().defaultAgentId,
      log: getLogger("cron"),
      // No job and no history: the scheduler, croner and the store load with the first job added.
      storeIsEmpty: async () =>
        (await import("../automation/cron_store_presence.ts")).cronStoreIsEmpty(config.paths.stateDir),
    });
    this.#cron = cron;
    // The work in progress a host suspension and a restart both wait for.
    const work: ActiveWorkSources = {
      admission: this.#admission,
      runs,
      runningCommands: () => this.#processes.running,
      cron,
      channels,
    };
    const suspension = wireSuspension({ ...work, hub, log: getLogger("gateway/admission") });
    const restartWiring: RestartWiring = {
      work,
      requestRestart: (reason, handled) => this.#options.requestRestart(reason, handled),
      log: getLogger("restart"),
    };
    this.#restartWiring = restartWiring;
    this.#suspension = suspension;
    const devices = new DeviceStore(() => stateDb.get(), { legacyDir: config.paths.stateDir });
    const nodes = new NodeRegistry({
      devices,
      sendTo: (connId, event, payload) => hub.sendToNode(connId, event, payload),
      broadcast: (event, payload) => hub.broadcast(event, payload),
    });
    this.#nodes = nodes;
    const methods = loadMethodTable({
      hooks: this.#internalHooks.hooks,
      toolHost,
      devices,
      nodes,
      stateDb: () => stateDb.get(),
      execApprovals,
      hub,
      presence,
      heartbeat,
      runs,
      sessions,
      sessionEvents,
      channels,
      health: async () => {
        await sessions.load(this.#agents().agents.map((a) => a.id));
        return this.#health();
      },
      agents: () => this.#agents(),
      config: () => this.#config,
      configSnapshot: () => this.#snapshot,
      eventLoop: () => this.#eventLoop.stats(),
      uptimeMs: () => this.uptimeMs,
      logFile: () => this.#options.logFile(),
      configPath: config.paths.configPath,
      env: this.#options.env,
      configWritten: () => this.#options.configWritten(),
      configQueue: configWriteQueue(),
      reloadSecrets: () => this.#options.reloadSecrets(),
      resolve: this.#options.resolve,
      cron: () => cron.control,
      suspension,
      restart: {
        ...restartWiring,
        lockIdentity: () => this.#options.lockIdentity?.(),
        adopt: (wired) => this.#adoptRestart(wired),
        schedule: async (input) => {
          const wired = await this.#wiredRestart();
          if (!wired) throw new Error("the gateway's restart wiring is set at start");
          return wired.scheduler.schedule(input);
        },
      },
      attachments: {
        store: media.store,
        acceptsImages: understanding.acceptsImages,
        maxBytes: () => mediaSettings(this.#snapshot.config).maxBytes,
      },
    });
    const { sockets, handlers, warmed } = wireWebSockets({
      hub,
      methods,
      presence,
      auth: () => ({ mode: this.#config.auth.mode, ...this.#secrets }),
      limiter: this.#limiter,
      devices,
      nodes,
      handshakeTimeoutMs: config.protocol.handshakeTimeoutMs,
      tickIntervalMs: config.protocol.tickIntervalMs,
      preAuth: { total: config.limits.maxPreAuthConnections, perAddress: config.limits.maxPreAuthConnectionsPerIp },
      closeTimeoutMs: config.limits.closeTimeoutMs,
      health: () => this.#health(),
      helloFacts: () => this.#helloFacts(),
      uptimeMs: () => this.uptimeMs,
      log: getLogger("gateway/ws"),
      served: () => this.#postListen?.connectionServed(),
      admission: this.#admission,
      autoApproveLocal: () => this.#config.autoApproveLocalPairing,
    });
    this.#sockets = sockets;
    const app = buildHttpApp({
      work: this.#admission,
      heartbeat,
      deliver,
      channelAccounts: () => channels.summary().channelAccounts,
      runs,
      sessions,
      toolHost,
      agents: () => this.#agents(),
      config: () => this.#config,
      bearer: (request, remoteAddr) =>
        checkBearer({
          authorization: request.headers.get("authorization"),
          remoteAddr,
          auth: { mode: this.#config.auth.mode, ...this.#secrets },
          limiter: this.#limiter,
        }),
      controlUi: {
        basePath: config.controlUi.basePath,
        settings: () => this.#config.controlUi,
      },
      deviceJoin: {
        // Loaded with the first join request: most gateways never serve one.
        redeem: async (shortcode) =>
          (await import("../state/join_codes.ts")).redeemJoinCode(await stateDb.get(), shortcode, Date.now()),
        limiter: this.#limiter,
      },
      probes: {
        phase: () => this.#phase,
        uptimeMs: () => this.uptimeMs,
        version: VERSION,
        detailed: (request, remoteAddr) =>
          probeDetailsAllowed({ headers: request.headers, remoteAddr, secrets: this.#secrets }),
        admissionOpen: () => this.#admission.open,
      },
    });
    await warmed;
    this.#listener = await listen({
      addresses: config.listen,
      port: config.port,
      retry: this.#options.bindRetry,
      limits: config.limits,
      log: this.#log,
      handlers: listenerHandlers({
        attribute: (request, socketAddr) => this.#attribute(request, socketAddr),
        ready: () => this.#phase === "ready",
        webhookFor: (request) => channels.webhookFor(request),
        app,
        sockets,
        handlers,
        allowedOrigins: () => this.#config.controlUi.allowedOrigins,
      }),
    });
    this.#timers.push(
      // Set as the port opens, before the first client: the web platform's timers (async/web_timer.ts).
      webInterval(config.protocol.tickIntervalMs, () => hub.broadcast("tick", { ts: Date.now() })),
      webInterval(HEALTH_REFRESH_MS, () => hub.broadcastHealth(this.#health())),
    );
    this.#internalHooks.attach({
      stateDir: config.paths.stateDir,
      home: resolveHome(this.#options.env),
      cwd: Deno.cwd(),
      rawConfig: () => this.#snapshot.config,
      agents: () => this.#agents(),
      sessions,
      env: (name) => this.#options.env[name],
      host: async () => (await import("../agent/skills/skill_status.ts")).processSkillHost(),
      bootRun: async (agentId, prompt) =>
        (await import("./boot_run.ts")).runBootTurn({ runs, sessions }, agentId, prompt),
    });
    this.#phase = "ready";
    // The work after readiness begins once the first client is served or after a short bound (post_listen_start.ts),
    // so a client connecting as the port accepts is not queued behind it; stop() cancels what has not begun.
    this.#postListen = postListenStart({
      heartbeat,
      // Channels connect in the background; a slow or failing network never delays readiness.
      channels: () => this.#reconcileChannels(),
      // The scheduler loads its jobs (and catches up missed runs) after readiness, never delaying it.
      cron,
      media,
      internalHooks: () => this.#internalHooks.start(),
      // Read after the first client is served (post_listen_steps.ts); a client served before saw none counted.
      sessionCounts: () => this.#countSessions(sessions),
      handshaking: () => sockets.handshaking > 0,
      log: this.#log,
    });
  }

  /**
   * A `message` tool send, through the channel manager as the `send` method delivers (chunked, on the
   * account asked for); a gateway whose channels are not up yet refuses it, worded for the model.
   */
  async #sendFromTool(message: OutboundSend): Promise<{ messageId?: string | undefined }> {
    if (!this.#channels) throw new ToolError("Cannot send: the gateway's channels are not running yet");
    const sent = await this.#channels.send({
      to: message.to,
      message: message.text,
      channel: message.channel,
      accountId: message.accountId,
      idempotencyKey: crypto.randomUUID(),
      // Checked again here against the sending agent's workspace and the media store.
      mediaUrls: message.media?.map((file) => file.path),
      agentId: message.agentId,
      asVoice: message.asVoice,
      threadId: message.threadId,
      sessionKey: message.sessionKey,
    });
    return { messageId: sent.messageId };
  }

  /** Starts or stops channels to match the config; a failure is logged, never fatal. */
  #reconcileChannels(): void {
    this.#channels?.reconcile().catch((error) => this.#log.error(`channel reconcile failed: ${stackOf(error)}`));
  }

  /**
   * The client address of a request, or undefined when it carries proxy headers from a source
   * not in `gateway.trustedProxies` (read per request, so a reload applies at once).
   */
  #attribute(request: { headers: Headers }, remoteAddr: string): string | undefined {
    return attributeRequest({
      headers: request.headers,
      remoteAddr,
      trustedProxies: this.#config.proxies.trustedProxies,
      allowRealIpFallback: this.#config.proxies.allowRealIpFallback,
      warnedAt: this.#proxyWarnedAt,
      warn: (message) => this.#log.warn(message),
    });
  }

  /**
   * Applies a hot reload: the config snapshot, secrets and rate-limit policy are swapped
   * together, and the listener is left alone. Sessions opened with a secret that changed are
   * closed (4001), so a rotated token really revokes the old one.
   */
  applyHot(next: { config: ResolvedGatewayConfig; snapshot: ConfigSnapshot; secrets: EffectiveSecrets }): void {
    const rotated = next.secrets.token !== this.#secrets.token || next.secrets.password !== this.#secrets.password;
    this.#config = next.config;
    this.#snapshot = next.snapshot;
    this.#secrets = next.secrets;
    this.#limiter.setPolicy(next.config.auth.rateLimit);
    this.#reconcileChannels();
    this.#heartbeat?.reconfigure();
    // A removed or changed MCP server is closed now (its stdio child stops); unchanged ones stay connected.
    void this.#mcp.reconcile(next.config.mcp.servers);
    this.#cron?.reconfigure();
    // `hooks.internal` or the default workspace changed: the handler set is selected and loaded again.
    this.#internalHooks.reload().catch((error) => this.#log.error(`internal hooks reload failed: ${stackOf(error)}`));
    if (rotated) {
      const closed = this.#hub.closeSharedSecretSessions();
      if (closed > 0) this.#log.info(`gateway auth changed; closed ${closed} session(s) opened with the old secret`);
    }
  }

  /**
   * Reads the session counts the `health` snapshots report; when there are any, every client connected before (which
   * was told of none) gets a fresh `health` with them. Each agent on its own: one whose database fails a read stays
   * uncounted and the others are counted all the same (one that cannot be opened already counts none: `load`).
   */
  async #countSessions(sessions: SessionStore): Promise<void> {
    const ids = this.#agents().agents.map((agent) => agent.id);
    await Promise.allSettled(ids.map((id) => sessions.load([id])));
    if (ids.some((id) => sessions.summary(id).count > 0)) this.refreshHealth();
  }

  /**
   * A config reload's restart while work is in progress or another restart is pending: handed to the restart
   * scheduler, which restarts in place once the work has finished, as the reference defers it. Answers what it
   * waits for (empty: it joined the pending restart); undefined when nothing is running: the caller restarts now.
   */
  async deferRestart(reason: string): Promise<string[] | undefined> {
    if (this.#phase === "draining") return undefined;
    return (await this.#wiredRestart())?.deferReload(reason);
  }

  /** The gateway's restart scheduler, loaded (off the start path) and made on the first call that needs it. */
  async #wiredRestart(): Promise<WiredRestart | undefined> {
    const w = this.#restartWiring;
    if (!w) return undefined;
    const { wireRestart } = await import("./restart_wiring.ts");
    return this.#adoptRestart(wireRestart(w));
  }

  /** Calls off a deferred config reload's restart nobody else joined (its edit was undone or superseded). */
  cancelRestart(reason: string): boolean {
    return this.#restarts?.scheduler.cancel(reason) ?? false;
  }

  /** The first restart scheduler made is the gateway's: a second, never armed, is dropped. */
  #adoptRestart(wired: WiredRestart): WiredRestart {
    if (this.#restarts) return this.#restarts;
    this.#restarts = wired;
    // Made by a first call that arrived as the gateway stops: it must not outlive it.
    if (this.#phase === "draining") wired.scheduler.stop();
    return wired;
  }

  /** Sends every client a fresh health snapshot (after a reload, so the overview shows the file's state now). */
  refreshHealth(): void {
    if (this.#phase === "ready") this.#hub.broadcastHealth(this.#health());
  }

  /** Milliseconds since the process started (it keeps counting across in-place restarts). */
  get uptimeMs(): number {
    return Math.round(performance.now());
  }

  /** The WebSocket URL of the primary listener. */
  get url(): string {
    return `ws://${formatHost(this.#config.host)}:${this.#config.port}`;
  }

  #disposeTimers(): void {
    for (const cancel of this.#timers) cancel();
    this.#timers = [];
    this.#eventLoop.dispose();
  }

  /**
   * Stops in the reference's order: refuse new work, tell every client why (`shutdown`), close
   * them with 1012, let in-flight HTTP requests finish within the drain budget, close the port.
   */
  async stop(notice: ShutdownNotice): Promise<void> {
    if (this.#phase === "draining") return;
    this.#phase = "draining";
    // First: a restart whose wait ends while this stop runs would otherwise be delivered after it.
    this.#restarts?.scheduler.stop();
    this.#postListen?.cancel();
    const started = performance.now();
    // Before anything stops, as the reference: `gateway:shutdown`, then for a restart `gateway:pre-restart`.
    await this.#internalHooks.stop(notice);
    this.#disposeTimers();
    this.#heartbeat?.stop();
    await this.#cron?.stop();
    // Before the runs are aborted: a channel answer cut off now is kept and given after the next start.
    this.#channels?.drain();
    // A held suspension ends with the process: its timer goes, and turns waiting at the fence see the stop.
    this.#suspension?.stop();
    this.#runs?.abortAll();
    await this.#processes.stop();
    this.#execApprovals?.queue.close();
    await this.#channels?.stop();
    await this.#media?.stop();
    await this.#mcp.stop();
    this.#hub.shutdownAll(notice);
    // Let the 1012 close handshakes finish; shutting the server down first would cut them
    // off and clients would see 1001 instead of the restart code they act on.
    await this.#sockets?.closed();
    await this.#listener?.shutdown(this.#options.drainTimeoutMs ?? 10_000);
    this.#nodes?.close();
    // A run still unsettled now (aborted above, not yet done) would leave its task "running" for good.
    await this.#stateDb?.close((db) => settleAgentTasks(db));
    // Runs that ended just before the stop write their trajectory events before the databases close.
    await this.#runs?.settled();
    await this.#sessions?.close();
    this.#log.info(`shutdown completed cleanly in ${Math.round(performance.now() - started)}ms`);
  }
}
