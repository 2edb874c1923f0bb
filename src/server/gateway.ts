import type { AgentsConfig } from "../agent/agents_config.ts";
import { AgentRuns } from "../agent/runs.ts";
import { ChannelManager } from "../channels/manager.ts";
import { DeviceStore } from "../auth/device_store.ts";
import { checkBearer } from "../auth/http_bearer.ts";
import { originAllowed } from "../auth/origin_check.ts";
import { attributeClient } from "../auth/proxy_trust.ts";
import { AuthRateLimiter } from "../auth/rate_limit.ts";
import { safeEqualSecret } from "../auth/secret_compare.ts";
import type { ConfigSnapshot } from "../config/load.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import { isLoopbackHost, type ResolvedGatewayConfig } from "../config/resolve.ts";
import { readBody } from "../http/body.ts";
import type { GatewayPhase } from "../http/types.ts";
import { getLogger } from "../log/logger.ts";
import { Connection, DEFAULT_LIMITS } from "../protocol/connection.ts";
import { createProtocolHandlers } from "../protocol/handlers.ts";
import { Hub, type ShutdownNotice } from "../protocol/hub.ts";
import { PresenceTracker } from "../protocol/presence.ts";
import { buildHealthSnapshot, type ConfigReloadStatus } from "../rpc/methods/health.ts";
import { ProtocolValidators } from "../rpc/validators.ts";
import { SessionStore } from "../sessions/store.ts";
import { VERSION } from "../version.ts";
import { EventLoopMonitor } from "./event_loop.ts";
import { formatHost } from "./guards.ts";
import { HeartbeatState } from "./heartbeat.ts";
import { buildHttpApp } from "./http_wiring.ts";
import { type BindRetry, listen, type Listener } from "./listener.ts";
import { buildMethodTable } from "./method_table.ts";
import { PreAuthBudget } from "./preauth_budget.ts";
import { selfFacts } from "./self_facts.ts";

/** The reference's refusal for proxied requests from an untrusted source. */
function proxyAttributionRequired(): Response {
  return Response.json({
    error: {
      message:
        "Proxy client attribution is required. Configure gateway.trustedProxies narrowly and make the proxy overwrite or safely rebuild forwarded client headers.",
      type: "proxy_attribution_required",
    },
  }, { status: 403 });
}

/** A loopback peer that sent no proxy headers: the only caller whose device pairs without approval. */
function directLoopback(request: Request, socketAddr: string): boolean {
  const proxied = ["forwarded", "x-forwarded-for", "x-real-ip"].some((h) => request.headers.has(h));
  return isLoopbackHost(socketAddr) && !proxied;
}

/** Largest channel webhook body (a Telegram update is a few KiB). */
const WEBHOOK_MAX_BYTES = 1024 * 1024;

/** Hands a channel webhook its request with the body already read through the one capped reader. */
async function channelWebhook(
  webhook: (request: Request) => Response | Promise<Response>,
  request: Request,
): Promise<Response> {
  if (request.method === "GET" || request.method === "HEAD") return await webhook(request);
  const read = await readBody(request, { maxBytes: WEBHOOK_MAX_BYTES });
  if (!read.ok) {
    const [status, text] = read.reason === "too_large" ? [413, "Payload Too Large"] : [408, "Request Timeout"];
    return new Response(text, { status, headers: { connection: "close" } });
  }
  return await webhook(
    new Request(request.url, { method: request.method, headers: request.headers, body: read.bytes }),
  );
}

/** How long stop waits for clients to answer the close frame. */
const CLOSE_HANDSHAKE_MS = 1000;
/** How often every client gets a fresh health snapshot, as in the reference. */
const HEALTH_REFRESH_MS = 60_000;

/** The secrets in force for this run, after the stored token was loaded or generated. */
export interface EffectiveSecrets {
  token: string | undefined;
  password: string | undefined;
}

