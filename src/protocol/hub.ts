import { messageOf } from "../log/error_text.ts";
import type { Logger } from "../log/logger.ts";
import { scopeSatisfied } from "../rpc/scopes.ts";
import { SessionSubscriptions } from "./session_subscriptions.ts";
import { ToolEventRecipients } from "./tool_event_recipients.ts";
import { type SharedEventFrame, sharedEventFrame } from "./event_frame.ts";
import { CloseCode } from "./socket.ts";

/** The payload of the `shutdown` event sent to every client before the gateway closes them. */
export interface ShutdownNotice {
  reason: string;
  restartExpectedMs?: number;
}

/** Clients that receive exec approvals without declaring a capability (the reference's list). */
const APPROVAL_CLIENT_IDS = new Set(["openclaw-control-ui", "openclaw-macos", "openclaw-ios", "openclaw-android"]);

/** One WebSocket client as the hub sees it. */
export interface HubMember {
  readonly connId: string;
  /** True once the client passed `connect`; only those receive broadcasts. */
  readonly authenticated: boolean;
  /** Scopes granted at `connect`. */
  readonly scopes: readonly string[];
  /** How it authenticated, once it has. */
  readonly identity?:
    | {
      method: string;
      role?: string;
      deviceId?: string | undefined;
      clientId?: string | undefined;
      caps?: readonly string[] | undefined;
    }
    | undefined;
  sendEvent(event: string, payload: unknown, extra?: { stateVersion?: StateVersion }): void;
  /**
   * Sends an event whose payload is already JSON (a broadcast serializes it once for everyone);
   * `shared` is that frame cut at the seq, built once per broadcast.
   */
  sendEventJson(
    event: string,
    payloadJson: string,
    extra?: { stateVersion?: StateVersion },
    shared?: SharedEventFrame,
  ): void;
  close(code: number, reason: string): void;
}

/** The pair of counters clients compare to know whether presence or health moved on. */
export interface StateVersion {
  presence: number;
  health: number;
}

// Per-event scope guard, as the reference applies it; an event missing here is not sent at all.
const EVENT_SCOPES: Readonly<Record<string, string | null>> = {
  tick: null,
  health: null,
  heartbeat: null,
  shutdown: null,
  presence: "operator.read",
  "config.changed": "operator.read",
  agent: "operator.read",
  chat: "operator.read",
  "sessions.changed": "operator.read",
  "session.message": "operator.read",
  "device.pair.changed": "operator.pairing",
  "device.pair.requested": "operator.pairing",
  "device.pair.resolved": "operator.pairing",
  "device.pair.setup.completed": "operator.pairing",
  "device.pair.setup.deliveryUncertain": "operator.pairing",
  "node.pair.requested": "operator.pairing",
  "node.pair.resolved": "operator.pairing",
  "exec.approval.requested": "operator.approvals",
  "exec.approval.resolved": "operator.approvals",
  // Job added/updated/removed/started/finished, as the reference scopes it.
  cron: "operator.read",
  // A host suspension's admission phase: every client sees it, as in the reference.
  "gateway.suspension": null,
};

