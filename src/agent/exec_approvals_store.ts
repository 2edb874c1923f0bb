// Reading and writing the exec approvals document in the shared state database, as the reference
// does: a snapshot (display path, whether a row exists, the document, its hash), updates under
// `BEGIN IMMEDIATE` with an optional base hash, and the socket path/token it seeds on first use.
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { Buffer } from "node:buffer";
import { readExecApprovalsRaw, writeExecApprovalsRow } from "../state/exec_approvals_config.ts";
import { immediate } from "../state/immediate.ts";
import {
  type ExecApprovalsFile,
  failClosedApprovals,
  hashApprovalsRaw,
  isExecAsk,
  isExecSecurity,
  normalizeApprovals,
  parseStoredApprovals,
  resolveDefaults,
  type ResolvedExecPolicy,
  serializeApprovals,
} from "./exec_approvals_file.ts";
import { hostPolicy } from "./exec_policy.ts";
import { configuredExecPolicy } from "../config/exec_policy_config.ts";

/** The document as stored now. */
export interface ApprovalsSnapshot {
  /** The display locator: `<stateDir>/state/openclaw.sqlite#exec_approvals_config`. */
  path: string;
  exists: boolean;
  raw: string | null;
  file: ExecApprovalsFile;
  hash: string;
}

/** Where the documents of this state dir live, and the database holding them. */
export interface ApprovalsLocation {
  stateDir: string;
  db(): Promise<DatabaseSync>;
}

/** The display locator the reference prints for a state dir. */
export function approvalsDisplayPath(stateDir: string): string {
  return `${join(stateDir, "state", "openclaw.sqlite")}#exec_approvals_config`;
}

function snapshotOf(path: string, raw: string | null): ApprovalsSnapshot {
  if (raw === null) {
    return {
      path,
      exists: false,
      raw,
      file: normalizeApprovals({ version: 1, agents: {} }),
      hash: hashApprovalsRaw(null),
    };
  }
  // A row the reference would refuse denies everything, as the reference's fallback does.
  return {
    path,
    exists: true,
    raw,
    file: parseStoredApprovals(raw) ?? failClosedApprovals(),
    hash: hashApprovalsRaw(raw),
  };
}

/** The current snapshot. */
export async function readApprovals(at: ApprovalsLocation): Promise<ApprovalsSnapshot> {
  return snapshotOf(approvalsDisplayPath(at.stateDir), readExecApprovalsRaw(await at.db()));
}

function writeRow(db: DatabaseSync, file: ExecApprovalsFile, raw: string): void {
  const normalized = normalizeApprovals(file);
  const agents = Object.values(normalized.agents ?? {});
  const d = normalized.defaults ?? {};
  writeExecApprovalsRow(db, raw, {
    socketPath: normalized.socket?.path ?? null,
    hasSocketToken: Boolean(normalized.socket?.token),
    defaultSecurity: d.security ?? null,
    defaultAsk: d.ask ?? null,
    defaultAskFallback: d.askFallback ?? null,
    autoAllowSkills: d.autoAllowSkills ?? null,
    agentCount: agents.length,
    allowlistCount: agents.reduce((total, agent) => total + (agent.allowlist?.length ?? 0), 0),
  });
}

/**
 * Changes the document in one transaction: `update` gets a copy and returns the next document (or
 * null for no change). Returns null when `baseHash` is given and no longer matches.
 */
export async function updateApprovals(
  at: ApprovalsLocation,
  update: (file: ExecApprovalsFile) => ExecApprovalsFile | null,
  baseHash?: string,
): Promise<ApprovalsSnapshot | null> {
  const db = await at.db();
  const path = approvalsDisplayPath(at.stateDir);
  return immediate(db, () => {
    const current = snapshotOf(path, readExecApprovalsRaw(db));
    if (baseHash !== undefined && current.hash !== baseHash) return null;
    const next = update(structuredClone(current.file));
    if (next === null) return current;
    const raw = serializeApprovals(next);
    if (current.exists && current.raw === raw) return current;
    writeRow(db, next, raw);
    return snapshotOf(path, raw);
  });
}

/** A new socket token: 24 random bytes, base64url, as the reference generates it. */
function newSocketToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
}

/** The document with its socket path and token filled in (kept when present). */
export function withSocketDefaults(
  stateDir: string,
  next: ExecApprovalsFile,
  current?: ExecApprovalsFile,
): ExecApprovalsFile {
  const normalized = normalizeApprovals(next);
  return {
    ...normalized,
    socket: {
      path: normalized.socket?.path ?? current?.socket?.path?.trim() ?? join(stateDir, "exec-approvals.sock"),
      token: normalized.socket?.token ?? current?.socket?.token?.trim() ?? newSocketToken(),
    },
  };
}

/** The snapshot after making sure the row exists with a socket (what `exec.approvals.get` does first). */
export async function ensureApprovals(at: ApprovalsLocation): Promise<ApprovalsSnapshot> {
  const current = await readApprovals(at);
  const ensured = withSocketDefaults(at.stateDir, current.file);
  if (current.exists && current.raw === serializeApprovals(ensured)) return current;
  const written = await updateApprovals(at, (file) => withSocketDefaults(at.stateDir, file));
  return written ?? current;
}

/** The wire payload of a snapshot (`exec.approvals.get`). */
export interface ApprovalsPayload {
  path: string;
  exists: boolean;
  file: ExecApprovalsFile;
  hash: string;
  resolvedDefaults: ResolvedExecPolicy;
}

/**
 * The wire payload of a snapshot: no raw text, the socket without its token, and `resolvedDefaults`:
 * what is enforced by default, the document's defaults combined with the config's global `tools.exec`
 * (this gateway's safer default where neither sets a knob).
 */
export function approvalsPayload(snapshot: ApprovalsSnapshot, config: Record<string, unknown> = {}): ApprovalsPayload {
  const socketPath = snapshot.file.socket?.path?.trim();
  // Through JSON, as the wire sends it: keys whose value is undefined are gone.
  return JSON.parse(JSON.stringify({
    path: snapshot.path,
    exists: snapshot.exists,
    file: { ...snapshot.file, socket: socketPath ? { path: socketPath } : undefined },
    hash: snapshot.hash,
    resolvedDefaults: enforcedDefaults(snapshot.file, config),
  }));
}

function enforcedDefaults(file: ExecApprovalsFile, config: Record<string, unknown>): ResolvedExecPolicy {
  const host = resolveDefaults(file);
  const d = file.defaults ?? {};
  const policy = hostPolicy(configuredExecPolicy(config), host, {
    security: isExecSecurity(d.security),
    ask: isExecAsk(d.ask),
  });
  return { ...host, ...policy };
}
