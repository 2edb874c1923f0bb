import type { DatabaseSync } from "node:sqlite";
import {
  deletePairedDevice,
  deletePendingDevice,
  type DeviceTokenRecord,
  getPairedDevice,
  listPairedDevices,
  listPendingDevices,
  type PairedDeviceRow,
  putPairedDevice,
} from "../state/device_pairing.ts";
import { supersededSilentPairings } from "./silent_pairing_prune.ts";
import { importLegacyPairedDevices } from "../state/device_pairing_import.ts";
import { immediate } from "../state/immediate.ts";
import { writeIfUnlocked } from "../state/sqlite_busy.ts";
import { confirmSetupCompletion, type SetupCompletion } from "../state/setup_completions.ts";
import { getLogger, type Logger } from "../log/logger.ts";
import { safeEqualSecret } from "./secret_compare.ts";
import { toBase64Url } from "./device_identity.ts";
import { PairingRequests } from "./pairing_requests.ts";
import {
  type BootstrapPresentation,
  consumeBootstrapToken,
  redeemBootstrapLeg,
  verifyBootstrapToken,
} from "./bootstrap_redeem.ts";

export type { DeviceTokenRecord, NodeSurface, PairedDeviceRow as PairedDevice } from "../state/device_pairing.ts";
export type { SetupCompletion } from "../state/setup_completions.ts";

/**
 * How a device came to be paired: `silent` (direct loopback with the shared secret, the
 * reference's local auto-approval), `operator` (approved through `device.pair.approve`), or
 * `shared-secret` (records written before browser pairing needed approval).
 */
export type ApprovedVia = "silent" | "operator" | "shared-secret" | "bootstrap";

/**
 * The provenance a row keeps after another approval, as the reference merges it: an operator's or a setup
 * code's approval is never replaced (so a later silent upgrade cannot make the row prunable as silent), a row
 * from before provenance existed stays without it unless a setup code approves it, and a silent row takes
 * the new kind.
 */
export function mergedApproval(existing: ApprovedVia | undefined, incoming: ApprovedVia | undefined): ApprovedVia {
  if (incoming === undefined) return existing ?? "shared-secret";
  if (existing === undefined || incoming === "operator") return incoming;
  if (existing === "shared-secret") return incoming === "bootstrap" ? "bootstrap" : "shared-secret";
  if (existing === "operator" || existing === "bootstrap") return existing;
  return incoming;
}

/** The roles a device may be paired for. */
export type DeviceRole = "operator" | "node";

/** What a connect tells about a device, recorded on its paired row. */
export interface DeviceMeta {
  deviceId: string;
  publicKey: string;
  clientId: string;
  clientMode: string;
  platform: string;
  deviceFamily?: string | undefined;
  displayName?: string | undefined;
  remoteIp?: string | undefined;
}

/** A device token issued on a connect: the role it is for and what it grants. */
export interface IssuedDeviceToken {
  role: string;
  token: string;
  scopes: string[];
  issuedAtMs: number;
}

/**
 * The outcome of presenting a bootstrap token: refused; accepted with the device paired silently
 * (`tokens` holds the presenting role's token first, then the other roles'); or accepted but the
 * device goes through ordinary pairing, and `redeem` records its role once it connected. A token
 * used up with a setup id yields the setup's outcome (`completion`), to confirm once hello-ok is out.
 */
export type BootstrapRedemption =
  | { ok: false }
  | { ok: true; paired: true; tokens: IssuedDeviceToken[]; completion?: SetupCompletion | undefined }
  | { ok: true; paired: false; redeem: () => Promise<SetupCompletion | undefined> };

/** Opens (once) the global state database; owned by the gateway, shared with other stores. */
export type StateDbOpener = () => Promise<DatabaseSync>;

function newToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * Paired devices and their device tokens, in the reference's `device_pairing_paired` table of
 * `<stateDir>/state/openclaw.sqlite`, and the pending requests (`device_pairing_pending`). Tokens
 * are kept as the reference keeps them (one per role in `tokens_json`), so a device paired here
 * connects to the reference with the same token and the reverse; the database file is 0600.
 * node:sqlite is synchronous: once the database is open, each change runs with nothing interleaved.
 */
