import type { PresenceEntry } from "../rpc/methods/system.ts";

// Short-lived tool connections do not count as presence, as in the reference.
const EPHEMERAL_MODES = new Set(["cli", "backend", "probe"]);
const MAX_SYSTEM_EVENTS = 50;

/** Facts about this gateway for its own `reason: "self"` presence entry. */
export interface SelfFacts {
  host: string;
  ip: string | undefined;
  version: string;
  platform: string;
  deviceFamily: string;
  instanceId: string;
}

/** Who is here: the gateway itself, connected non-ephemeral clients, and recent system events. */
export class PresenceTracker {
  #self: PresenceEntry;
  #clients = new Map<string, PresenceEntry>();
  #events: PresenceEntry[] = [];

  constructor(self: SelfFacts) {
    const ip = self.ip ? ` (${self.ip})` : "";
    this.#self = {
      host: self.host,
      ...(self.ip ? { ip: self.ip } : {}),
      version: self.version,
      platform: self.platform,
      deviceFamily: self.deviceFamily,
      mode: "gateway",
      reason: "self",
      instanceId: self.instanceId,
      text: `Gateway: ${self.host}${ip} · app ${self.version} · mode gateway · reason self`,
      ts: Date.now(),
    };
  }

  /** The full presence list, newest system events last. */
  list(): PresenceEntry[] {
    return [this.#self, ...this.#clients.values(), ...this.#events];
  }

  /** Records a connected client; returns true when presence changed (ephemeral modes do not). */
  join(
    connId: string,
    client: {
      id: string;
      mode: string;
      version: string;
      platform: string;
      ip: string;
      instanceId?: string;
      displayName?: string;
    },
  ): boolean {
    if (EPHEMERAL_MODES.has(client.mode)) return false;
    this.#clients.set(connId, {
      clientId: client.id,
      mode: client.mode,
      version: client.version,
      platform: client.platform,
      ip: client.ip,
      ...(client.instanceId ? { instanceId: client.instanceId } : {}),
      ...(client.displayName ? { text: client.displayName } : {}),
      reason: "connect",
      onlineSince: Date.now(),
      ts: Date.now(),
    });
    return true;
  }

  /** Forgets a client; returns true when presence changed. */
  leave(connId: string): boolean {
    return this.#clients.delete(connId);
  }

  /** Adds a `system-event` entry (the most recent 50 are kept). */
  addEvent(entry: PresenceEntry): void {
    this.#events.push(entry);
    if (this.#events.length > MAX_SYSTEM_EVENTS) this.#events.shift();
  }
}
