// The manifest of one `backup sqlite` snapshot directory (`manifest.json` beside
// `database.sqlite`), with the reference's strict shape and words: exactly these fields, the id
// matching its directory, a canonical timestamp, the database's role/owner/user_version and the
// artifact's SHA-256 and size.
import { basename } from "node:path";

/** Which database a snapshot holds. */
export type SnapshotDatabase =
  | { role: "global"; basename: string; userVersion: number }
  | { role: "agent"; agentId: string; basename: string; userVersion: number };

/** A parsed snapshot manifest. */
export interface SnapshotManifest {
  schemaVersion: 1;
  snapshotId: string;
  createdAt: string;
  database: SnapshotDatabase;
  artifact: { path: "database.sqlite"; sha256: string; sizeBytes: number };
}

/** The reference's manifest size limit. */
export const SNAPSHOT_MANIFEST_MAX_BYTES = 1_048_576;

const ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,254}$/;
const SHA256 = /^[a-f0-9]{64}$/;
const AGENT = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A new snapshot id: the ISO time with `:` and `.` replaced, then a UUID. */
export function snapshotId(now: Date): string {
  return `${now.toISOString().replaceAll(/[:.]/g, "-")}-${crypto.randomUUID()}`;
}

/** `global` or `agent:<id>`, as the reference prints a snapshot's database. */
export function databaseLabel(database: SnapshotDatabase): string {
  return database.role === "global" ? "global" : `agent:${database.agentId}`;
}

function record(value: unknown, field: string, where: string): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`Snapshot manifest ${field} must be an object: ${where}`);
  }
  return value as Record<string, unknown>;
}

function exactKeys(value: Record<string, unknown>, keys: string[]): void {
  const actual = Object.keys(value).sort();
  const expected = [...keys].sort();
  if (actual.length !== expected.length || actual.some((key, i) => key !== expected[i])) {
    throw new Error(`Snapshot manifest fields must be exactly ${keys.join(", ")}; got ${actual.join(", ")}`);
  }
}

/** True when `value` holds an ASCII control character (refused in manifest text). */
function hasControl(value: string): boolean {
  return [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
}

function safeText(value: unknown, field: string, where: string, max: number): string {
  if (
    typeof value !== "string" || !value || value.length > max || value.trim() !== value || hasControl(value)
  ) {
    throw new Error(`Snapshot manifest ${field} is invalid: ${where}`);
  }
  return value;
}

function database(value: unknown, where: string): SnapshotDatabase {
  const db = record(value, "database", where);
  const name = safeText(db.basename, "database.basename", where, 255);
  if (basename(name) !== name || name === "." || name === "..") {
    throw new Error(`Snapshot manifest database.basename is invalid: ${where}`);
  }
  const userVersion = db.userVersion;
  if (!Number.isSafeInteger(userVersion) || Number(userVersion) < -2147483648 || Number(userVersion) > 2147483647) {
    throw new Error(`Snapshot manifest database.userVersion is invalid: ${where}`);
  }
  if (db.role === "global") {
    exactKeys(db, ["role", "basename", "userVersion"]);
    return { role: "global", basename: name, userVersion: Number(userVersion) };
  }
  if (db.role === "agent") {
    exactKeys(db, ["role", "agentId", "basename", "userVersion"]);
    const agentId = safeText(db.agentId, "database.agentId", where, 64);
    if (!AGENT.test(agentId)) throw new Error(`Snapshot manifest database.agentId is invalid: ${where}`);
    return { role: "agent", agentId, basename: name, userVersion: Number(userVersion) };
  }
  throw new Error(`Snapshot manifest database.role is invalid: ${where}`);
}

/** Parses manifest JSON text read from `where`, whose directory is named `expectedId`. */
export function parseSnapshotManifest(text: string, where: string, expectedId: string): SnapshotManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`Snapshot manifest is not valid JSON: ${where}`, { cause });
  }
  const value = record(parsed, "manifest", where);
  exactKeys(value, ["schemaVersion", "snapshotId", "createdAt", "database", "artifact"]);
  if (value.schemaVersion !== 1) {
    throw new Error(`Unsupported snapshot manifest schemaVersion ${String(value.schemaVersion)}: ${where}`);
  }
  if (typeof value.snapshotId !== "string" || !ID.test(value.snapshotId)) {
    throw new Error(`Snapshot manifest snapshotId is invalid: ${where}`);
  }
  if (value.snapshotId !== expectedId) {
    throw new Error(`Snapshot manifest id ${value.snapshotId} does not match directory ${expectedId}: ${where}`);
  }
  if (typeof value.createdAt !== "string") throw new Error(`Snapshot manifest createdAt is invalid: ${where}`);
  const at = new Date(value.createdAt);
  if (!Number.isFinite(at.getTime()) || at.toISOString() !== value.createdAt) {
    throw new Error(`Snapshot manifest createdAt is not canonical ISO 8601: ${where}`);
  }
  const db = database(value.database, where);
  const artifact = record(value.artifact, "artifact", where);
  exactKeys(artifact, ["path", "sha256", "sizeBytes"]);
  if (artifact.path !== "database.sqlite") {
    throw new Error(`Snapshot manifest artifact.path must be database.sqlite: ${where}`);
  }
  if (typeof artifact.sha256 !== "string" || !SHA256.test(artifact.sha256)) {
    throw new Error(`Snapshot manifest artifact.sha256 is invalid: ${where}`);
  }
  if (!Number.isSafeInteger(artifact.sizeBytes) || Number(artifact.sizeBytes) <= 0) {
    throw new Error(`Snapshot manifest artifact.sizeBytes is invalid: ${where}`);
  }
  return {
    schemaVersion: 1,
    snapshotId: value.snapshotId,
    createdAt: value.createdAt,
    database: db,
    artifact: { path: "database.sqlite", sha256: artifact.sha256, sizeBytes: Number(artifact.sizeBytes) },
  };
}
