import type { DatabaseSync } from "node:sqlite";
import {
  deletePendingDevice,
  listPendingDevices,
  type PendingDeviceRow,
  putPendingDevice,
} from "../state/device_pairing.ts";

/** A device waiting for an operator to approve it (`device.pair.list` → `pending[]`). */
export type PairingRequest = PendingDeviceRow;

/** How long a device-pairing request waits after the device's last retry, as in the reference. */
export const PAIRING_REQUEST_TTL_MS = 5 * 60_000;
/** Most requests kept at once; a flood of new device keys evicts the oldest, never grows the table. */
export const MAX_PAIRING_REQUESTS = 64;

/** What filing a request did: the live request, and any request of the same device it superseded. */
export interface FiledRequest {
  request: PairingRequest;
  created: boolean;
  superseded: PairingRequest[];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}

/**
 * Pending device-pairing requests, in the reference's `device_pairing_pending` table, so they
 * survive a restart and the reference's `openclaw devices list` shows them. They expire five
 * minutes after the device's last retry. One request per device: a retry asking the same
 * (role, scopes, key) keeps its id and refreshes it, a retry asking anything else supersedes it
 * with a new id (approve the id `devices list` shows last).
 */
export class PairingRequests {
  #open: () => Promise<DatabaseSync>;
  #now: () => number;

  constructor(open: () => Promise<DatabaseSync>, now: () => number = Date.now) {
    this.#open = open;
    this.#now = now;
  }

  #live(db: DatabaseSync): PairingRequest[] {
    const cutoff = this.#now() - PAIRING_REQUEST_TTL_MS;
    const live: PairingRequest[] = [];
    for (const request of listPendingDevices(db)) {
      if ((request.refreshedAtMs ?? request.ts) < cutoff) deletePendingDevice(db, request.requestId);
      else live.push(request);
    }
    return live;
  }

  /** Files (or refreshes) the request of a device; returns it and what it superseded. */
  async file(
    input: Omit<PairingRequest, "requestId" | "ts" | "refreshedAtMs" | "silent" | "roles">,
  ): Promise<FiledRequest> {
    const db = await this.#open();
    const superseded: PairingRequest[] = [];
    for (const request of this.#live(db)) {
      if (request.deviceId !== input.deviceId) continue;
      const same = sameSet(request.scopes, input.scopes) && request.publicKey === input.publicKey &&
        request.role === input.role;
      if (same) {
        const refreshed = { ...request, ...input, refreshedAtMs: this.#now() };
        putPendingDevice(db, refreshed);
        return { request: refreshed, created: false, superseded };
      }
      deletePendingDevice(db, request.requestId);
      superseded.push(request);
    }
    const request: PairingRequest = {
      ...input,
      requestId: crypto.randomUUID(),
      roles: input.role ? [input.role] : [],
      silent: false,
      ts: this.#now(),
    };
    putPendingDevice(db, request);
    const live = this.#live(db);
    for (const old of live.slice(0, Math.max(0, live.length - MAX_PAIRING_REQUESTS))) {
      deletePendingDevice(db, old.requestId);
    }
    return { request, created: true, superseded };
  }

  /** Live requests, oldest first. */
  async list(): Promise<PairingRequest[]> {
    return this.#live(await this.#open());
  }

  /** Removes and returns a live request, or undefined when it is unknown or expired. */
  async take(requestId: string): Promise<PairingRequest | undefined> {
    const db = await this.#open();
    const request = this.#live(db).find((r) => r.requestId === requestId);
    if (request) deletePendingDevice(db, requestId);
    return request;
  }
}
