// `openclaw database ownership status|claim`, `preflight` and `preflight-agent`: the reference 2026.9.6's
// words, JSON shapes and exit codes (tests/fixtures/database/recordings.json). The decisions live in
// src/state/ (state_ownership.ts, state_preflight.ts, agent_preflight.ts); this file resolves paths,
// opens the live database and prints.
import { resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathExists } from "../../config/paths.ts";
import { SQLITE_BUSY_TIMEOUT_MS } from "../../state/sqlite_busy.ts";
import { openSnapshot, sidecarsOf } from "../../state/sqlite_copy_read.ts";
import { openStateDb, stateDbPath } from "../../state/state_db.ts";
import {
  claimStateOwnership,
  type ExternalOwnership,
  normalizeManagerId,
  readStateOwnership,
} from "../../state/state_ownership.ts";
import { preflightAgentDatabase } from "../../state/agent_preflight.ts";
import { preflightExitCode, preflightStateDatabase, type PreflightStatus } from "../../state/state_preflight.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { stateDirOf } from "./state_dir_of.ts";
import { cliWriteAccess } from "./state_write_access.ts";

const DOCS = "https://docs.openclaw.ai/reference/database-schemas";

/** Options of `database ownership status|claim`. */
export interface OwnershipOptions extends GlobalOptions {
  json?: boolean;
  manager?: string;
}

/** Options of `database preflight` / `preflight-agent`. */
export interface PreflightOptions {
  json?: boolean;
  agentId?: string;
}

/** Reads the live database's ownership row without writing: immutable when no WAL holds newer pages. */
function inspectOwnership(databasePath: string): ExternalOwnership | null {
  if (!pathExists(databasePath)) return null;
  if (sidecarsOf(databasePath).includes("-wal")) {
    // A live database: its newest pages may be in the WAL, which a file copy would miss.
    const db = new DatabaseSync(databasePath, { readOnly: true });
    try {
      db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      return readStateOwnership(db, databasePath);
    } finally {
      db.close();
    }
  }
  const snapshot = openSnapshot(databasePath);
  try {
    return readStateOwnership(snapshot.db, databasePath);
  } finally {
    snapshot.close();
  }
}

function claim(stateDir: string, databasePath: string, manager: string): ExternalOwnership {
  if (cliWriteAccess() !== "supervised-write") {
    throw new Error("Claiming external shared-state ownership requires OPENCLAW_SUPERVISOR_MODE=external.");
  }
  const managerId = normalizeManagerId(manager);
  // The claim reads the row itself: another manager's claim is refused in its words, a malformed one replaced.
  const db = openStateDb(stateDir, "claim");
  try {
    const ownership = claimStateOwnership(db, databasePath, managerId);
    // The supervisor activates on this answer: the claim must be in the main file, not only the WAL.
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return ownership;
  } finally {
    db.close();
  }
}

function ownershipCommand(options: OwnershipOptions, claiming: boolean): number {
  try {
    const stateDir = stateDirOf(options);
    const databasePath = resolve(stateDbPath(stateDir));
    const ownership = claiming ? claim(stateDir, databasePath, options.manager ?? "") : inspectOwnership(databasePath);
    const status = ownership ? { status: "external", ownership } : { status: "unowned" };
    if (options.json) {
      printJson({ databasePath, ...status });
      return 0;
    }
    printLine(
      ownership
        ? `Shared state is externally owned by ${ownership.managerId}.`
        : "Shared state is not externally owned.",
    );
    printLine(`See ${DOCS}.`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (options.json) printJson({ error: message });
    else printError(message);
    return 1;
  }
}

/** `openclaw database ownership status`. */
export function ownershipStatus(options: OwnershipOptions): number {
  return ownershipCommand(options, false);
}

/** `openclaw database ownership claim --manager <id>` (needs OPENCLAW_SUPERVISOR_MODE=external). */
export function ownershipClaim(options: OwnershipOptions): number {
  return ownershipCommand(options, true);
}

function printPreflight(
  result: {
    status: PreflightStatus;
    foundVersion: number | null;
    targetVersion: number;
    reason?: string;
    issues: readonly { message: string }[];
  },
  json: boolean | undefined,
): number {
  if (json) printJson(result);
  else {
    const detail = result.reason ?? result.issues[0]?.message;
    printLine(
      `Database preflight: ${result.status} (found ${
        result.foundVersion ?? "unknown"
      }, target ${result.targetVersion}).${detail ? `\n${detail}` : ""}\nSee ${DOCS}.`,
    );
  }
  return preflightExitCode(result.status);
}

/** `openclaw database preflight <path>`: one copied state database against this gateway's state schema. */
export async function databasePreflight(path: string, options: PreflightOptions): Promise<number> {
  // The DDL loads only here: ownership status never needs it.
  const { STATE_SCHEMA_SQL } = await import("../../state/state_schema.ts");
  return printPreflight(preflightStateDatabase(resolve(path), STATE_SCHEMA_SQL), options.json);
}

/** `openclaw database preflight-agent <path> --agent-id <id>`: one copied agent database and its owner. */
export async function databasePreflightAgent(path: string, options: PreflightOptions): Promise<number> {
  const { AGENT_SCHEMA_SQL } = await import("../../state/agent_schema.ts");
  return printPreflight(
    preflightAgentDatabase(resolve(path), options.agentId ?? "", AGENT_SCHEMA_SQL),
    options.json,
  );
}
