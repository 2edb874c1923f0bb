// The outcome of a setup code issued with a setup id, in the reference's `device_pair_setup_completions`
// table: which device redeemed it, with what access, and whether the device is known to have received
// its credentials. Written `uncertain` as the token is consumed and `confirmed` once hello-ok went out,
// as the reference does; kept twice the token's lifetime for `device.pair.setupStatus`.
import type { DatabaseSync } from "node:sqlite";
import { BOOTSTRAP_TOKEN_TTL_MS } from "./bootstrap_tokens.ts";

/** How long a completion is kept after it was recorded (the reference's retention). */
export const SETUP_COMPLETION_RETENTION_MS = 2 * BOOTSTRAP_TOKEN_TTL_MS;

/** One `device_pair_setup_completions` row. */
export interface SetupCompletion {
  setupId: string;
  deviceId: string;
  deviceName?: string | undefined;
  access: string;
  completedAtMs: number;
  deliveryState: "uncertain" | "confirmed";
  retainUntilMs: number;
}

type Row = Record<string, unknown>;

function fromRow(row: Row): SetupCompletion {
  return {
    setupId: String(row.setup_id),
    deviceId: String(row.device_id),
    deviceName: typeof row.device_name === "string" ? row.device_name : undefined,
    access: String(row.access),
    completedAtMs: Number(row.completed_at_ms),
    deliveryState: row.delivery_state === "confirmed" ? "confirmed" : "uncertain",
    retainUntilMs: Number(row.retain_until_ms),
  };
}

/** Records a setup's outcome as `uncertain`, replacing an earlier one and pruning lapsed rows; call inside a transaction. */
export function recordSetupCompletion(
  db: DatabaseSync,
  outcome: { setupId: string; deviceId: string; deviceName?: string | undefined; access: string; now: number },
): SetupCompletion {
  const completion: SetupCompletion = {
    setupId: outcome.setupId,
    deviceId: outcome.deviceId,
    deviceName: outcome.deviceName,
    access: outcome.access,
    completedAtMs: outcome.now,
    deliveryState: "uncertain",
    retainUntilMs: outcome.now + SETUP_COMPLETION_RETENTION_MS,
  };
  db.prepare("DELETE FROM device_pair_setup_completions WHERE retain_until_ms <= ? OR setup_id = ?").run(
    outcome.now,
    outcome.setupId,
  );
  db.prepare(
    `INSERT INTO device_pair_setup_completions (setup_id, device_id, device_name, access, completed_at_ms,
       delivery_state, retain_until_ms) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    completion.setupId,
    completion.deviceId,
    completion.deviceName ?? null,
    completion.access,
    completion.completedAtMs,
    completion.deliveryState,
    completion.retainUntilMs,
  );
  return completion;
}

/**
 * Marks a setup's outcome delivered (the device got its hello-ok); undefined when the row lapsed or was
 * replaced by another device's, as the reference never revives one.
 */
export function confirmSetupCompletion(
  db: DatabaseSync,
  outcome: { setupId: string; deviceId: string; now: number },
): SetupCompletion | undefined {
  const row = db.prepare(
    `UPDATE device_pair_setup_completions SET delivery_state = 'confirmed'
     WHERE setup_id = ? AND device_id = ? AND retain_until_ms > ? RETURNING *`,
  ).get(outcome.setupId, outcome.deviceId, outcome.now) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** The live outcome of a setup, after pruning lapsed rows; undefined while none is recorded. */
export function readSetupCompletion(db: DatabaseSync, setupId: string, now: number): SetupCompletion | undefined {
  db.prepare("DELETE FROM device_pair_setup_completions WHERE retain_until_ms <= ?").run(now);
  const row = db.prepare("SELECT * FROM device_pair_setup_completions WHERE setup_id = ?").get(setupId) as
    | Row
    | undefined;
  return row ? fromRow(row) : undefined;
}

/** The payload of `device.pair.setup.completed`/`deliveryUncertain` and of `device.pair.setupStatus`, as the reference's. */
export function setupOutcomePayload(completion: SetupCompletion): Record<string, unknown> {
  return {
    setupId: completion.setupId,
    deviceId: completion.deviceId,
    ...(completion.deviceName ? { deviceName: completion.deviceName } : {}),
    access: completion.access,
    ts: completion.completedAtMs,
  };
}