export class DeviceStore {
  #open: StateDbOpener;
  #now: () => number;
  #log: Logger;
  #stampSkipped = false;
  /** Devices waiting for approval. */
  readonly requests: PairingRequests;

  /**
   * `legacyDir`: a state dir whose `devices/paired.json` (this gateway's earlier file) is imported
   * on first use.
   */
  constructor(open: StateDbOpener, options: { legacyDir?: string; now?: () => number; log?: Logger } = {}) {
    let imported = options.legacyDir === undefined;
    this.#open = async () => {
      const db = await open();
      if (!imported) {
        imported = true;
        importLegacyPairedDevices(db, options.legacyDir!);
      }
      return db;
    };
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? getLogger("gateway/devices");
    this.requests = new PairingRequests(this.#open, this.#now);
  }

  /** The stored record of a device, if paired. */
  async get(deviceId: string): Promise<PairedDeviceRow | undefined> {
    return getPairedDevice(await this.#open(), deviceId);
  }

  /** Every paired device, most recently approved first. */
  async list(): Promise<PairedDeviceRow[]> {
    return listPairedDevices(await this.#open());
  }

  /** Writes a record as given (a whole row; a change to a stored row goes through {@link update}). */
  async save(device: PairedDeviceRow): Promise<void> {
    putPairedDevice(await this.#open(), device);
  }

  /**
   * Reads a device's row, lets `change` edit it and writes it back, in one IMMEDIATE transaction
   * (nothing interleaves: `change` is synchronous). `change` returns what the caller needs, or
   * `undefined` to leave the row as it was; the result is undefined for an unpaired device.
   */
  async update<T>(deviceId: string, change: (device: PairedDeviceRow) => T | undefined): Promise<T | undefined> {
    const db = await this.#open();
    return immediate(db, () => {
      const device = getPairedDevice(db, deviceId);
      if (!device) return undefined;
      const result = change(device);
      if (result !== undefined) putPairedDevice(db, device);
      return result;
    });
  }

  /**
   * Pairs (or refreshes) a device for a role with the given approved scopes and issues a new
   * device token for that role; returns the token once. `approvedVia` is kept unless given.
   */
  async pair(
    meta: DeviceMeta,
    grant: { role: DeviceRole; scopes: string[]; approvedVia?: ApprovedVia | undefined },
  ): Promise<{ token: string; issuedAtMs: number }> {
    const now = this.#now();
    const db = await this.#open();
    return immediate(db, () => this.#pairIn(db, meta, grant, now));
  }

  #pairIn(
    db: DatabaseSync,
    meta: DeviceMeta,
    grant: { role: DeviceRole; scopes: string[]; approvedVia?: ApprovedVia | undefined },
    now: number,
  ): { token: string; issuedAtMs: number } {
    const record = this.#merge(db, meta, grant);
    // A device already holding a live token for exactly this grant keeps it, as in the reference.
    const held = record.tokens[grant.role];
    const kept = held && held.revokedAtMs === undefined && held.scopes.length === grant.scopes.length &&
        held.scopes.every((s) => grant.scopes.includes(s))
      ? held
      : undefined;
    const issued = kept ?? { token: newToken(), role: grant.role, scopes: grant.scopes, createdAtMs: now };
    record.tokens = { ...record.tokens, [grant.role]: issued };
    record.lastSeenAtMs = now;
    record.lastSeenReason = "connect";
    putPairedDevice(db, record);
    return { token: issued.token, issuedAtMs: issued.createdAtMs };
  }

  /**
   * Redeems a setup code's bootstrap token (auth/bootstrap_redeem.ts) in one IMMEDIATE transaction:
   * for a phone's handoff connect, pairs the device for every role the code grants, issues a token
   * per role and deletes the bootstrap token. Touches the database only when a token is presented.
   */
  async redeemBootstrap(meta: DeviceMeta, input: BootstrapPresentation): Promise<BootstrapRedemption> {
    const db = await this.#open();
    return immediate(db, (): BootstrapRedemption => {
      const verdict = verifyBootstrapToken(db, input);
      if (!verdict.ok) return { ok: false };
      if (!verdict.handoff) {
        const row = verdict.row;
        return {
          ok: true,
          paired: false,
          redeem: async () => {
            const open = await this.#open();
            return immediate(open, () => {
              const device = getPairedDevice(open, input.deviceId);
              const deviceName = device?.operatorLabel ?? device?.displayName;
              return redeemBootstrapLeg(open, row, {
                role: input.role,
                scopes: input.scopes,
                now: this.#now(),
                deviceName,
              });
            });
          },
        };
      }
      const { roles, scopes } = verdict.handoff;
      const ordered = [input.role, ...roles.filter((role) => role !== input.role)];
      const tokens = ordered.map((role): IssuedDeviceToken => {
        const grant = {
          role: role as DeviceRole,
          scopes: role === "operator" ? scopes : [],
          approvedVia: "bootstrap" as const,
        };
        const issued = this.#pairIn(db, meta, grant, input.now);
        return { role, token: issued.token, scopes: grant.scopes, issuedAtMs: issued.issuedAtMs };
      });
      const device = getPairedDevice(db, meta.deviceId);
      const completion = consumeBootstrapToken(db, verdict.row, {
        deviceId: meta.deviceId,
        deviceName: device?.operatorLabel ?? device?.displayName,
        now: input.now,
      });
      return { ok: true, paired: true, tokens, completion };
    });
  }

  /**
   * Confirms that the device which used a setup code received its hello-ok; the confirmed outcome, or
   * undefined when it lapsed or another device's replaced it.
   */
  async confirmSetupCompletion(completion: SetupCompletion): Promise<SetupCompletion | undefined> {
    const db = await this.#open();
    return immediate(
      db,
      () =>
        confirmSetupCompletion(db, { setupId: completion.setupId, deviceId: completion.deviceId, now: this.#now() }),
    );
  }

  /** Records an operator's approval of a request; the device gets its token on its next connect. */
  async approve(
    meta: DeviceMeta,
    grant: { role: DeviceRole; roles: string[]; scopes: string[]; browserOrigin?: string | undefined },
  ): Promise<PairedDeviceRow> {
    const db = await this.#open();
    return immediate(db, () => {
      const record = this.#merge(db, meta, { ...grant, approvedVia: "operator" });
      record.roles = union(record.roles, grant.roles);
      if (grant.browserOrigin) record.browserOrigin = grant.browserOrigin;
      putPairedDevice(db, record);
      return record;
    });
  }

  #merge(
    db: DatabaseSync,
    meta: DeviceMeta,
    grant: { role: DeviceRole; scopes: string[]; approvedVia?: ApprovedVia | undefined },
  ): PairedDeviceRow {
    const now = this.#now();
    const existing = getPairedDevice(db, meta.deviceId);
    // A new key for a known id is a different device: nothing of the old grant carries over.
    const base = existing?.publicKey === meta.publicKey ? existing : undefined;
    const scopes = union(base?.scopes ?? [], grant.scopes);
    return {
      ...base,
      deviceId: meta.deviceId,
      publicKey: meta.publicKey,
      displayName: meta.displayName ?? base?.displayName,
      platform: meta.platform,
      deviceFamily: meta.deviceFamily ?? base?.deviceFamily,
      clientId: meta.clientId,
      clientMode: meta.clientMode,
      remoteIp: meta.remoteIp ?? base?.remoteIp,
      role: base?.role ?? grant.role,
      roles: union(base?.roles ?? [], [grant.role]),
      scopes,
      approvedScopes: union(base?.approvedScopes ?? [], grant.scopes),
      tokens: base?.tokens ?? {},
      // A kept row without provenance reads as `shared-secret` (written before approvals were recorded).
      approvedVia: mergedApproval(
        base ? (base.approvedVia as ApprovedVia | undefined) ?? "shared-secret" : undefined,
        grant.approvedVia,
      ),
      createdAtMs: base?.createdAtMs ?? now,
      approvedAtMs: grant.approvedVia || !base ? now : base.approvedAtMs,
    };
  }

  /**
   * After `deviceId` was approved silently, retires the older silent pairings of its client cluster
   * (silent_pairing_prune.ts) with their pending requests, in one transaction; answers what went.
   */
  async pruneSupersededSilent(
    deviceId: string,
    connected: (deviceId: string) => boolean,
  ): Promise<{ deviceId: string; roles: string[] }[]> {
    const db = await this.#open();
    const nowMs = this.#now();
    return immediate(db, () => {
      const paired = listPairedDevices(db);
      const retired = supersededSilentPairings(deviceId, paired, { nowMs, connected });
      const pending = retired.length > 0 ? listPendingDevices(db) : [];
      return retired.map((id) => {
        const roles = paired.find((device) => device.deviceId === id)?.roles ?? [];
        deletePairedDevice(db, id);
        for (const request of pending) if (request.deviceId === id) deletePendingDevice(db, request.requestId);
        return { deviceId: id, roles };
      });
    });
  }

  /** Forgets a paired device and its tokens; true when it was paired. */
  async remove(deviceId: string): Promise<boolean> {
    return deletePairedDevice(await this.#open(), deviceId);
  }

  /** Sets the operator label `device.pair.rename` assigns; undefined when not paired. */
  async rename(deviceId: string, label: string): Promise<PairedDeviceRow | undefined> {
    return await this.update(deviceId, (device) => {
      device.operatorLabel = label;
      return device;
    });
  }

  /**
   * Checks a device token for a paired device and role; returns the scopes it grants, or
   * undefined (unknown device, no token for that role, revoked, or a different token).
   */
  async verifyToken(deviceId: string, token: string, role: DeviceRole = "operator"): Promise<string[] | undefined> {
    const db = await this.#open();
    const found = getPairedDevice(db, deviceId)?.tokens[role];
    if (!found || found.revokedAtMs !== undefined || !safeEqualSecret(token, found.token)) return undefined;
    const now = this.#now();
    // The stamp is a read-modify-write of the row (one transaction), and it can be dropped: waiting out
    // another process's write lock would freeze every connection.
    const stamped = writeIfUnlocked(db, () =>
      immediate(db, () => {
        const device = getPairedDevice(db, deviceId);
        const match = device?.tokens[role];
        if (!device || !match) return;
        match.lastUsedAtMs = now;
        device.lastSeenAtMs = now;
        device.lastSeenReason = "connect";
        putPairedDevice(db, device);
      }));
    if (!stamped && !this.#stampSkipped) {
      this.#stampSkipped = true;
      this.#log.info(
        "device token last-used times are not recorded while another process (openclaw CLI or gateway) holds " +
          "the state database's write lock; the next connect records them",
      );
    }
    return found.scopes;
  }

  /**
   * Replaces a device's token for a role (within the scopes it was approved for); returns the new
   * token record, or undefined when the device is not paired for that role.
   */
  async rotateToken(deviceId: string, role: string, scopes?: string[]): Promise<DeviceTokenRecord | undefined> {
    return await this.update(deviceId, (device) => {
      if (!device.roles.includes(role)) return undefined;
      const now = this.#now();
      const previous = device.tokens[role];
      const record: DeviceTokenRecord = {
        token: newToken(),
        role,
        scopes: scopes ?? previous?.scopes ?? (role === "operator" ? device.approvedScopes : []),
        createdAtMs: previous?.createdAtMs ?? now,
        rotatedAtMs: now,
      };
      device.tokens = { ...device.tokens, [role]: record };
      return record;
    });
  }

  /** Revokes a device's token for a role; returns the revoked record, or undefined. */
  async revokeToken(deviceId: string, role: string): Promise<DeviceTokenRecord | undefined> {
    return await this.update(deviceId, (device) => {
      const previous = device.tokens[role];
      if (!previous) return undefined;
      const record = { ...previous, revokedAtMs: this.#now() };
      device.tokens = { ...device.tokens, [role]: record };
      return record;
    });
  }
}
