// Setup-code bootstrap tokens in the reference's `device_bootstrap_tokens` table of the global state
// database, row for row as OpenClaw 2026.9.6 writes them, so a code one side issued is redeemed by
// the other. A token lives ten minutes from issue; the first device that presents it binds it; a
// successful connect deletes the row (single use). Synchronous node:sqlite: callers wrap a
// read-modify-write in `immediate()`.
import type { DatabaseSync } from "node:sqlite";
import { type BootstrapProfile, normalizeProfile } from "./bootstrap_profile.ts";
import { immediate } from "./immediate.ts";

/** How long a setup code's bootstrap token can be redeemed after it was issued (the reference's TTL). */
export const BOOTSTRAP_TOKEN_TTL_MS = 10 * 60_000;

/** One `device_bootstrap_tokens` row, JSON columns parsed. */
export interface BootstrapTokenRow {
  tokenKey: string;
  token: string;
  setupId?: string | undefined;
  ts: number;
  deviceId?: string | undefined;
  publicKey?: string | undefined;
  profile: BootstrapProfile;
  redeemedProfile: BootstrapProfile;
  pendingProfile?: BootstrapProfile | undefined;
  issuedAtMs: number;
  lastUsedAtMs?: number | undefined;
}

type Row = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function json(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function fromRow(row: Row): BootstrapTokenRow {
  const pending = json(row.pending_profile_json);
  return {
    tokenKey: String(row.token_key),
    token: String(row.token),
    setupId: text(row.setup_id),
    ts: Number(row.ts),
    deviceId: text(row.device_id),
    publicKey: text(row.public_key),
    profile: normalizeProfile(json(row.profile_json)),
    redeemedProfile: normalizeProfile(json(row.redeemed_profile_json)),
    pendingProfile: pending === undefined || pending === null ? undefined : normalizeProfile(pending),
    issuedAtMs: Number(row.issued_at_ms),
    lastUsedAtMs: typeof row.last_used_at_ms === "number" ? row.last_used_at_ms : undefined,
  };
}

/** The profile as the reference serializes it: `purpose` only when set. */
function profileJson(profile: BootstrapProfile): string {
  return JSON.stringify({
    roles: profile.roles,
    scopes: profile.scopes,
    ...(profile.purpose ? { purpose: profile.purpose } : {}),
  });
}

/** Every stored bootstrap token. */
export function listBootstrapTokens(db: DatabaseSync): BootstrapTokenRow[] {
  return (db.prepare("SELECT * FROM device_bootstrap_tokens ORDER BY ts").all() as Row[]).map(fromRow);
}

/** The row whose key is `token` (the reference keys rows by the token itself). */
export function getBootstrapToken(db: DatabaseSync, token: string): BootstrapTokenRow | undefined {
  const row = db.prepare("SELECT * FROM device_bootstrap_tokens WHERE token_key = ?").get(token) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** Inserts or replaces a row. */
export function putBootstrapToken(db: DatabaseSync, record: BootstrapTokenRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO device_bootstrap_tokens (token_key, token, setup_id, ts, device_id, public_key,
       profile_json, redeemed_profile_json, pending_profile_json, issued_at_ms, last_used_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.tokenKey,
    record.token,
    record.setupId ?? null,
    record.ts,
    record.deviceId ?? null,
    record.publicKey ?? null,
    profileJson(record.profile),
    profileJson(record.redeemedProfile),
    record.pendingProfile ? profileJson(record.pendingProfile) : null,
    record.issuedAtMs,
    record.lastUsedAtMs ?? null,
  );
}

/** Deletes one token's row; true when it was there. */
export function deleteBootstrapToken(db: DatabaseSync, tokenKey: string): boolean {
  return Number(db.prepare("DELETE FROM device_bootstrap_tokens WHERE token_key = ?").run(tokenKey).changes) > 0;
}

/** Deletes rows issued more than {@link BOOTSTRAP_TOKEN_TTL_MS} before `now`, as the reference does on every issue. */
export function pruneExpiredBootstrapTokens(db: DatabaseSync, now: number): number {
  return Number(
    db.prepare("DELETE FROM device_bootstrap_tokens WHERE ts < ?").run(now - BOOTSTRAP_TOKEN_TTL_MS).changes,
  );
}

/** Whether a token issued at `issuedAtMs` is still redeemable at `now`. */
export function bootstrapTokenCurrent(issuedAtMs: number, now: number): boolean {
  return issuedAtMs >= now - BOOTSTRAP_TOKEN_TTL_MS;
}

/** A new bootstrap token: 32 random bytes, base64url without padding (the reference's pairing token). */
export function newBootstrapToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Issues a setup-code token for `profile` (one IMMEDIATE transaction): expired rows are pruned
 * first, then the row is written unbound, with a fresh setup id and an empty redeemed profile.
 */
export function issueBootstrapToken(
  db: DatabaseSync,
  profile: BootstrapProfile,
  now: number,
): { token: string; setupId: string; expiresAtMs: number } {
  const token = newBootstrapToken();
  const setupId = crypto.randomUUID();
  immediate(db, () => {
    pruneExpiredBootstrapTokens(db, now);
    putBootstrapToken(db, {
      tokenKey: token,
      token,
      setupId,
      ts: now,
      profile,
      redeemedProfile: { roles: [], scopes: [] },
      issuedAtMs: now,
    });
  });
  return { token, setupId, expiresAtMs: now + BOOTSTRAP_TOKEN_TTL_MS };
}
