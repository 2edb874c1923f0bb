// One-time import of this gateway's earlier DM-pairing files (`credentials/<channel>-pairing.json`
// and `credentials/<channel>-<account>-allowFrom.json`, the reference's own legacy layout) into
// the reference's tables. Each imported file is kept as `<file>.migrated`, the reference's suffix.
// Files are read and parsed first, inserted in one transaction, and renamed only after it commits:
// a rename inside a transaction that rolls back would lose the file's rows for good.
import type { DatabaseSync } from "node:sqlite";

/** One legacy file read and parsed, ready to insert. */
interface ParsedFile {
  path: string;
  /** Rows of `channel_pairing_requests` (pending file) or `channel_pairing_allow_entries` (allowFrom file). */
  requests?: unknown[];
  allow?: { accountId: string; entries: string[] };
}

/** The legacy files of one channel: those that parsed, and a reason for each that did not (left in place). */
export interface LegacyChannelPairing {
  files: ParsedFile[];
  problems: string[];
}

function readJson(path: string, problems: string[]): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    problems.push(`cannot read ${path} (${error instanceof Error ? error.message : error}); it stays in place`);
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    problems.push(`cannot import the pairing store ${path}: it is not a JSON object; fix or remove the file`);
  } catch {
    problems.push(
      `cannot import the pairing store ${path}: it is not valid JSON; fix or remove the file (senders will need to pair again)`,
    );
  }
  return undefined;
}

function lower(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() ? value.trim().toLowerCase() : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "" && v !== "*") : [];
}

/** Reads and parses one channel's legacy files, touching nothing; a file that cannot be parsed is a problem. */
export function readLegacyChannelPairing(stateDir: string, channel: string): LegacyChannelPairing {
  const dir = `${stateDir}/credentials`;
  const result: LegacyChannelPairing = { files: [], problems: [] };
  const pendingPath = `${dir}/${channel}-pairing.json`;
  const pending = readJson(pendingPath, result.problems);
  if (pending) {
    result.files.push({ path: pendingPath, requests: Array.isArray(pending.requests) ? pending.requests : [] });
  }
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      result.problems.push(`cannot list ${dir} (${error instanceof Error ? error.message : error})`);
    }
  }
  const prefix = `${channel}-`;
  const suffix = "-allowFrom.json";
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    const path = `${dir}/${name}`;
    const parsed = readJson(path, result.problems);
    if (!parsed) continue;
    const accountId = lower(name.slice(prefix.length, -suffix.length), "default");
    result.files.push({ path, allow: { accountId, entries: strings(parsed.allowFrom) } });
  }
  return result;
}

/** Inserts what was read (rows already there are kept); the caller holds a write transaction. */
export function insertLegacyChannelPairing(db: DatabaseSync, key: string, legacy: LegacyChannelPairing): void {
  const request = db.prepare(
    "INSERT OR IGNORE INTO channel_pairing_requests (channel_key, account_id, request_id, code, created_at, last_seen_at, meta_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const allow = db.prepare(
    "INSERT OR IGNORE INTO channel_pairing_allow_entries (channel_key, account_id, entry, sort_order, updated_at) VALUES (?, ?, ?, ?, ?)",
  );
  for (const file of legacy.files) {
    for (const raw of file.requests ?? []) {
      const r = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
      if (typeof r.id !== "string" || typeof r.code !== "string" || typeof r.createdAt !== "string") continue;
      const meta = (typeof r.meta === "object" && r.meta !== null ? r.meta : {}) as Record<string, unknown>;
      const accountId = lower(r.accountId ?? meta.accountId, "default");
      const lastSeen = typeof r.lastSeenAt === "string" ? r.lastSeenAt : r.createdAt;
      request.run(key, accountId, r.id, r.code, r.createdAt, lastSeen, JSON.stringify({ ...meta, accountId }));
    }
    file.allow?.entries.forEach((entry, index) => allow.run(key, file.allow!.accountId, entry, index, Date.now()));
  }
}

/**
 * Renames every imported file to `<file>.migrated`, after the rows are committed; a rename that fails is
 * a problem (the file is imported again next time, which the INSERT OR IGNORE makes harmless).
 */
export function markLegacyChannelPairingImported(legacy: LegacyChannelPairing): string[] {
  const problems: string[] = [];
  for (const file of legacy.files) {
    try {
      Deno.renameSync(file.path, `${file.path}.migrated`);
    } catch (error) {
      problems.push(
        `imported ${file.path} but cannot rename it to .migrated (${error instanceof Error ? error.message : error})`,
      );
    }
  }
  return problems;
}
