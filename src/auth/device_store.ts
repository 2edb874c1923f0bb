import { writeTextAtomic } from "../config/write.ts";
import { safeEqualSecret } from "./secret_compare.ts";
import { toBase64Url } from "./device_identity.ts";
import { PairingRequests } from "./pairing_requests.ts";

/**
 * How a device came to be paired: `silent` (direct loopback with the shared secret, the
 * reference's local auto-approval), `operator` (approved through `device.pair.approve`), or
 * `shared-secret` (records written before browser pairing needed approval).
 */
export type ApprovedVia = "silent" | "operator" | "shared-secret";

/** A paired device as stored. Tokens are kept only as SHA-256 hashes. */
export interface PairedDevice {
  deviceId: string;
  publicKey: string;
  clientId: string;
  clientMode: string;
  platform: string;
  deviceFamily?: string | undefined;
  role: "operator";
  scopes: string[];
  approvedVia: ApprovedVia;
  createdAtMs: number;
  approvedAtMs: number;
  lastSeenAtMs: number;
  tokens: { tokenHash: string; role: "operator"; scopes: string[]; createdAtMs: number }[];
}

async function hashToken(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Paired devices and their device tokens, in `<stateDir>/devices/paired.json` (0600), and the
 * pending pairing requests (in memory). A paired device that proves its key alongside the shared
 * secret gets a device token, so it can later connect with its key and that token alone. Writes
 * are serialized and atomic.
 */
export class DeviceStore {
  #path: string;
  #devices: Map<string, PairedDevice> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  /** Devices waiting for approval. */
  readonly requests = new PairingRequests();

  constructor(stateDir: string) {
    this.#path = `${stateDir}/devices/paired.json`;
  }

  async #load(): Promise<Map<string, PairedDevice>> {
    if (this.#devices) return this.#devices;
    try {
      // The store's own file, kept as written (older records lack approvedVia; #put defaults it): not re-checked.
      const parsed = JSON.parse(await Deno.readTextFile(this.#path)) as { devices?: Record<string, PairedDevice> };
      this.#devices = new Map(Object.entries(parsed.devices ?? {}));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) && !(error instanceof SyntaxError)) throw error;
      this.#devices = new Map();
    }
    return this.#devices;
  }

  #save(): Promise<void> {
    const task = async () => {
      const devices = Object.fromEntries(this.#devices ?? new Map());
      await writeTextAtomic(this.#path, `${JSON.stringify({ devices }, null, 2)}\n`, { mode: 0o600 });
    };
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The stored record of a device, if paired. */
  async get(deviceId: string): Promise<PairedDevice | undefined> {
    return (await this.#load()).get(deviceId);
  }

  /** Every paired device. */
  async list(): Promise<PairedDevice[]> {
    return [...(await this.#load()).values()];
  }

  /**
   * Pairs (or refreshes) a device with the given approved scopes and issues a new device token;
   * returns the token once. `approvedVia` is kept from an existing record unless given.
   */
  async pair(
    input: Omit<PairedDevice, "tokens" | "createdAtMs" | "approvedAtMs" | "lastSeenAtMs" | "approvedVia" | "role">,
    approvedVia?: ApprovedVia,
  ): Promise<{ token: string; issuedAtMs: number }> {
    const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const now = Date.now();
    await this.#put(input, approvedVia, [
      { tokenHash: await hashToken(token), role: "operator", scopes: input.scopes, createdAtMs: now },
    ]);
    return { token, issuedAtMs: now };
  }

  /** Records an operator's approval; the device gets its token on its next connect. */
  async approve(
    input: Omit<PairedDevice, "tokens" | "createdAtMs" | "approvedAtMs" | "lastSeenAtMs" | "approvedVia" | "role">,
  ): Promise<PairedDevice> {
    return await this.#put(input, "operator", []);
  }

  async #put(
    input: Omit<PairedDevice, "tokens" | "createdAtMs" | "approvedAtMs" | "lastSeenAtMs" | "approvedVia" | "role">,
    approvedVia: ApprovedVia | undefined,
    tokens: PairedDevice["tokens"],
  ): Promise<PairedDevice> {
    const devices = await this.#load();
    const now = Date.now();
    const existing = devices.get(input.deviceId);
    const record: PairedDevice = {
      ...input,
      role: "operator",
      approvedVia: approvedVia ?? existing?.approvedVia ?? "shared-secret",
      createdAtMs: existing?.createdAtMs ?? now,
      approvedAtMs: approvedVia || !existing ? now : existing.approvedAtMs,
      lastSeenAtMs: now,
      // One live token per device: a new pairing rotates it.
      tokens,
    };
    devices.set(input.deviceId, record);
    await this.#save();
    return record;
  }

  /** Forgets a paired device and its tokens; true when it was paired. */
  async remove(deviceId: string): Promise<boolean> {
    const devices = await this.#load();
    if (!devices.delete(deviceId)) return false;
    await this.#save();
    return true;
  }

  /** Checks a device token for a paired device; returns the scopes it grants, or undefined. */
  async verifyToken(deviceId: string, token: string): Promise<string[] | undefined> {
    const device = (await this.#load()).get(deviceId);
    if (!device) return undefined;
    const hash = await hashToken(token);
    const match = device.tokens.find((t) => safeEqualSecret(hash, t.tokenHash));
    if (!match) return undefined;
    device.lastSeenAtMs = Date.now();
    return match.scopes;
  }
}
