import assert from "node:assert/strict";
import { isJoinShortcode, redeemJoinCode, registerJoinCode } from "../../src/state/join_codes.ts";
import { tempStateDb } from "../support/temp_devices.ts";

const NOW = 1_800_000_000_000;
const PAYLOAD = { url: "ws://127.0.0.1:18789", bootstrapToken: "tok", expiresAtMs: NOW + 600_000 };

Deno.test("a join code hands out its payload once, in the reference's key order", () => {
  const { db } = tempStateDb();
  const code = registerJoinCode(db, PAYLOAD, NOW);
  assert.ok(isJoinShortcode(code), code);
  const [row] = db.prepare("SELECT * FROM device_pairing_join_codes").all();
  assert.deepEqual({ ...row }, {
    shortcode: code,
    payload_json: JSON.stringify(PAYLOAD),
    created_at_ms: NOW,
    expires_at_ms: PAYLOAD.expiresAtMs,
  });
  assert.deepEqual(redeemJoinCode(db, code, NOW + 1), PAYLOAD);
  assert.equal(redeemJoinCode(db, code, NOW + 2), undefined);
});

Deno.test("a lapsed, unknown or malformed join code yields nothing; lapsed rows are pruned by the next code", () => {
  const { db } = tempStateDb();
  const code = registerJoinCode(db, PAYLOAD, NOW);
  assert.equal(redeemJoinCode(db, code, PAYLOAD.expiresAtMs), undefined);
  assert.equal(redeemJoinCode(db, "A".repeat(22), NOW), undefined);
  assert.equal(redeemJoinCode(db, "../etc", NOW), undefined);
  // Guesses only read (no write lock for unauthenticated requests); the next registration prunes.
  const later = { ...PAYLOAD, expiresAtMs: PAYLOAD.expiresAtMs + 60_000 };
  registerJoinCode(db, later, PAYLOAD.expiresAtMs);
  const left = db.prepare("SELECT COUNT(*) AS n FROM device_pairing_join_codes").get() as { n: number };
  assert.equal(left.n, 1);
  assert.throws(() => registerJoinCode(db, { ...PAYLOAD, expiresAtMs: NOW }, NOW), /requires a future expiry/);
});