/** The set of live connections: scope-filtered broadcast, state versions, orderly shutdown. */
export class Hub {
  #members = new Map<string, HubMember>();
  #log: Logger;
  #version: StateVersion = { presence: 1, health: 1 };
  /** Who subscribed to which session events; a leaving member's subscriptions go with it. */
  readonly sessionSubscriptions = new SessionSubscriptions();
  /** Who receives each run's `tool`-stream events (declared `tool-events` and started or joined the run). */
  readonly toolEventRecipients = new ToolEventRecipients();

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Current state versions (for `hello-ok.snapshot.stateVersion`). */
  get stateVersion(): StateVersion {
    return { ...this.#version };
  }

  add(member: HubMember): void {
    this.#members.set(member.connId, member);
  }

  remove(connId: string): void {
    this.#members.delete(connId);
    this.sessionSubscriptions.drop(connId);
    this.toolEventRecipients.drop(connId);
  }

  /** Sends an event to these connections only (subscribers), each still filtered by the event's scope. */
  sendTo(connIds: Iterable<string>, event: string, payload: unknown): void {
    const scope = EVENT_SCOPES[event];
    if (scope === undefined) {
      this.#log.error(`refusing to send unlisted event ${event}`);
      return;
    }
    let payloadJson: string | undefined;
    let shared: SharedEventFrame | undefined;
    for (const connId of connIds) {
      const member = this.#members.get(connId);
      if (!member?.authenticated) continue;
      if (scope !== null && !scopeSatisfied(member.scopes, scope)) continue;
      payloadJson ??= JSON.stringify(payload);
      shared ??= sharedEventFrame(event, payloadJson);
      member.sendEventJson(event, payloadJson, undefined, shared);
    }
  }

  /** Sends an event to every authenticated client allowed to see it; each stamps its own `seq`. */
  broadcast(event: string, payload: unknown, extra?: { stateVersion?: StateVersion }): void {
    const scope = EVENT_SCOPES[event];
    if (scope === undefined) {
      this.#log.error(`refusing to broadcast unlisted event ${event}`);
      return;
    }
    // One JSON.stringify and one encoded frame per broadcast, not per client: each client splices
    // its own seq into the shared frame (with ten thousand clients this was most of a tick's cost).
    let payloadJson: string | undefined;
    let shared: SharedEventFrame | undefined;
    for (const member of this.#members.values()) {
      if (!member.authenticated) continue;
      if (scope !== null && !scopeSatisfied(member.scopes, scope)) continue;
      payloadJson ??= JSON.stringify(payload);
      shared ??= sharedEventFrame(event, payloadJson, extra?.stateVersion);
      member.sendEventJson(event, payloadJson, extra, shared);
    }
  }

  /** Bumps the presence version and broadcasts the full presence list. */
  broadcastPresence(presence: unknown[]): void {
    this.#version.presence += 1;
    this.broadcast("presence", { presence }, { stateVersion: this.stateVersion });
  }

  /** Bumps the health version and sends a health snapshot to everyone, or to one member. */
  broadcastHealth(snapshot: unknown, only?: HubMember): void {
    this.#version.health += 1;
    if (only) only.sendEvent("health", snapshot, { stateVersion: this.stateVersion });
    else this.broadcast("health", snapshot, { stateVersion: this.stateVersion });
  }

  /**
   * Sends an event to one authenticated connection regardless of scopes (a node holds none: its
   * `node.invoke.request`); false when it is gone.
   */
  sendToNode(connId: string, event: string, payload: unknown): boolean {
    const member = this.#members.get(connId);
    if (!member?.authenticated) return false;
    member.sendEvent(event, payload);
    return true;
  }

  /**
   * The connections exec approvals are delivered to, as the reference picks them: `operator.admin`
   * or `operator.approvals`, and the Control UI, a phone/Mac app, or a client declaring the
   * `approvals` / `exec-approvals` capability (leaving out `excludeConnId`, the requester).
   */
  approvalClientIds(excludeConnId?: string): string[] {
    const ids: string[] = [];
    for (const member of this.#members.values()) {
      if (!member.authenticated || member.connId === excludeConnId) continue;
      if (!member.scopes.includes("operator.admin") && !member.scopes.includes("operator.approvals")) continue;
      const clientId = member.identity?.clientId ?? "";
      const caps = member.identity?.caps ?? [];
      if (APPROVAL_CLIENT_IDS.has(clientId) || caps.includes("approvals") || caps.includes("exec-approvals")) {
        ids.push(member.connId);
      }
    }
    return ids;
  }

  /** True when an authenticated connection presents this device. */
  hasDevice(deviceId: string): boolean {
    for (const member of this.#members.values()) {
      if (member.authenticated && member.identity?.deviceId === deviceId) return true;
    }
    return false;
  }

  /**
   * Closes the connections of a device (all roles, or one), as the reference does when a device
   * is removed or its token revoked; returns how many were closed.
   */
  closeDevice(deviceId: string, options: { role?: string; code: number; reason: string }): number {
    let closed = 0;
    for (const member of [...this.#members.values()]) {
      const identity = member.identity;
      if (identity?.deviceId !== deviceId || (options.role && identity.role !== options.role)) continue;
      member.close(options.code, options.reason);
      this.#members.delete(member.connId);
      closed++;
    }
    return closed;
  }

  /**
   * Closes every client that authenticated with the shared secret, with 4001 "gateway auth
   * changed": a rotated token must end the sessions the old one opened.
   */
  closeSharedSecretSessions(): number {
    let closed = 0;
    for (const member of [...this.#members.values()]) {
      const method = member.identity?.method;
      if (method === "token" || method === "password") {
        member.close(4001, "gateway auth changed");
        this.remove(member.connId);
        closed++;
      }
    }
    return closed;
  }

  /**
   * Tells every client why the gateway is going away, then closes it with 1012. Clients that
   * never authenticated get the close only, as in the reference.
   */
  shutdownAll(notice: ShutdownNotice): void {
    const members = [...this.#members.values()];
    for (const member of members) {
      try {
        if (member.authenticated) member.sendEvent("shutdown", notice);
        member.close(CloseCode.serviceRestart, "service restart");
      } catch (error) {
        this.#log.debug(`shutdown of ${member.connId} failed: ${messageOf(error)}`);
      }
    }
    this.#members.clear();
  }
}
