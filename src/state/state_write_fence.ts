// The shared-state ownership fence, as the reference 2026.9.6 keeps it: once an external manager has
// claimed the global state database (`openclaw database ownership claim`), a program writes to it only
// when it runs as that supervisor (OPENCLAW_SUPERVISOR_MODE=external). The row is read once per open of
// the database for writing, never per statement: the decision below is pure and table-driven, and the
// mode is read at the program's edge (the CLI, `gateway run`) and handed down as a value.
import type { DatabaseSync } from "node:sqlite";
import { readStateOwnership, StateOwnershipMetadataError } from "./state_ownership.ts";

export { StateOwnershipMetadataError };

/**
 * Why a connection to the global state database is opened: `read` (never fenced), `claim` (the ownership
 * claim, which reads and replaces the row itself), `write` (fenced) or `supervised-write` (the external
 * supervisor's own writes: a claim admits them, a malformed row still refuses them).
 */
export type StateDbAccess = "read" | "claim" | "write" | "supervised-write";

/** The writing access a program has, from OPENCLAW_SUPERVISOR_MODE as read at its edge (the reference's test). */
export function writeAccessFor(supervisorMode: string | undefined): "write" | "supervised-write" {
  return supervisorMode?.trim().toLowerCase() === "external" ? "supervised-write" : "write";
}

/** The reference's refusal of a write to a database an external manager owns, in its words. */
export class StateExternalOwnershipError extends Error {
  /** The manager that owns the database. */
  readonly managerId: string;

  constructor(databasePath: string, managerId: string) {
    super(
      `OpenClaw shared state database ${databasePath} is externally supervised by ${managerId}. ` +
        "Use that external supervisor with OPENCLAW_SUPERVISOR_MODE=external for writable operations.",
    );
    this.name = "StateExternalOwnershipError";
    this.managerId = managerId;
  }
}

/** What each access does with the ownership row: ignore it, parse it, or parse it and refuse a claim. */
const FENCE: Record<StateDbAccess, "ignore" | "parse" | "refuse-claimed"> = {
  "read": "ignore",
  "claim": "ignore",
  "supervised-write": "parse",
  "write": "refuse-claimed",
};

/** Whether an access reads the ownership row at all (a `read` open never pays for it). */
export function fenceReadsRow(access: StateDbAccess): boolean {
  return FENCE[access] !== "ignore";
}

/**
 * Refuses a write through `db` when the ownership row says another program owns the database:
 * {@link StateExternalOwnershipError} for a claim (unless supervised), {@link StateOwnershipMetadataError}
 * for a row that does not parse (even supervised, as the reference does).
 */
export function assertStateWriteAllowed(db: DatabaseSync, databasePath: string, access: StateDbAccess): void {
  if (!fenceReadsRow(access)) return;
  const ownership = readStateOwnership(db, databasePath);
  if (ownership && FENCE[access] === "refuse-claimed") {
    throw new StateExternalOwnershipError(databasePath, ownership.managerId);
  }
}
