// The gateway side of `openclaw mcp serve`: one operator connection (read, write, approvals) subscribed to
// session events, read as the reference's bridge reads them. Routed sessions become conversations, live
// messages and approval requests become queued events, and a reply goes out through the session's stored
// route with the gateway's `send`. When the connection drops after the first subscription (a gateway restart),
// the bridge reconnects on its own with the reference's backoff and subscribes again; the event queue and its
// cursor live on, and tools that ask the gateway answer `gateway not connected` meanwhile.
import { type ChannelConversation, conversationOf, firstTextOf, messageIdOf } from "./channel_conversation.ts";
import { type ChannelEventQueue, type EventFilter, type WaitOutcome } from "./channel_event_queue.ts";
import { pausesReconnect, reconnectDelayMs } from "./gateway_reconnect.ts";
import {
  type ClientTarget,
  connectGateway,
  type GatewayConnection,
  GatewayRequestError,
  GatewayTransportError,
} from "./rpc_client.ts";
import { isJsonObject } from "../log/json_object.ts";
import { messageOf } from "../log/error_text.ts";

/** Claude channel notifications: `auto` is `on` (the reference detects nothing either). */
export type ClaudeChannelMode = "auto" | "on" | "off";

/** How a notification to the MCP client went. */
export type NotifyOutcome = "delivered" | "failed" | "unavailable";

/** The bridge's time: its reconnect, tick-watch and expiry-sweep timers (tests move it by hand). */
export interface BridgeClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): number;
  clearTimeout(id: number): void;
}

const SYSTEM_CLOCK: BridgeClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => Number(setTimeout(callback, delayMs)),
  clearTimeout: (id) => clearTimeout(id),
};

/** What the bridge needs from the process around it. */
export interface ChannelBridgeDeps {
  target: ClientTarget;
  claudeChannelMode: ClaudeChannelMode;
  queue: ChannelEventQueue;
  /** Sends an MCP notification to the client. */
  notify(method: string, params: Record<string, unknown>): Promise<NotifyOutcome>;
  /** A line for stderr (`-v` lines are only passed when verbose). */
  log(line: string): void;
  verbose: boolean;
  /** Defaults to the system clock. */
  clock?: BridgeClock | undefined;
}

/** An approval request seen while connected. */
export interface OpenApproval {
  kind: "exec" | "plugin";
  id: string;
  request?: Record<string, unknown> | undefined;
  createdAtMs?: number | undefined;
  expiresAtMs?: number | undefined;
}

const CLAUDE_PERMISSION_REPLY = /^(yes|no)\s+([a-km-z]{5})$/i;
const REQUEST_TIMEOUT_MS = 180_000;
const CONNECT_TIMEOUT_MS = 30_000;
const CLAUDE_PERMISSION_TTL_MS = 3_600_000;
const APPROVAL_DEFAULT_TTL_MS = 1_800_000;
/** How often expired pending requests are dropped while any are pending, as the reference's bridge. */
const PENDING_SWEEP_INTERVAL_MS = 300_000;
/** The tick interval assumed when the gateway's hello names none, as the reference's gateway client. */
const DEFAULT_TICK_INTERVAL_MS = 30_000;
/** The longest delay a timer takes (2^31 - 1 ms). */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** An integer option within bounds; anything else is the default. */
export function boundedInt(value: unknown, fallback: number, bounds: { min: number; max: number }): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return fallback;
  return Math.min(bounds.max, Math.max(bounds.min, Math.trunc(value)));
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * A failed gateway request in the reference's words: a drop while waiting is `gateway closed (<code>): <reason>`,
 * an unanswered one `gateway request timeout for <method>`; anything else as it is.
 */
function requestFailure(method: string, error: unknown): unknown {
  if (!(error instanceof GatewayTransportError)) return error;
  if (error.kind === "timeout") return new Error(`gateway request timeout for ${method}`);
  if (error.kind !== "closed") return error;
  const [, code, reason] = /^(\d+)(?: (.*))?$/s.exec(error.reason) ?? [];
  return code ? new Error(`gateway closed (${code}): ${reason ?? ""}`) : error;
}

