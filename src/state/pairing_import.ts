// One-time import of this gateway's earlier DM-pairing files (`credentials/<channel>-pairing.json`
// and `credentials/<channel>-<account>-allowFrom.json`, the reference's own legacy layout) into
// the reference's tables. Each imported file is kept as `<file>.migrated`, the reference's suffix.
import type { DatabaseSync } from "node:sqlite";
import { ConfigError } from "../config/errors.ts";

function readJson(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(
      `Cannot import the pairing store ${path}: it is not valid JSON. Fix or remove the file (senders will need to pair again)`,
      { cause: error },
    );
  }
}

function lower(value: unknown, fallback: string): string {
  return typeof value === "string" && value.trim() ? value.trim().toLowerCase() : fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "" && v !== "*") : [];
}

/** Imports one channel's legacy files, if any; the caller holds a write transaction. */
export function importLegacyChannelPairing(
  db: DatabaseSync,
  target: { stateDir: string; channel: string; key: string },
): void {
  const dir = `${target.stateDir}/credentials`;
  const pendingPath = `${dir}/${target.channel}-pairing.json`;
  const pending = readJson(pendingPath);
  if (pending) {
    const insert = db.prepare(
      "INSERT OR IGNORE INTO channel_pairing_requests (channel_key, account_id, request_id, code, created_at, last_seen_at, meta_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    for (const raw of Array.isArray(pending.requests) ? pending.requests : []) {
      const r = raw as Record<string, unknown>;
      if (typeof r.id !== "string" || typeof r.code !== "string" || typeof r.createdAt !== "string") continue;
      const meta = (typeof r.meta === "object" && r.meta !== null ? r.meta : {}) as Record<string, unknown>;
      const accountId = lower(r.accountId ?? meta.accountId, "default");
      const lastSeen = typeof r.lastSeenAt === "string" ? r.lastSeenAt : r.createdAt;
      insert.run(target.key, accountId, r.id, r.code, r.createdAt, lastSeen, JSON.stringify({ ...meta, accountId }));
    }
    Deno.renameSync(pendingPath, `${pendingPath}.migrated`);
  }
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const prefix = `${target.channel}-`;
  const suffix = "-allowFrom.json";
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    const accountId = lower(name.slice(prefix.length, -suffix.length), "default");
    const path = `${dir}/${name}`;
    const entries = strings(readJson(path)?.allowFrom);
    const insert = db.prepare(
      "INSERT OR IGNORE INTO channel_pairing_allow_entries (channel_key, account_id, entry, sort_order, updated_at) VALUES (?, ?, ?, ?, ?)",
    );
    entries.forEach((entry, index) => insert.run(target.key, accountId, entry, index, Date.now()));
    Deno.renameSync(path, `${path}.migrated`);
  }
}
