import type { Logger } from "../log/logger.ts";
import { CloseCode, type ProtocolSocket } from "./socket.ts";

/** The payload of the `shutdown` event sent to every client before the gateway closes them. */
export interface ShutdownNotice {
  reason: string;
  restartExpectedMs?: number;
}

/** One WebSocket client as the hub sees it: it can take events and be shut down. */
export interface HubMember {
  readonly connId: string;
  /** True once the client passed `connect`; only those receive broadcasts. */
  readonly authenticated: boolean;
  sendEvent(event: string, payload: unknown): void;
  close(code: number, reason: string): void;
}

/** The set of live connections: broadcast with per-connection `seq`, and orderly shutdown. */
export class Hub {
  #members = new Map<string, HubMember>();
  #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Number of open connections, authenticated or not. */
  get size(): number {
    return this.#members.size;
  }

  add(member: HubMember): void {
    this.#members.set(member.connId, member);
  }

  remove(connId: string): void {
    this.#members.delete(connId);
  }

  /** Sends an event to every authenticated client; each stamps its own `seq`. */
  broadcast(event: string, payload: unknown): void {
    for (const member of this.#members.values()) {
      if (member.authenticated) member.sendEvent(event, payload);
    }
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
        this.#log.debug(`shutdown of ${member.connId} failed: ${(error as Error).message}`);
      }
    }
    this.#members.clear();
  }
}

/** Builds the socket side of a hub member from a raw socket, for code that only needs to close. */
export function socketMember(connId: string, socket: ProtocolSocket): HubMember {
  return {
    connId,
    authenticated: false,
    sendEvent: (event, payload) => socket.send(JSON.stringify({ type: "event", event, payload })),
    close: (code, reason) => socket.close(code, reason),
  };
}
