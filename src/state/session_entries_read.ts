// Reading an agent database's session entries without opening it writable, as `openclaw sessions`
// does in the reference: offline, no gateway, no schema created, nothing written.
import type { DatabaseSync } from "node:sqlite";

/** One stored session: its key and the reference's entry object (`entry_json`). */
export interface StoredSessionEntry {
  sessionKey: string;
  entry: Record<string, unknown>;
}

/** What a read-only look at an agent database found. */
export interface StoredSessions {
  /** The agent the database belongs to (`schema_meta.agent_id`), when it says. */
  ownerAgentId: string | undefined;
  entries: StoredSessionEntry[];
}

function openReadOnly(DatabaseSyncClass: typeof DatabaseSync, path: string): DatabaseSync {
  return new DatabaseSyncClass(path, { readOnly: true });
}

function parseEntry(json: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

/** Tables of the database besides SQLite's own. */
function applicationTables(db: DatabaseSync): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
    name: string;
  }[]).map((row) => row.name);
}

/**
 * Why the file at `path` is no session store, as the reference checks a `--store` target (a SQLite file
 * with no tables yet, or with OpenClaw's `schema_meta`); undefined when it is one.
 */
export async function sessionStoreProblem(path: string): Promise<string | undefined> {
  const { DatabaseSync } = await import("node:sqlite");
  let db: DatabaseSync | undefined;
  try {
    db = openReadOnly(DatabaseSync, path);
    const tables = applicationTables(db);
    if (tables.length > 0 && !tables.includes("schema_meta")) {
      return "the SQLite file has application tables but no OpenClaw schema metadata";
    }
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

/**
 * The session entries of the agent database at `path`, read-only; undefined when no file is there, none
 * when it has no session tables yet.
 * An entry without its own `updatedAt` takes the row's. SQLite loads only when this is called.
 */
export async function readStoredSessions(path: string): Promise<StoredSessions | undefined> {
  try {
    if (!(await Deno.stat(path)).isFile) return undefined;
  } catch {
    return undefined;
  }
  const { DatabaseSync } = await import("node:sqlite");
  const db = openReadOnly(DatabaseSync, path);
  try {
    const tables = applicationTables(db);
    if (!tables.includes("schema_meta") || !tables.includes("session_nodes")) {
      return { ownerAgentId: undefined, entries: [] };
    }
    const meta = db.prepare("SELECT agent_id AS agentId FROM schema_meta WHERE meta_key = 'primary'").get() as
      | { agentId: string | null }
      | undefined;
    const rows = db.prepare(
      "SELECT session_key AS key, entry_json AS json, updated_at AS updatedAt FROM session_nodes ORDER BY session_key",
    )
      .all() as unknown as { key: string; json: string; updatedAt: number }[];
    const entries: StoredSessionEntry[] = [];
    for (const row of rows) {
      const entry = parseEntry(row.json);
      if (!entry) continue;
      if (typeof entry.updatedAt !== "number") entry.updatedAt = row.updatedAt;
      entries.push({ sessionKey: row.key, entry });
    }
    return { ownerAgentId: meta?.agentId ?? undefined, entries };
  } finally {
    db.close();
  }
}
