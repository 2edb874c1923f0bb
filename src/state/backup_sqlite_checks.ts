// The checks a database inside a backup must pass, with the reference's words: the file header and
// page layout, `integrity_check` and `foreign_key_check`, and its `schema_meta` role and agent owner.
import type { DatabaseSync } from "node:sqlite";

/** `PRAGMA integrity_check` answers `ok` and `PRAGMA foreign_key_check` finds nothing. */
export function assertSqliteIntegrity(db: DatabaseSync, label: string): void {
  let rows: Record<string, unknown>[];
  try {
    rows = db.prepare("PRAGMA integrity_check;").all() as Record<string, unknown>[];
  } catch (error) {
    throw new Error(`SQLite integrity_check failed for ${label}: ${error instanceof Error ? error.message : error}`);
  }
  const results = rows.map((row) => row.integrity_check ?? Object.values(row)[0]);
  if (!(results.length === 1 && results[0] === "ok")) {
    throw new Error(`SQLite integrity_check failed for ${label}: ${results.map(String).join("; ") || "no result"}`);
  }
  const violations = db.prepare("PRAGMA foreign_key_check;").all() as { table?: string; parent?: string }[];
  if (violations.length > 0) {
    const first = violations.slice(0, 5).map((v) => `${v.table} -> ${v.parent}`).join("; ");
    throw new Error(`SQLite foreign_key_check failed for ${label}: ${first}`);
  }
}

function primaryMeta(db: DatabaseSync): { role: unknown; agent_id: unknown } | undefined {
  const table = db.prepare("SELECT type FROM sqlite_schema WHERE name = 'schema_meta'").get() as
    | { type?: string }
    | undefined;
  if (table?.type !== "table") return undefined;
  return db.prepare("SELECT role, agent_id FROM schema_meta WHERE meta_key = 'primary'").get() as
    | { role: unknown; agent_id: unknown }
    | undefined;
}

/** The snapshot's `schema_meta` role is `expected` (verification's words). */
export function assertSnapshotRole(db: DatabaseSync, label: string, expected: string): void {
  const table = db.prepare("SELECT type FROM sqlite_schema WHERE name = 'schema_meta'").get() as
    | { type?: string }
    | undefined;
  if (table?.type !== "table") throw new Error(`SQLite snapshot ${label} is missing the expected schema_meta table.`);
  const meta = primaryMeta(db);
  const role = typeof meta?.role === "string" ? meta.role : "missing";
  if (role !== expected) throw new Error(`SQLite snapshot ${label} has role ${role}; expected ${expected}.`);
}

/** The live state database is the global one (creation's words). */
export function assertStateDbOwner(db: DatabaseSync, label: string): void {
  const meta = primaryMeta(db);
  if (meta?.role !== "global") {
    const role = typeof meta?.role === "string" ? meta.role : "missing";
    throw new Error(`OpenClaw state database ${label} has schema role ${role}; expected global.`);
  }
}

/** The agent database belongs to `agentId`. */
export function assertAgentDbOwner(db: DatabaseSync, label: string, agentId: string): void {
  const meta = primaryMeta(db);
  if (!meta) throw new Error(`OpenClaw agent database ${label} has no schema ownership metadata.`);
  if (meta.role !== "agent") {
    throw new Error(`OpenClaw agent database ${label} has schema role ${meta.role ?? "unknown"}; expected agent.`);
  }
  const owner = typeof meta.agent_id === "string" ? meta.agent_id.trim() : "";
  if (!owner) throw new Error(`OpenClaw agent database ${label} has no agent owner.`);
  const wanted = agentId.trim().toLowerCase();
  if (owner.toLowerCase() !== wanted) {
    throw new Error(`OpenClaw agent database ${label} belongs to agent ${owner}; requested agent ${wanted}.`);
  }
}

/** The agent databases the global registry lists: agent id and stored path (relative to the state dir or absolute). */
export function registeredAgentDatabases(db: DatabaseSync, label: string): { agentId: string; path: string }[] {
  const table = db.prepare("SELECT type FROM sqlite_master WHERE name = 'agent_databases'").get() as
    | { type?: string }
    | undefined;
  if (!table) return [];
  if (table.type !== "table") throw new Error(`OpenClaw state database ${label} has an invalid agent registry.`);
  const rows = db.prepare("SELECT agent_id, path FROM agent_databases ORDER BY agent_id ASC, path ASC").all() as {
    agent_id: unknown;
    path: unknown;
  }[];
  return rows.flatMap((row) =>
    typeof row.agent_id === "string" && typeof row.path === "string" ? [{ agentId: row.agent_id, path: row.path }] : []
  );
}

/** A snapshot file starts with the SQLite header and its size is a whole number of pages. */
export async function assertSqliteFileShape(path: string, label: string, size: number): Promise<void> {
  const header = new Uint8Array(100);
  const file = await Deno.open(path, { read: true });
  let read = 0;
  try {
    while (read < 100) {
      const n = await file.read(header.subarray(read));
      if (n === null) break;
      read += n;
    }
  } finally {
    file.close();
  }
  if (read !== 100 || new TextDecoder().decode(header.subarray(0, 16)) !== "SQLite format 3\0") {
    throw new Error(`SQLite snapshot ${label} has an invalid database header.`);
  }
  const view = new DataView(header.buffer);
  const encoded = view.getUint16(16);
  const pageSize = encoded === 1 ? 65536 : encoded;
  const layout = `SQLite snapshot ${label} has an invalid page layout.`;
  if (!(pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0) || size % pageSize !== 0) {
    throw new Error(layout);
  }
  const changeCounter = view.getUint32(24);
  const pages = view.getUint32(28);
  if (pages !== 0 && changeCounter === view.getUint32(92) && pages !== size / pageSize) throw new Error(layout);
}
