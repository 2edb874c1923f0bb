// Durable shared-state write ownership, as the reference 2026.9.6 keeps it: one reserved row
// (`gateway.supervision`) of `config_machine_state` in the global state database, written by
// `openclaw database ownership claim` for an external supervisor. Parsing is strict (the reference's
// version 1 contract, its words) so both programs agree on what counts as owned.
import type { DatabaseSync } from "node:sqlite";

/** The reserved `config_machine_state` key of the ownership row. */
export const STATE_SUPERVISION_KEY = "gateway.supervision";

/** A manager id the reference accepts: 1-128 ASCII characters, starting with a letter or digit. */
const MANAGER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/u;
/** The latest timestamp a Date can hold, the reference's bound on `claimedAt`. */
const MAX_OWNERSHIP_TIMESTAMP_MS = 8.64e15;

/** The version 1 external ownership record. */
export interface ExternalOwnership {
  version: 1;
  mode: "external";
  managerId: string;
  claimedAt: number;
}

/** The ownership row exists but is not the version 1 contract (the reference's words and repair hint). */
export class StateOwnershipMetadataError extends Error {
  constructor(databasePath: string, detail: string) {
    super(
      `OpenClaw shared state ownership metadata is invalid at ${databasePath}: ${detail}. ` +
        "Repair it with OPENCLAW_SUPERVISOR_MODE=external openclaw database ownership claim --manager <manager-id>.",
    );
    this.name = "StateOwnershipMetadataError";
  }
}

/** Trims a manager id and refuses one the reference would refuse, in its words. */
export function normalizeManagerId(managerId: string): string {
  const normalized = managerId.trim();
  if (!MANAGER_ID_PATTERN.test(normalized)) {
    throw new Error("External state ownership manager id must be a 1-128 character ASCII identifier.");
  }
  return normalized;
}

/** Parses the row's `value_json` into the version 1 record; throws {@link StateOwnershipMetadataError} otherwise. */
export function parseExternalOwnership(valueJson: unknown, databasePath: string): ExternalOwnership {
  if (typeof valueJson !== "string") throw new StateOwnershipMetadataError(databasePath, "reserved value is not text");
  let value: unknown;
  try {
    value = JSON.parse(valueJson);
  } catch {
    throw new StateOwnershipMetadataError(databasePath, "reserved value is not valid JSON");
  }
  const record = typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
  const keys = record ? Object.keys(record).sort().join(",") : "";
  const { managerId, claimedAt } = record ?? {};
  if (
    keys !== "claimedAt,managerId,mode,version" || record?.version !== 1 || record?.mode !== "external" ||
    typeof managerId !== "string" || !MANAGER_ID_PATTERN.test(managerId) || typeof claimedAt !== "number" ||
    !Number.isSafeInteger(claimedAt) || claimedAt < 0 || claimedAt > MAX_OWNERSHIP_TIMESTAMP_MS
  ) {
    throw new StateOwnershipMetadataError(
      databasePath,
      "reserved value does not match the version 1 external ownership contract",
    );
  }
  return { version: 1, mode: "external", managerId, claimedAt };
}

/** Reads the ownership row of an open state database: null when unowned (or the table is not there yet). */
export function readStateOwnership(db: DatabaseSync, databasePath: string): ExternalOwnership | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config_machine_state'").get();
  if (!table) return null;
  const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = ? LIMIT 1").get(
    STATE_SUPERVISION_KEY,
  ) as { value_json: unknown } | undefined;
  return row ? parseExternalOwnership(row.value_json, databasePath) : null;
}

/**
 * Claims ownership for `managerId` inside an immediate transaction: the existing claim when it is the
 * same manager's, a refusal (the reference's words) when it is another's. A malformed row is replaced.
 */
export function claimStateOwnership(db: DatabaseSync, databasePath: string, managerId: string): ExternalOwnership {
  db.exec("BEGIN IMMEDIATE");
  try {
    let current: ExternalOwnership | null = null;
    try {
      current = readStateOwnership(db, databasePath);
    } catch (error) {
      if (!(error instanceof StateOwnershipMetadataError)) throw error;
    }
    if (current && current.managerId !== managerId) {
      throw new Error(
        `OpenClaw shared state is already claimed by external manager ${current.managerId}; ` +
          `manager ${managerId} cannot replace that durable ownership.`,
      );
    }
    const ownership: ExternalOwnership = current ?? { version: 1, mode: "external", managerId, claimedAt: Date.now() };
    if (!current) {
      const valueJson = JSON.stringify(ownership);
      db.prepare(
        "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, ?) " +
          "ON CONFLICT (state_key) DO UPDATE SET value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms",
      ).run(STATE_SUPERVISION_KEY, valueJson, ownership.claimedAt);
    }
    db.exec("COMMIT");
    return ownership;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
