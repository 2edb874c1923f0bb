// The reference's device-pairing tables in the global state database (`device_pairing_paired`,
// `device_pairing_pending`), read and written row for row as OpenClaw 2026.9.6 does, so its
// `openclaw devices list` and its gateway see the devices this gateway paired, and the reverse.
import type { DatabaseSync } from "node:sqlite";

/** A device token as the reference keeps it in `tokens_json`, keyed by role. */
export interface DeviceTokenRecord {
  token: string;
  role: string;
  scopes: string[];
  createdAtMs: number;
  rotatedAtMs?: number | undefined;
  revokedAtMs?: number | undefined;
  lastUsedAtMs?: number | undefined;
}

/** A node's declared command surface (approved, or waiting in `pending_node_surface_json`). */
export interface NodeSurface {
  requestId?: string | undefined;
  revision?: string | undefined;
  displayName?: string | undefined;
  platform?: string | undefined;
  version?: string | undefined;
  deviceFamily?: string | undefined;
  caps: string[];
  commands: string[];
  permissions?: Record<string, boolean> | undefined;
  silent?: boolean | undefined;
  ts?: number | undefined;
  [key: string]: unknown;
}

/** One `device_pairing_paired` row, with its JSON columns parsed. */
export interface PairedDeviceRow {
  deviceId: string;
  publicKey: string;
  displayName?: string | undefined;
  operatorLabel?: string | undefined;
  platform?: string | undefined;
  deviceFamily?: string | undefined;
  clientId?: string | undefined;
  clientMode?: string | undefined;
  browserOrigin?: string | undefined;
  role?: string | undefined;
  roles: string[];
  scopes: string[];
  approvedScopes: string[];
  remoteIp?: string | undefined;
  tokens: Record<string, DeviceTokenRecord>;
  approvedVia?: string | undefined;
  nodeSurface?: NodeSurface | undefined;
  pendingNodeSurface?: NodeSurface | undefined;
  createdAtMs: number;
  approvedAtMs: number;
  lastSeenAtMs?: number | undefined;
  lastSeenReason?: string | undefined;
}

/** One `device_pairing_pending` row. */
export interface PendingDeviceRow {
  requestId: string;
  deviceId: string;
  publicKey: string;
  displayName?: string | undefined;
  platform?: string | undefined;
  deviceFamily?: string | undefined;
  clientId?: string | undefined;
  clientMode?: string | undefined;
  browserOrigin?: string | undefined;
  role?: string | undefined;
  roles: string[];
  scopes: string[];
  remoteIp?: string | undefined;
  silent: boolean;
  isRepair: boolean;
  ts: number;
  refreshedAtMs?: number | undefined;
}

type Row = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : undefined;
}

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== "string") return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    // A row another writer left malformed reads as empty rather than failing every list.
    return fallback;
  }
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function pairedOf(row: Row): PairedDeviceRow {
  return {
    deviceId: String(row.device_id),
    publicKey: String(row.public_key),
    displayName: text(row.display_name),
    operatorLabel: text(row.operator_label),
    platform: text(row.platform),
    deviceFamily: text(row.device_family),
    clientId: text(row.client_id),
    clientMode: text(row.client_mode),
    browserOrigin: text(row.browser_origin),
    role: text(row.role),
    roles: json<string[]>(row.roles_json, []),
    scopes: json<string[]>(row.scopes_json, []),
    approvedScopes: json<string[]>(row.approved_scopes_json, json<string[]>(row.scopes_json, [])),
    remoteIp: text(row.remote_ip),
    tokens: json<Record<string, DeviceTokenRecord>>(row.tokens_json, {}),
    approvedVia: text(row.approved_via),
    nodeSurface: json<NodeSurface | undefined>(row.node_surface_json, undefined),
    pendingNodeSurface: json<NodeSurface | undefined>(row.pending_node_surface_json, undefined),
    createdAtMs: num(row.created_at_ms) ?? 0,
    approvedAtMs: num(row.approved_at_ms) ?? 0,
    lastSeenAtMs: num(row.last_seen_at_ms),
    lastSeenReason: text(row.last_seen_reason),
  };
}