/** Everything {@link Gateway.start} needs. */
export interface GatewayStartOptions {
  config: ResolvedGatewayConfig;
  snapshot: ConfigSnapshot;
  env: EnvSnapshot;
  secrets: EffectiveSecrets;
  /** The log file `logs.tail` reads. */
  logFile(): string;
  /** Asks the process to restart the gateway in place (what SIGUSR2 does). */
  requestRestart(): void;
  /** Tells the process the config file was written over RPC, so it reloads like any edit. */
  configWritten(): void;
  /** Where config reload stands, for `health`. */
  reloadStatus(): ConfigReloadStatus;
  /** Resolves a config snapshot as this run's reloads do (config.set's reload preview). */
  resolve?: ((snapshot: ConfigSnapshot) => ResolvedGatewayConfig) | undefined;
  bindRetry?: BindRetry | undefined;
  /** Bound on waiting for in-flight HTTP requests at stop. */
  drainTimeoutMs?: number | undefined;
}

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
  #limiter: AuthRateLimiter;
  #phase: GatewayPhase = "starting";
  #hub = new Hub(getLogger("gateway/ws"));
  #listener: Listener | undefined;
  #timers: ReturnType<typeof setInterval>[] = [];
  #eventLoop = new EventLoopMonitor();
  #runs: AgentRuns | undefined;
  #sessions: SessionStore | undefined;
  #channels: ChannelManager | undefined;
  /** Sockets still open, resolved when each finishes its close handshake. */
  #openSockets = new Set<Promise<void>>();
  /** When each source address was last warned about unattributable proxy traffic. */
  #proxyWarnedAt = new Map<string, number>();
  #log = getLogger("gateway");

  private constructor(options: GatewayStartOptions) {
    this.#options = options;
    this.#config = options.config;
    this.#secrets = options.secrets;
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
    const channels = this.#channels?.summary();
    const agents = this.#agents();
    const sessions = this.#sessions;
    return buildHealthSnapshot({
      defaultAgentId: agents.defaultAgentId,
      agents: agents.agents.map((agent) => ({
        agentId: agent.id,
        name: agent.name,
        isDefault: agent.isDefault,
        sessions: sessions?.summary(agent.id) ??
          { path: `${this.#config.paths.stateDir}/agents/${agent.id}/sessions`, count: 0, recent: [] },
      })),
      storage: sessions?.storage ?? { ok: true, writeFailures: 0, lastWriteError: null },
      stateDir: this.#config.paths.stateDir,
      eventLoop: this.#eventLoop.stats(),
      configReload: this.#options.reloadStatus(),
      channels: channels?.channels ?? {},
      channelOrder: channels?.channelOrder ?? [],
      channelLabels: channels?.channelLabels ?? {},
    });
  }

  /** Agents and providers of the config in force, re-derived only when the config changed. */
  #agents(): AgentsConfig {
    return this.#config.agents;
  }

  async #start(): Promise<void> {
    const config = this.#config;
    // A failed transcript write reaches every client's health view at once, not a minute later.
    const sessions = new SessionStore(config.paths.stateDir, { onWriteFailure: () => this.refreshHealth() });
    this.#sessions = sessions;
    const runs = new AgentRuns({
      sessions,
      agents: () => this.#agents(),
      emit: (event, payload) => this.#hub.broadcast(event, payload),
    });
    this.#runs = runs;
    const channels = new ChannelManager({
      stateDir: config.paths.stateDir,
      env: this.#options.env,
      config: () => this.#config,
      defaultAgentId: () => this.#agents().defaultAgentId,
      runs,
      log: getLogger("gateway/channels"),
    });
    this.#channels = channels;
    const wsLog = getLogger("gateway/ws");
    const hub = this.#hub;
    const presence = new PresenceTracker(selfFacts(VERSION));
    const heartbeat = new HeartbeatState({
      emit: (outcome) => hub.broadcast("heartbeat", outcome),
      agents: () => this.#agents(),
    });
    const limits = { ...DEFAULT_LIMITS, handshakeTimeoutMs: config.protocol.handshakeTimeoutMs };
    const devices = new DeviceStore(config.paths.stateDir);
    const preAuth = new PreAuthBudget({
      total: config.limits.maxPreAuthConnections,
      perAddress: config.limits.maxPreAuthConnectionsPerIp,
    });
    /** Each pre-auth socket's slot, given back once `connect` succeeds or the socket closes. */
    const preAuthRelease = new WeakMap<Connection, () => void>();
    const methods = buildMethodTable({
      devices,
      hub,
      presence,
      heartbeat,
      runs,
      sessions,
      channels,
      health: async () => {
        await sessions.load(this.#agents().agents.map((a) => a.id));
        return this.#health();
      },
      agents: () => this.#agents(),
      config: () => this.#config,
      eventLoop: () => this.#eventLoop.stats(),
      uptimeMs: () => this.uptimeMs,
      logFile: () => this.#options.logFile(),
      configPath: config.paths.configPath,
      env: this.#options.env,
      configWritten: () => this.#options.configWritten(),
      requestRestart: () => this.#options.requestRestart(),
      resolve: this.#options.resolve,
    });
    const handlers = createProtocolHandlers({
      hub,
      methods,
      validators: new ProtocolValidators(),
      auth: () => ({ mode: this.#config.auth.mode, ...this.#secrets }),
      limiter: this.#limiter,
      devices,
      limits,
      tickIntervalMs: config.protocol.tickIntervalMs,
      snapshot: () => ({ presence: presence.list(), health: this.#health(), uptimeMs: this.uptimeMs }),
      connected: (connection, params) => {
        preAuthRelease.get(connection)?.();
        const joined = presence.join(connection.connId, {
          id: params.client.id,
          mode: params.client.mode,
          version: params.client.version,
          platform: params.client.platform,
          ip: connection.remoteAddr,
          instanceId: params.client.instanceId,
          displayName: params.client.displayName,
        });
        if (joined) hub.broadcastPresence(presence.list());
        // The reference refreshes health right after each connect.
        hub.broadcastHealth(this.#health(), connection);
      },
      disconnected: (connection) => {
        if (presence.leave(connection.connId)) hub.broadcastPresence(presence.list());
      },
      log: wsLog,
    });
    const app = buildHttpApp({
      heartbeat,
      runs,
      sessions,
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
      probes: {
        phase: () => this.#phase,
        uptimeMs: () => this.uptimeMs,
        version: VERSION,
        detailed: (request, remoteAddr) => this.#detailedProbe(request, remoteAddr),
      },
    });
    this.#listener = await listen({
      addresses: config.listen,
      port: config.port,
      retry: this.#options.bindRetry,
      limits: config.limits,
      log: this.#log,
      handlers: {
        http: (request, remoteAddr) => {
          const client = this.#attribute(request, remoteAddr);
          // Channel webhooks (Telegram) authenticate with their own secret, checked by the channel.
          const webhook = client === undefined ? undefined : channels.webhookFor(request);
          if (webhook) return channelWebhook(webhook, request);
          if (client === undefined) {
            // Liveness stays answerable behind any proxy; everything else needs attribution.
            const path = new URL(request.url).pathname;
            if (path === "/healthz" || path === "/health") return app.fetch(request, { remoteAddr });
            return proxyAttributionRequired();
          }
          return app.fetch(request, { remoteAddr: client });
        },
        upgrade: (request, socketAddr, upgrade) => {
          if (this.#phase !== "ready") {
            return new Response("gateway restart in progress", { status: 503, headers: { "retry-after": "1" } });
          }
          const remoteAddr = this.#attribute(request, socketAddr);
          if (remoteAddr === undefined) return proxyAttributionRequired();
          const origin = request.headers.get("origin");
          if (
            !originAllowed({
              origin,
              host: request.headers.get("host"),
              allowedOrigins: this.#config.controlUi.allowedOrigins,
            })
          ) {
            wsLog.warn(
              `refused WebSocket from origin ${origin} (not this gateway's and not in gateway.controlUi.allowedOrigins)`,
            );
            return new Response(
              "origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)",
              { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } },
            );
          }
          // Sockets that never send `connect` are capped, per address and in total, before any is accepted.
          const release = preAuth.acquire(remoteAddr);
          if (!release) {
            return new Response("Too many unauthenticated sockets", {
              status: 503,
              headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "5" },
            });
          }
          let accepted: ReturnType<typeof upgrade>;
          try {
            accepted = upgrade({
              // Read per frame, once the socket is open: the limit grows when `connect` succeeds.
              maxMessageBytes: () => connection.authenticated ? limits.maxPayload : limits.maxPreAuthPayload,
              closeTimeoutMs: config.limits.closeTimeoutMs,
            });
          } catch (error) {
            // The HTTP layer refuses malformed handshakes before this runs; whatever else fails
            // here must not keep the slot.
            release();
            throw error;
          }
          const { socket, response } = accepted;
          const peer = { origin: origin ?? undefined, direct: directLoopback(request, socketAddr) };
          const connection = new Connection(socket, { remoteAddr, handlers, limits, log: wsLog, peer });
          preAuthRelease.set(connection, release);
          socket.onopen = () => {
            hub.add(connection);
            connection.opened();
          };
          // received() never rejects: a failing handler is answered or the socket closed with 1011.
          socket.onmessage = (event) => void connection.received(event.data);
          const closed = new Promise<void>((resolve) => {
            socket.onclose = () => {
              release();
              connection.socketClosed();
              resolve();
            };
          });
          this.#openSockets.add(closed);
          void closed.then(() => this.#openSockets.delete(closed));
          socket.onerror = () => connection.socketClosed();
          return response;
        },
      },
    });
    this.#timers.push(
      setInterval(() => hub.broadcast("tick", { ts: Date.now() }), config.protocol.tickIntervalMs),
      setInterval(() => hub.broadcastHealth(this.#health()), HEALTH_REFRESH_MS),
    );
    this.#phase = "ready";
    // Channels connect in the background; a slow or failing network never delays readiness.
    this.#reconcileChannels();
    // The session counts `health` reports, read after readiness so start-up never waits for them.
    void sessions.load(this.#agents().agents.map((a) => a.id)).catch(() => {});
  }

  /** Starts or stops channels to match the config; a failure is logged, never fatal. */
  #reconcileChannels(): void {
    this.#channels?.reconcile().catch((error) =>
      this.#log.error(`channel reconcile failed: ${(error as Error)?.stack ?? String(error)}`)
    );
  }

  /**
   * The client address of a request, or undefined when it carries proxy headers from a source
   * not in `gateway.trustedProxies` (read per request, so a reload applies at once).
   */
  #attribute(request: Request, remoteAddr: string): string | undefined {
    const result = attributeClient({
      headers: request.headers,
      remoteAddr,
      trustedProxies: this.#config.proxies.trustedProxies,
      allowRealIpFallback: this.#config.proxies.allowRealIpFallback,
    });
    if (result.ok) return result.address;
    // Once a minute per source: a flood of proxied requests must not become a flood of log lines.
    const now = Date.now();
    if (now - (this.#proxyWarnedAt.get(remoteAddr) ?? 0) > 60_000) {
      if (this.#proxyWarnedAt.size > 1000) this.#proxyWarnedAt.clear();
      this.#proxyWarnedAt.set(remoteAddr, now);
      this.#log.warn(
        `observed unattributable proxy-shaped traffic from ${remoteAddr}; configure gateway.trustedProxies narrowly to allow it`,
      );
    }
    return undefined;
  }

  /** Local callers without proxy headers, and callers with a valid bearer secret, see probe details. */
  #detailedProbe(request: Request, remoteAddr: string): boolean {
    const proxied = ["forwarded", "x-forwarded-for", "x-real-ip"].some((h) => request.headers.has(h));
    if (isLoopbackHost(remoteAddr) && !proxied) return true;
    const bearer = /^bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim();
    const { token, password } = this.#secrets;
    return safeEqualSecret(bearer, token) || safeEqualSecret(bearer, password);
  }

  /**
   * Applies a hot reload: the config snapshot, secrets and rate-limit policy are swapped
   * together, and the listener is left alone. Sessions opened with a secret that changed are
   * closed (4001), so a rotated token really revokes the old one.
   */
  applyHot(next: { config: ResolvedGatewayConfig; snapshot: ConfigSnapshot; secrets: EffectiveSecrets }): void {
    const rotated = next.secrets.token !== this.#secrets.token || next.secrets.password !== this.#secrets.password;
    this.#config = next.config;
    this.#secrets = next.secrets;
    this.#limiter.setPolicy(next.config.auth.rateLimit);
    this.#reconcileChannels();
    if (rotated) {
      const closed = this.#hub.closeSharedSecretSessions();
      if (closed > 0) this.#log.info(`gateway auth changed; closed ${closed} session(s) opened with the old secret`);
    }
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

  /** Current lifecycle phase. */
  get phase(): GatewayPhase {
    return this.#phase;
  }

  #disposeTimers(): void {
    for (const timer of this.#timers) clearInterval(timer);
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
    const started = performance.now();
    this.#disposeTimers();
    this.#runs?.abortAll();
    await this.#channels?.stop();
    this.#hub.shutdownAll(notice);
    // Let the 1012 close handshakes finish; shutting the server down first would cut them
    // off and clients would see 1001 instead of the restart code they act on.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(this.#openSockets),
      new Promise<void>((resolve) => timer = setTimeout(resolve, CLOSE_HANDSHAKE_MS)),
    ]);
    clearTimeout(timer);
    await this.#listener?.shutdown(this.#options.drainTimeoutMs ?? 10_000);
    this.#log.info(`shutdown completed cleanly in ${Math.round(performance.now() - started)}ms`);
  }
}
