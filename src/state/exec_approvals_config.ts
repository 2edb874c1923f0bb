// The singleton row of `exec_approvals_config` (key "current"), where the reference keeps the exec
// approvals document: `raw_json` is authoritative, the other columns are its projection for queries.
import type { DatabaseSync } from "node:sqlite";

const CONFIG_KEY = "current";

/** The projected columns of the row, computed from the normalized document by the caller. */
export interface ExecApprovalsProjection {
  socketPath: string | null;
  hasSocketToken: boolean;
  defaultSecurity: string | null;
  defaultAsk: string | null;
  defaultAskFallback: string | null;
  autoAllowSkills: boolean | null;
  agentCount: number;
  allowlistCount: number;
}

/** The stored document text, or null when no row exists. */
export function readExecApprovalsRaw(db: DatabaseSync): string | null {
  const row = db.prepare("SELECT raw_json FROM exec_approvals_config WHERE config_key = ?").get(CONFIG_KEY) as
    | { raw_json: string }
    | undefined;
  return row ? String(row.raw_json) : null;
}

/** Inserts or replaces the row with this text and its projection. */
export function writeExecApprovalsRow(db: DatabaseSync, raw: string, p: ExecApprovalsProjection): void {
  const autoAllow = p.autoAllowSkills === null ? null : p.autoAllowSkills ? 1 : 0;
  db.prepare(
    "INSERT INTO exec_approvals_config (config_key, raw_json, socket_path, has_socket_token, default_security, " +
      "default_ask, default_ask_fallback, auto_allow_skills, agent_count, allowlist_count, updated_at_ms) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (config_key) DO UPDATE SET raw_json = excluded.raw_json, " +
      "socket_path = excluded.socket_path, has_socket_token = excluded.has_socket_token, " +
      "default_security = excluded.default_security, default_ask = excluded.default_ask, " +
      "default_ask_fallback = excluded.default_ask_fallback, auto_allow_skills = excluded.auto_allow_skills, " +
      "agent_count = excluded.agent_count, allowlist_count = excluded.allowlist_count, " +
      "updated_at_ms = excluded.updated_at_ms",
  ).run(
    CONFIG_KEY,
    raw,
    p.socketPath,
    p.hasSocketToken ? 1 : 0,
    p.defaultSecurity,
    p.defaultAsk,
    p.defaultAskFallback,
    autoAllow,
    p.agentCount,
    p.allowlistCount,
    Date.now(),
  );
}
