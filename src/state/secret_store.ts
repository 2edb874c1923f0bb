// The team secret store: rows of `secret_store_entries` in the global state database, read and written as
// the reference does (team scope is `scope_kind='team', scope_id=''`; removal is a soft delete purged after
// 30 days; `allowed_hosts` is a sorted JSON array or NULL), so either program reads what the other wrote.
// Hidden GitHub handoff rows (`github-setup-…` and kin) belong to features this gateway lacks: skipped.
import type { DatabaseSync } from "node:sqlite";
import { immediate } from "./immediate.ts";
import { assertStoreValue, normalizeAllowedHosts, SecretStoreValidationError } from "./secret_store_rules.ts";
import { STATE_SCHEMA_SQL } from "./state_schema.ts";

/** A store entry's kind: `secret` is write-only, `env` is readable and reaches exec. */
export type StoreKind = "secret" | "env";

/** One live entry's metadata as the reference's `store list --json` prints it. */
export interface StoreEntryMetadata {
  name: string;
  kind: StoreKind;
  scopeKind: "team";
  scopeId: "";
  updatedAtMs: number;
  createdAtMs: number;
  updatedBy: string | null;
  allowedHosts?: string[];
  valuePreview?: string;
}

/** Soft-deleted rows older than this are purged. */
export const STORE_RETENTION_MS = 2_592_000_000;
const HIDDEN_NAME_RE = /^github-(setup|device|oauth)-[a-f0-9]{32}$/u;

interface Row {
  name: string;
  value: string;
  kind: StoreKind;
  createdAtMs: number;
  updatedAtMs: number;
  updatedBy: string | null;
  allowedHosts: string | null;
}

function parseHosts(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((h) => typeof h === "string") ? normalizeAllowedHosts(parsed) : [];
  } catch {
    return [];
  }
}

/** Creates the table on a database made before it existed (the reference adds it lazily too). */
export function ensureSecretStoreTable(db: DatabaseSync): void {
  for (const sql of STATE_SCHEMA_SQL.filter((s) => s.includes(" secret_store_entries"))) {
    db.exec(sql.replace(/^CREATE (TABLE|INDEX) /, "CREATE $1 IF NOT EXISTS "));
  }
}

/** Live team entries by name; values of `secret` entries never leave here. */
export function listStoreEntries(db: DatabaseSync): StoreEntryMetadata[] {
  const rows = db.prepare(
    "SELECT name, value, kind, created_at_ms AS createdAtMs, updated_at_ms AS updatedAtMs, updated_by AS updatedBy, " +
      "allowed_hosts AS allowedHosts FROM secret_store_entries WHERE scope_kind = 'team' AND scope_id = '' AND deleted_at_ms IS NULL ORDER BY name",
  ).all() as unknown as Row[];
  return rows.filter((row) => !HIDDEN_NAME_RE.test(row.name)).map((row) => ({
    name: row.name,
    kind: row.kind,
    scopeKind: "team",
    scopeId: "",
    updatedAtMs: Number(row.updatedAtMs),
    createdAtMs: Number(row.createdAtMs),
    updatedBy: row.updatedBy,
    ...(row.kind === "secret" ? { allowedHosts: parseHosts(row.allowedHosts) } : { valuePreview: row.value }),
  }));
}

/** A live team entry's value, or undefined when there is none. */
export function readStoreValue(db: DatabaseSync, name: string): string | undefined {
  const row = db.prepare(
    "SELECT value FROM secret_store_entries WHERE scope_kind = 'team' AND scope_id = '' AND name = ? AND deleted_at_ms IS NULL",
  ).get(name) as { value: string } | undefined;
  return row?.value;
}

/** Creates or replaces a team entry (reviving a soft-deleted one); hosts are replaced only when given. */
export function writeStoreEntry(
  db: DatabaseSync,
  entry: { name: string; value: string; kind: StoreKind; allowedHosts?: string[]; updatedBy: string },
): void {
  assertStoreValue(entry.value, entry.kind, entry.name);
  const hosts = entry.kind === "secret" && entry.allowedHosts !== undefined
    ? normalizeAllowedHosts(entry.allowedHosts)
    : undefined;
  const hostsJson = hosts?.length ? JSON.stringify(hosts) : null;
  const replaceHosts = entry.kind === "env" || hosts !== undefined;
  const now = Date.now();
  immediate(db, () => {
    db.prepare(
      "INSERT INTO secret_store_entries (scope_kind, scope_id, name, value, kind, created_at_ms, updated_at_ms, " +
        "updated_by, deleted_at_ms, allowed_hosts) VALUES ('team', '', ?, ?, ?, ?, ?, ?, NULL, ?) " +
        "ON CONFLICT (scope_kind, scope_id, name) DO UPDATE SET value = excluded.value, kind = excluded.kind, " +
        "updated_at_ms = excluded.updated_at_ms, updated_by = excluded.updated_by, deleted_at_ms = NULL" +
        (replaceHosts ? ", allowed_hosts = excluded.allowed_hosts" : ""),
    ).run(entry.name, entry.value, entry.kind, now, now, entry.updatedBy, hostsJson);
  });
}

/** Replaces a live secret entry's allowed hosts; refuses a missing or `env` entry in the reference's words. */
export function updateStoreAllowedHosts(db: DatabaseSync, name: string, hosts: string[], updatedBy: string): void {
  const normalized = normalizeAllowedHosts(hosts);
  const result = db.prepare(
    "UPDATE secret_store_entries SET allowed_hosts = ?, updated_at_ms = ?, updated_by = ? WHERE scope_kind = 'team' " +
      "AND scope_id = '' AND name = ? AND kind = 'secret' AND deleted_at_ms IS NULL",
  ).run(normalized.length ? JSON.stringify(normalized) : null, Date.now(), updatedBy, name);
  if (Number(result.changes) !== 1) {
    throw new SecretStoreValidationError(
      "SECRET_STORE_INVALID_ALLOWED_HOST",
      `Secret store entry "${name}" is missing or is not a secret entry.`,
    );
  }
}

/** Soft-deletes a live team entry; a missing name is no error. */
export function deleteStoreEntry(db: DatabaseSync, name: string): void {
  const now = Date.now();
  db.prepare(
    "UPDATE secret_store_entries SET deleted_at_ms = ?, updated_at_ms = ? WHERE scope_kind = 'team' AND scope_id = '' " +
      "AND name = ? AND deleted_at_ms IS NULL",
  ).run(now, now, name);
}

/** Hard-deletes rows soft-deleted more than 30 days before `now`; how many went. */
export function purgeExpiredStoreEntries(db: DatabaseSync, now = Date.now()): number {
  const result = db.prepare(
    "DELETE FROM secret_store_entries WHERE deleted_at_ms IS NOT NULL AND deleted_at_ms < ?",
  ).run(now - STORE_RETENTION_MS);
  return Number(result.changes);
}
