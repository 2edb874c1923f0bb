// One-time import of this gateway's earlier device file (`<stateDir>/devices/paired.json`) into the
// reference's `device_pairing_paired` table. The file is kept as `paired.json.migrated`, the
// reference's own suffix for a migrated legacy file, so the import runs once and can be undone.
import type { DatabaseSync } from "node:sqlite";
import { getPairedDevice, putPairedDevice } from "./device_pairing.ts";

interface LegacyDevice {
  deviceId?: unknown;
  publicKey?: unknown;
  clientId?: unknown;
  clientMode?: unknown;
  platform?: unknown;
  deviceFamily?: unknown;
  scopes?: unknown;
  approvedVia?: unknown;
  createdAtMs?: unknown;
  approvedAtMs?: unknown;
  lastSeenAtMs?: unknown;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Imports the devices of `devices/paired.json` that the table does not know yet, then renames the
 * file. Their old tokens were kept only as hashes, so they come over without one: each device
 * gets a fresh token on its next connect with the shared secret. Returns how many were imported.
 */
export function importLegacyPairedDevices(db: DatabaseSync, stateDir: string): number {
  const path = `${stateDir}/devices/paired.json`;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  let devices: Record<string, LegacyDevice> = {};
  try {
    devices = (JSON.parse(text) as { devices?: Record<string, LegacyDevice> }).devices ?? {};
  } catch {
    // An unreadable file is still moved aside below: it held nothing this gateway can use.
  }
  let imported = 0;
  for (const legacy of Object.values(devices)) {
    const deviceId = str(legacy.deviceId);
    const publicKey = str(legacy.publicKey);
    if (!deviceId || !publicKey || getPairedDevice(db, deviceId)) continue;
    const scopes = strings(legacy.scopes);
    const approvedAtMs = typeof legacy.approvedAtMs === "number" ? legacy.approvedAtMs : Date.now();
    putPairedDevice(db, {
      deviceId,
      publicKey,
      clientId: str(legacy.clientId),
      clientMode: str(legacy.clientMode),
      platform: str(legacy.platform),
      deviceFamily: str(legacy.deviceFamily),
      role: "operator",
      roles: ["operator"],
      scopes,
      approvedScopes: scopes,
      tokens: {},
      approvedVia: str(legacy.approvedVia),
      createdAtMs: typeof legacy.createdAtMs === "number" ? legacy.createdAtMs : approvedAtMs,
      approvedAtMs,
      lastSeenAtMs: typeof legacy.lastSeenAtMs === "number" ? legacy.lastSeenAtMs : undefined,
    });
    imported++;
  }
  Deno.renameSync(path, `${path}.migrated`);
  return imported;
}
