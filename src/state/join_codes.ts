// Join codes in the reference's `device_pairing_join_codes` table: a setup payload filed under a random
// 128-bit shortcode, handed out once by `GET /j/<shortcode>` (what `openclaw connect <join URL>` fetches)
// until the setup code's expiry. Lapsed rows are pruned on every write, as the reference does.
import type { DatabaseSync } from "node:sqlite";
import { immediate } from "./immediate.ts";
import { parseSetupPayload, type SetupPayload } from "./pairing_setup.ts";

/** The shape of a shortcode: 16 random bytes, base64url without padding (22 characters). */
const SHORTCODE = /^[A-Za-z0-9_-]{22}$/u;

/** Whether `value` has the shape of a join shortcode. */
export function isJoinShortcode(value: string): boolean {
  return SHORTCODE.test(value);
}

function newShortcode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Files `payload` under a new shortcode until its expiry (which must be ahead of `now`); returns the shortcode. */
export function registerJoinCode(db: DatabaseSync, payload: SetupPayload, now: number): string {
  if (!parseSetupPayload(payload, now)) throw new Error("Device pairing join code requires a future expiry.");
  const shortcode = newShortcode();
  immediate(db, () => {
    db.prepare("DELETE FROM device_pairing_join_codes WHERE expires_at_ms <= ?").run(now);
    db.prepare(
      "INSERT INTO device_pairing_join_codes (shortcode, payload_json, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)",
    ).run(
      shortcode,
      JSON.stringify({ url: payload.url, bootstrapToken: payload.bootstrapToken, expiresAtMs: payload.expiresAtMs }),
      now,
      payload.expiresAtMs,
    );
  });
  return shortcode;
}

/** Burns a live shortcode and returns its payload; undefined for an unknown, used or lapsed one. */
export function redeemJoinCode(db: DatabaseSync, shortcode: string, now: number): SetupPayload | undefined {
  const code = shortcode.trim();
  if (!isJoinShortcode(code)) return undefined;
  // A guess names no row: answered by a plain read, so unauthenticated guesses never take the write lock.
  const live = db.prepare("SELECT 1 FROM device_pairing_join_codes WHERE shortcode = ? AND expires_at_ms > ?")
    .get(code, now);
  if (!live) return undefined;
  const json = immediate(db, () => {
    db.prepare("DELETE FROM device_pairing_join_codes WHERE expires_at_ms <= ?").run(now);
    const row = db.prepare("SELECT payload_json FROM device_pairing_join_codes WHERE shortcode = ?").get(code) as
      | { payload_json?: unknown }
      | undefined;
    db.prepare("DELETE FROM device_pairing_join_codes WHERE shortcode = ?").run(code);
    return row?.payload_json;
  });
  if (typeof json !== "string") return undefined;
  try {
    return parseSetupPayload(JSON.parse(json), now);
  } catch {
    return undefined;
  }
}
