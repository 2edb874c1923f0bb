/** A device waiting for an operator to approve it (`device.pair.list` → `pending[]`). */
export interface PairingRequest {
  requestId: string;
  deviceId: string;
  publicKey: string;
  displayName?: string | undefined;
  platform: string;
  deviceFamily?: string | undefined;
  clientId: string;
  clientMode: string;
  browserOrigin?: string | undefined;
  role: "operator";
  roles: ["operator"];
  scopes: string[];
  remoteIp: string;
  silent: false;
  /** True when the device is already paired and asks for more than it was approved for. */
  isRepair: boolean;
  ts: number;
}

/** How long a device-pairing request waits for approval, as in the reference. */
export const PAIRING_REQUEST_TTL_MS = 5 * 60_000;
/** Most requests kept at once; a flood of new device keys evicts the oldest, never grows memory. */
export const MAX_PAIRING_REQUESTS = 64;

/**
 * Pending device-pairing requests, in memory only: they expire after five minutes (the reference's
 * device-pairing expiry) and a gateway restart drops them, so a browser that keeps retrying simply
 * files a new one. One request per device: a retry with the same scopes reuses it, a retry asking
 * for different scopes supersedes it with a new id (approve the id `devices list` shows last).
 */
export class PairingRequests {
  #requests = new Map<string, PairingRequest>();
  #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #prune(): void {
    const cutoff = this.#now() - PAIRING_REQUEST_TTL_MS;
    for (const [id, request] of this.#requests) if (request.ts < cutoff) this.#requests.delete(id);
  }

  /** Files (or refreshes) the request of a device; returns it with its id. */
  file(input: Omit<PairingRequest, "requestId" | "ts" | "role" | "roles" | "silent">): PairingRequest {
    this.#prune();
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((s) => b.includes(s));
    for (const [id, request] of this.#requests) {
      if (request.deviceId !== input.deviceId) continue;
      this.#requests.delete(id);
      if (same(request.scopes, input.scopes) && request.publicKey === input.publicKey) {
        const refreshed = { ...request, ...input, ts: this.#now() };
        this.#requests.set(id, refreshed);
        return refreshed;
      }
    }
    const request: PairingRequest = {
      ...input,
      requestId: crypto.randomUUID(),
      role: "operator",
      roles: ["operator"],
      silent: false,
      ts: this.#now(),
    };
    this.#requests.set(request.requestId, request);
    while (this.#requests.size > MAX_PAIRING_REQUESTS) this.#requests.delete(this.#requests.keys().next().value!);
    return request;
  }

  /** Live requests, oldest first. */
  list(): PairingRequest[] {
    this.#prune();
    return [...this.#requests.values()];
  }

  /** Removes and returns a live request, or undefined when it is unknown or expired. */
  take(requestId: string): PairingRequest | undefined {
    this.#prune();
    const request = this.#requests.get(requestId);
    this.#requests.delete(requestId);
    return request;
  }
}