function pendingOf(row: Row): PendingDeviceRow {
  return {
    requestId: String(row.request_id),
    deviceId: String(row.device_id),
    publicKey: String(row.public_key),
    displayName: text(row.display_name),
    platform: text(row.platform),
    deviceFamily: text(row.device_family),
    clientId: text(row.client_id),
    clientMode: text(row.client_mode),
    browserOrigin: text(row.browser_origin),
    role: text(row.role),
    roles: json<string[]>(row.roles_json, []),
    scopes: json<string[]>(row.scopes_json, []),
    remoteIp: text(row.remote_ip),
    silent: num(row.silent) === 1,
    isRepair: num(row.is_repair) === 1,
    ts: num(row.ts) ?? 0,
    refreshedAtMs: num(row.refreshed_at_ms),
  };
}

/** Every paired device, most recently approved first (the reference's index order). */
export function listPairedDevices(db: DatabaseSync): PairedDeviceRow[] {
  return (db.prepare("SELECT * FROM device_pairing_paired ORDER BY approved_at_ms DESC, device_id").all() as Row[])
    .map(pairedOf);
}

/** One paired device, if any. */
export function getPairedDevice(db: DatabaseSync, deviceId: string): PairedDeviceRow | undefined {
  const row = db.prepare("SELECT * FROM device_pairing_paired WHERE device_id = ?").get(deviceId) as Row | undefined;
  return row ? pairedOf(row) : undefined;
}

/** Writes (inserts or replaces) a paired device row. */
export function putPairedDevice(db: DatabaseSync, device: PairedDeviceRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO device_pairing_paired (device_id, public_key, display_name, operator_label, platform,
      device_family, client_id, client_mode, browser_origin, role, roles_json, scopes_json, approved_scopes_json,
      remote_ip, tokens_json, approved_via, node_surface_json, pending_node_surface_json, created_at_ms,
      approved_at_ms, last_seen_at_ms, last_seen_reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    device.deviceId,
    device.publicKey,
    device.displayName ?? null,
    device.operatorLabel ?? null,
    device.platform ?? null,
    device.deviceFamily ?? null,
    device.clientId ?? null,
    device.clientMode ?? null,
    device.browserOrigin ?? null,
    device.role ?? null,
    JSON.stringify(device.roles),
    JSON.stringify(device.scopes),
    JSON.stringify(device.approvedScopes),
    device.remoteIp ?? null,
    JSON.stringify(device.tokens),
    device.approvedVia ?? null,
    jsonOrNull(device.nodeSurface),
    jsonOrNull(device.pendingNodeSurface),
    device.createdAtMs,
    device.approvedAtMs,
    device.lastSeenAtMs ?? null,
    device.lastSeenReason ?? null,
  );
}

/** Deletes a paired device row; true when there was one. */
export function deletePairedDevice(db: DatabaseSync, deviceId: string): boolean {
  return Number(db.prepare("DELETE FROM device_pairing_paired WHERE device_id = ?").run(deviceId).changes) > 0;
}

/** Every pending request, oldest first. */
export function listPendingDevices(db: DatabaseSync): PendingDeviceRow[] {
  return (db.prepare("SELECT * FROM device_pairing_pending ORDER BY ts, request_id").all() as Row[]).map(pendingOf);
}

/** Writes (inserts or replaces) a pending request row. */
export function putPendingDevice(db: DatabaseSync, request: PendingDeviceRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO device_pairing_pending (request_id, device_id, public_key, display_name, platform,
      device_family, client_id, client_mode, browser_origin, role, roles_json, scopes_json, remote_ip, silent,
      is_repair, ts, refreshed_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    request.requestId,
    request.deviceId,
    request.publicKey,
    request.displayName ?? null,
    request.platform ?? null,
    request.deviceFamily ?? null,
    request.clientId ?? null,
    request.clientMode ?? null,
    request.browserOrigin ?? null,
    request.role ?? null,
    JSON.stringify(request.roles),
    JSON.stringify(request.scopes),
    request.remoteIp ?? null,
    request.silent ? 1 : 0,
    request.isRepair ? 1 : 0,
    request.ts,
    request.refreshedAtMs ?? null,
  );
}

/** Deletes a pending request; true when there was one. */
export function deletePendingDevice(db: DatabaseSync, requestId: string): boolean {
  return Number(db.prepare("DELETE FROM device_pairing_pending WHERE request_id = ?").run(requestId).changes) > 0;
}