/**
 * The bridge's lifecycle: {@link start} connects and subscribes, a dropped connection is reconnected with
 * backoff, {@link close} releases everything (connection, timers, waits).
 */
export class ChannelBridge {
  readonly #deps: ChannelBridgeDeps;
  readonly #clock: BridgeClock;
  #gateway: GatewayConnection | undefined;
  #exactLookup = false;
  #closed = false;
  /** Set once the first subscription succeeded: only then does a dropped connection reconnect. */
  #live = false;
  #reconnectTimer: number | undefined;
  /** Connect attempts that failed since the last hello: the next delay doubles with each. */
  #reconnectFailures = 0;
  #sweepTimer: number | undefined;
  #tickTimer: number | undefined;
  /** When the live connection last showed life (an event, a tick, an answer). */
  #lastActivityMs = 0;
  /** Gateway requests awaiting an answer: their own timeouts bound them, so the tick watch waits for them. */
  #inFlight = 0;
  #ready: Promise<void>;
  #settleReady!: (error?: Error) => void;
  #claudePermissions = new Map<string, number>();
  #approvals = new Map<string, { approval: OpenApproval; trackedAtMs: number }>();

  constructor(deps: ChannelBridgeDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? SYSTEM_CLOCK;
    this.#ready = new Promise<void>((resolve, reject) => {
      let settled = false;
      this.#settleReady = (error) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
    });
    // A failed start is reported by start() itself; tools waiting on readiness see the same error.
    this.#ready.catch(() => {});
  }

  /** Connects as an operator client and subscribes to session events; resolves once subscribed. */
  async start(): Promise<void> {
    try {
      const gateway = await this.#connect();
      if (!gateway) return;
      await gateway.request("sessions.subscribe", {}, REQUEST_TIMEOUT_MS);
      this.#live = !this.#closed;
      this.#settleReady();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.#settleReady(failure);
      throw failure;
    }
  }

  /** One connection up to `hello-ok`, kept as the bridge's; undefined when the bridge closed meanwhile. */
  async #connect(): Promise<GatewayConnection | undefined> {
    // onClose is armed after hello and fires from a socket event, so never before `connection` is assigned.
    const connection: GatewayConnection = await connectGateway(this.#deps.target, {
      clientId: "cli",
      mode: "cli",
      displayName: "OpenClaw MCP",
      scopes: ["operator.read", "operator.write", "operator.approvals"],
      caps: ["approvals"],
      timeoutMs: CONNECT_TIMEOUT_MS,
      onEvent: (event, payload) => {
        this.#lastActivityMs = this.#clock.now();
        void this.#dispatch(event, payload);
      },
      onClose: () => this.#dropped(connection),
    });
    if (this.#closed) {
      connection.close();
      return undefined;
    }
    this.#gateway = connection;
    this.#exactLookup = connection.hello.features.methods.includes("chat.message.get");
    this.#watchTicks(connection);
    return connection;
  }

  /**
   * As the reference's gateway client: a connection silent for two tick intervals (no tick, event or answer, and
   * no request waiting) is taken for dead, closed and reconnected, so a gateway that vanished without closing the
   * socket (a suspended host, a lost network) is noticed.
   */
  #watchTicks(connection: GatewayConnection): void {
    this.#stopTickWatch();
    // Within what a timer can wait: a longer delay makes the runtime fire it after 1 ms, over and over.
    const intervalMs = Math.min(connection.hello.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS, MAX_TIMER_DELAY_MS / 2);
    this.#lastActivityMs = this.#clock.now();
    const check = () => {
      this.#tickTimer = undefined;
      if (this.#closed || this.#gateway !== connection) return;
      if (this.#inFlight === 0 && this.#clock.now() - this.#lastActivityMs > intervalMs * 2) {
        this.#dropped(connection);
        connection.close();
        return;
      }
      this.#tickTimer = this.#clock.setTimeout(check, Math.max(intervalMs, 1000));
    };
    this.#tickTimer = this.#clock.setTimeout(check, Math.max(intervalMs, 1000));
  }

  #stopTickWatch(): void {
    if (this.#tickTimer !== undefined) this.#clock.clearTimeout(this.#tickTimer);
    this.#tickTimer = undefined;
  }

  /** The gateway went away (as the reference's bridge, nothing is printed): try again after the backoff. */
  #dropped(connection: GatewayConnection): void {
    if (this.#gateway !== connection) return;
    this.#gateway = undefined;
    this.#stopTickWatch();
    if (this.#live && !this.#closed) this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer !== undefined) return;
    const delayMs = reconnectDelayMs(this.#reconnectFailures);
    this.#reconnectTimer = this.#clock.setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#reconnect();
    }, delayMs);
  }

  async #reconnect(): Promise<void> {
    let gateway: GatewayConnection | undefined;
    try {
      gateway = await this.#connect();
    } catch (error) {
      if (this.#closed) return;
      this.#reconnectFailures += 1;
      if (error instanceof GatewayRequestError) {
        // The gateway answered and refused: said once per attempt, as the reference's gateway client says it.
        this.#deps.log(`gateway connect failed: ${error.message}`);
        if (pausesReconnect(error)) return;
      }
      this.#scheduleReconnect();
      return;
    }
    if (!gateway) return;
    this.#reconnectFailures = 0;
    // As the reference's bridge: a failed re-subscription is not retried on this connection (a drop reconnects).
    await gateway.request("sessions.subscribe", {}, REQUEST_TIMEOUT_MS).catch(() => {});
  }

  /** Closes the gateway connection, stops reconnecting and sweeping, and ends every pending wait. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#settleReady();
    if (this.#reconnectTimer !== undefined) this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#stopSweeping();
    this.#stopTickWatch();
    this.#claudePermissions.clear();
    this.#approvals.clear();
    this.#deps.queue.close();
    this.#gateway?.close();
    this.#gateway = undefined;
  }

  async #request<T>(method: string, params: unknown): Promise<T> {
    await this.#ready;
    if (this.#closed) throw new Error("Gateway client is not ready");
    if (!this.#gateway) throw new Error("gateway not connected");
    this.#inFlight += 1;
    try {
      const answer = await this.#gateway.request<T>(method, params, REQUEST_TIMEOUT_MS);
      this.#lastActivityMs = this.#clock.now();
      return answer;
    } catch (error) {
      // An error answer is a sign of life; a timeout or a drop is not.
      if (error instanceof GatewayRequestError) this.#lastActivityMs = this.#clock.now();
      throw requestFailure(method, error);
    } finally {
      this.#inFlight -= 1;
    }
  }

  /** Recent sessions that have a route, optionally of one channel. */
  async listConversations(params: {
    limit?: number | undefined;
    search?: string | undefined;
    channel?: string | undefined;
    includeDerivedTitles?: boolean | undefined;
    includeLastMessage?: boolean | undefined;
  }): Promise<ChannelConversation[]> {
    const answer = await this.#request<{ sessions?: Record<string, unknown>[] }>("sessions.list", {
      limit: boundedInt(params.limit, 50, { min: 1, max: 500 }),
      ...(params.search !== undefined ? { search: params.search } : {}),
      includeDerivedTitles: params.includeDerivedTitles ?? true,
      includeLastMessage: params.includeLastMessage ?? true,
    });
    const channel = text(params.channel)?.toLowerCase();
    return (answer.sessions ?? []).map(conversationOf)
      .filter((c): c is ChannelConversation => c !== null && (!channel || c.channel.toLowerCase() === channel));
  }

  /** One conversation by session key; null when the session is unknown or has no route. */
  async getConversation(sessionKey: string): Promise<ChannelConversation | null> {
    const key = sessionKey.trim();
    if (!key) return null;
    const answer = await this.#request<{ session?: Record<string, unknown> | null }>("sessions.describe", {
      key,
      includeDerivedTitles: true,
      includeLastMessage: true,
    });
    return answer.session ? conversationOf(answer.session) : null;
  }

  /** The session's recent transcript messages, oldest first. */
  async readMessages(sessionKey: string, limit: number): Promise<Record<string, unknown>[]> {
    const answer = await this.#request<{ messages?: Record<string, unknown>[] }>("sessions.get", {
      key: sessionKey,
      limit: boundedInt(limit, 20, { min: 1, max: 200 }),
    });
    return answer.messages ?? [];
  }

  /** One message by id: `chat.message.get` when the gateway has it, else a search of the last `limit` messages. */
  async readMessage(sessionKey: string, messageId: string, limit: number): Promise<Record<string, unknown> | null> {
    await this.#ready;
    if (!this.#exactLookup) {
      return (await this.readMessages(sessionKey, limit)).find((m) => messageIdOf(m) === messageId) ?? null;
    }
    const answer = await this.#request<{ ok?: boolean; message?: Record<string, unknown> }>("chat.message.get", {
      sessionKey,
      messageId,
    });
    return answer.ok === true ? answer.message ?? null : null;
  }

  /** Sends `text` through the conversation's stored route (`send`, with a fresh idempotency key). */
  async sendMessage(sessionKey: string, message: string): Promise<unknown> {
    const conversation = await this.getConversation(sessionKey);
    if (!conversation) throw new Error(`Conversation not found for session ${sessionKey}`);
    return await this.#request("send", {
      to: conversation.to,
      channel: conversation.channel,
      ...(conversation.accountId !== undefined ? { accountId: conversation.accountId } : {}),
      ...(conversation.threadId !== undefined ? { threadId: String(conversation.threadId) } : {}),
      message,
      sessionKey: conversation.sessionKey,
      idempotencyKey: crypto.randomUUID(),
    });
  }

  /** Approval requests seen while connected and not yet resolved or expired, oldest first. */
  listOpenApprovals(now = this.#clock.now()): OpenApproval[] {
    this.#sweep(now);
    return [...this.#approvals.values()].map((entry) => entry.approval)
      .sort((a, b) => (a.createdAtMs ?? 0) - (b.createdAtMs ?? 0));
  }

  /** Resolves an exec or plugin approval through the gateway. */
  async respondToApproval(params: { kind: "exec" | "plugin"; id: string; decision: string }): Promise<unknown> {
    const method = params.kind === "exec" ? "exec.approval.resolve" : "plugin.approval.resolve";
    return await this.#request(method, { id: params.id, decision: params.decision });
  }

  /** A Claude permission request from the MCP client: remembered, and queued as an event. */
  claudePermissionRequested(
    params: { requestId: string; toolName: string; description: string; inputPreview: string },
  ) {
    if (this.#closed) return;
    this.#claudePermissions.set(params.requestId, this.#clock.now());
    this.#startSweeping();
    this.#deps.queue.push({
      type: "claude_permission_request",
      requestId: params.requestId,
      toolName: params.toolName,
      description: params.description,
      inputPreview: params.inputPreview,
    });
    if (this.#deps.verbose) this.#deps.log(`openclaw mcp: pending Claude permission ${params.requestId}`);
  }

  /** Queue one long poll on the bridge's queue. */
  waitForEvent(filter: EventFilter, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    return this.#deps.queue.wait(filter, boundedInt(timeoutMs, 30_000, { min: 1, max: 300_000 }), signal);
  }

  /** Drops expired pending requests; the sweep timer stops once nothing is pending. */
  #sweep(now: number): void {
    for (const [id, at] of this.#claudePermissions) {
      if (now - at >= CLAUDE_PERMISSION_TTL_MS) this.#claudePermissions.delete(id);
    }
    for (const [id, entry] of this.#approvals) {
      if (now >= (entry.approval.expiresAtMs ?? entry.trackedAtMs + APPROVAL_DEFAULT_TTL_MS)) {
        this.#approvals.delete(id);
      }
    }
    if (this.#claudePermissions.size === 0 && this.#approvals.size === 0) this.#stopSweeping();
  }

  /** Arms the periodic sweep while requests are pending (the reference's 5-minute interval). */
  #startSweeping(): void {
    if (this.#sweepTimer !== undefined || this.#closed) return;
    this.#sweepTimer = this.#clock.setTimeout(() => {
      this.#sweepTimer = undefined;
      this.#sweep(this.#clock.now());
      if (this.#claudePermissions.size > 0 || this.#approvals.size > 0) this.#startSweeping();
    }, PENDING_SWEEP_INTERVAL_MS);
  }

  #stopSweeping(): void {
    if (this.#sweepTimer !== undefined) this.#clock.clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
  }

  /** Whether the expiry sweep is armed (it is exactly while a Claude permission or an approval is pending). */
  get sweeping(): boolean {
    return this.#sweepTimer !== undefined;
  }

  async #dispatch(event: string, payload: unknown): Promise<void> {
    try {
      await this.#onEvent(event, isJsonObject(payload) ? payload : {});
    } catch (error) {
      this.#deps.log(`openclaw mcp: gateway event ${event} failed`);
      if (this.#deps.verbose) this.#deps.log(`openclaw mcp: gateway event ${event} error: ${messageOf(error)}`);
    }
  }

  async #onEvent(event: string, raw: Record<string, unknown>): Promise<void> {
    if (this.#closed) return;
    switch (event) {
      case "session.message":
        return await this.#onMessage(raw);
      case "exec.approval.requested":
      case "plugin.approval.requested": {
        const kind = event.startsWith("exec") ? "exec" : "plugin";
        const id = text(raw.id);
        if (id) {
          this.#approvals.set(id, {
            approval: {
              kind,
              id,
              request: isJsonObject(raw.request) ? raw.request : undefined,
              createdAtMs: typeof raw.createdAtMs === "number" ? raw.createdAtMs : undefined,
              expiresAtMs: typeof raw.expiresAtMs === "number" ? raw.expiresAtMs : undefined,
            },
            trackedAtMs: this.#clock.now(),
          });
          this.#startSweeping();
        }
        this.#deps.queue.push({ type: `${kind}_approval_requested`, raw });
        return;
      }
      case "exec.approval.resolved":
      case "plugin.approval.resolved": {
        const id = text(raw.id);
        if (id) this.#approvals.delete(id);
        this.#deps.queue.push({ type: `${event.startsWith("exec") ? "exec" : "plugin"}_approval_resolved`, raw });
        return;
      }
    }
  }

  async #onMessage(payload: Record<string, unknown>): Promise<void> {
    const sessionKey = text(payload.sessionKey);
    if (!sessionKey) return;
    const conversation = conversationOf({
      key: sessionKey,
      lastChannel: payload.lastChannel,
      lastTo: payload.lastTo,
      lastAccountId: payload.lastAccountId,
      lastThreadId: payload.lastThreadId,
    }) ?? undefined;
    const message = isJsonObject(payload.message) ? payload.message : {};
    const role = text(message.role);
    const body = firstTextOf(message);
    // Expired requests go with the periodic sweep, not here: the reference answers one until it is swept.
    const reply = body ? CLAUDE_PERMISSION_REPLY.exec(body) : null;
    if (role === "user" && payload.senderIsOwner === true && reply) {
      const requestId = reply[2]!.toLowerCase();
      if (this.#claudePermissions.has(requestId)) {
        const outcome = await this.#deps.notify("notifications/claude/channel/permission", {
          request_id: requestId,
          behavior: reply[1]!.toLowerCase().startsWith("y") ? "allow" : "deny",
        });
        if (outcome === "delivered") this.#claudePermissions.delete(requestId);
        return;
      }
    }
    const messageId = text(payload.messageId);
    this.#deps.queue.push({
      type: "message",
      sessionKey,
      conversation,
      messageId,
      messageSeq: typeof payload.messageSeq === "number" ? payload.messageSeq : undefined,
      role,
      text: body,
      raw: payload,
    });
    if (this.#deps.claudeChannelMode === "off" || role !== "user" || !conversation) return;
    await this.#deps.notify("notifications/claude/channel", {
      content: body ?? "[non-text message]",
      meta: {
        session_key: sessionKey,
        channel: conversation.channel,
        to: conversation.to,
        account_id: conversation.accountId ?? "",
        thread_id: conversation.threadId === undefined ? "" : String(conversation.threadId),
        message_id: messageId ?? "",
      },
    });
  }
}
