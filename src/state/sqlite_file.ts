// Opening one of the reference's SQLite databases: created with its DDL, pragmas and schema_meta row
// when missing, opened as is when at the version we speak, refused otherwise (decision 0012).
import { DatabaseSync } from "node:sqlite";
import { SQLITE_BUSY_TIMEOUT_MS } from "./sqlite_busy.ts";

export { SQLITE_BUSY_TIMEOUT_MS };

/** The pragmas the reference sets on every read-write connection, after the journal is WAL. */
const CONNECTION_PRAGMAS = [
  "PRAGMA wal_autocheckpoint = 1000",
  "PRAGMA journal_size_limit = 67108864",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
];

/** What a database is: enough to open an existing one. */
export interface SqliteIdentity {
  /** How messages name the database, e.g. `agent database`. */
  label: string;
  version: number;
  /** The `schema_meta` row with `meta_key` 'primary'. */
  meta: { role: string; agentId: string | null; appVersion: string };
}

/** What a database is and how to create it. */
export interface SqliteSchema extends SqliteIdentity {
  statements: readonly string[];
  /** Rows the schema inserts at creation (the reference's `INSERT OR IGNORE` seeds). */
  seeds: readonly string[];
}

/** A database on disk is at a schema version this gateway cannot read or write. */
export class StateSchemaVersionError extends Error {
  /** The database file. */
  readonly path: string;
  /** The version found (PRAGMA user_version). */
  readonly found: number;
  /** The version this gateway speaks. */
  readonly supported: number;

  constructor(label: string, path: string, found: number, supported: number) {
    const fix = found > supported
      ? "it was written by a newer OpenClaw: upgrade this gateway, or keep using that OpenClaw on this state dir"
      : "it was written by an older OpenClaw: run `openclaw doctor --fix` with OpenClaw 2026.9.6 to migrate it";
    super(
      `Cannot open the ${label} ${path}: it is at schema version ${found}, this gateway reads ${supported}; ${fix}`,
    );
    this.name = "StateSchemaVersionError";
    this.path = path;
    this.found = found;
    this.supported = supported;
  }
}

/** A database on disk belongs to another agent (its `schema_meta` names a different one). */
export class StateSchemaOwnerError extends Error {
  constructor(label: string, path: string, owner: string | null, expected: string | null) {
    super(
      `Cannot open the ${label} ${path}: it belongs to ${owner ?? "no agent"}, not ${expected ?? "no agent"}; ` +
        "move it back to its agent's directory or remove it",
    );
    this.name = "StateSchemaOwnerError";
  }
}

function userVersion(db: DatabaseSync): number {
  return (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
}

function hasTables(db: DatabaseSync): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 1").get() !== undefined;
}

/** Creates the file (and its directory) private before SQLite does, so it never exists world-readable. */
function createPrivate(path: string): void {
  const dir = path.slice(0, path.lastIndexOf("/"));
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  Deno.openSync(path, { create: true, append: true, mode: 0o600 }).close();
}

/** Keeps the database and its WAL and shared-memory files private, as the reference does. */
export function keepPrivate(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((Deno.statSync(file).mode ?? 0) & 0o077) Deno.chmodSync(file, 0o600);
    } catch {
      // Not there (yet): SQLite creates the WAL and shared-memory files on first write.
    }
  }
}

/** Creates every table, index and trigger, the `schema_meta` row and the version, in one transaction. */
function createSchema(db: DatabaseSync, schema: SqliteSchema): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    // Another process may have created it between our check and our lock.
    if (!hasTables(db)) {
      for (const sql of schema.statements) db.exec(sql);
      for (const sql of schema.seeds) db.exec(sql);
      const now = Date.now();
      db.prepare(
        "INSERT INTO schema_meta (meta_key, role, schema_version, agent_id, app_version, created_at, updated_at) " +
          "VALUES ('primary', ?, ?, ?, ?, ?, ?)",
      ).run(schema.meta.role, schema.version, schema.meta.agentId, schema.meta.appVersion, now, now);
      db.exec(`PRAGMA user_version = ${schema.version}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** Refuses a database whose version or owner is not the one this schema describes. */
function checkSchema(db: DatabaseSync, path: string, schema: SqliteIdentity): void {
  const found = userVersion(db);
  if (found !== schema.version) throw new StateSchemaVersionError(schema.label, path, found, schema.version);
  const meta = db.prepare("SELECT role, agent_id FROM schema_meta WHERE meta_key = 'primary'").get() as
    | { role: string; agent_id: string | null }
    | undefined;
  if (meta && (meta.role !== schema.meta.role || (meta.agent_id ?? null) !== schema.meta.agentId)) {
    throw new StateSchemaOwnerError(schema.label, path, meta.agent_id, schema.meta.agentId);
  }
}

/**
 * A check an open connection must pass before anything is written through it (the shared-state ownership
 * fence); it runs after the version check and before the pragmas, which may rewrite the file header.
 */
export type AdmitConnection = (db: DatabaseSync, path: string) => void;

/** How a connection is opened beyond the schema: its admission check, and whether it only reads. */
export interface ConnectionUse {
  admit?: AdmitConnection | undefined;
  /** The caller only reads: the journal mode (written in the file header) is left as found. */
  reading?: boolean | undefined;
}

/** Checks an open database's version and owner, admits it, and sets the reference's connection pragmas. */
function prepareConnection(db: DatabaseSync, path: string, identity: SqliteIdentity, use: ConnectionUse): void {
  checkSchema(db, path, identity);
  use.admit?.(db, path);
  if (!use.reading) db.exec("PRAGMA journal_mode = WAL");
  for (const pragma of CONNECTION_PRAGMAS) db.exec(pragma);
  keepPrivate(path);
}

/**
 * Opens a database that exists and has tables, read-write, after checking its version and owner;
 * undefined when there is none yet (creating needs the DDL, which this path does not load).
 */
export function openExistingDatabase(
  path: string,
  identity: SqliteIdentity,
  use: ConnectionUse = {},
): DatabaseSync | undefined {
  try {
    if (!Deno.statSync(path).isFile) return undefined;
  } catch {
    return undefined;
  }
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    if (userVersion(db) === 0 && !hasTables(db)) {
      db.close();
      return undefined;
    }
    prepareConnection(db, path, identity, use);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a database read-write: creates it with the schema when it has no tables, checks its version and
 * owner otherwise, and sets the reference's pragmas (WAL, busy timeout), so the reference's CLI and
 * gateway can use it at the same time. Tables and rows this gateway does not use are never touched.
 */
export function openSchemaDatabase(path: string, schema: SqliteSchema, use: ConnectionUse = {}): DatabaseSync {
  const existing = openExistingDatabase(path, schema, use);
  if (existing) return existing;
  createPrivate(path);
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    if (userVersion(db) === 0 && !hasTables(db)) {
      // auto_vacuum only takes effect on an empty file, before the journal mode is written to its header.
      if ((db.prepare("PRAGMA page_count").get() as { page_count: number }).page_count === 0) {
        db.exec("PRAGMA auto_vacuum = INCREMENTAL");
      }
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      createSchema(db, schema);
    }
    prepareConnection(db, path, schema, { ...use, reading: false });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
