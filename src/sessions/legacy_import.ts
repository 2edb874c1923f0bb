// The one-time import of this gateway's earlier session layout, agents/<id>/sessions/sessions.json plus
// one <sessionId>.jsonl transcript per session, into the agent database. The directory is then renamed,
// never deleted, so it stays as the backup; and the reference's own legacy import no longer finds it.
import type { Logger } from "../log/logger.ts";
import type { AgentSessions } from "./agent_sessions.ts";
import { readTranscript } from "./transcript.ts";
import { isJsonObject } from "../log/json_object.ts";

/** What one import did. */
export interface LegacyImportReport {
  imported: number;
  messages: number;
  /** Sessions already in the database (an earlier, interrupted import): left as they are. */
  present: number;
  /** Entries that could not be imported, with the reason; their files stay in the backup. */
  problems: string[];
  /** Where the earlier layout now lives, or null when it was left in place (the index was unreadable). */
  backup: string | null;
}

/** A session id the earlier layout used as a file name. */
const SESSION_FILE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

interface LegacyEntry {
  key: string;
  sessionId: string;
  createdAt: number;
  updatedAt: number;
}

function entryOf(key: string, value: unknown): LegacyEntry | string {
  if (!isJsonObject(value)) return "not an object";
  const { sessionId, createdAt, updatedAt } = value;
  if (typeof sessionId !== "string" || !SESSION_FILE_ID.test(sessionId)) return "no valid sessionId";
  const updated = typeof updatedAt === "number" && Number.isFinite(updatedAt) ? updatedAt : Date.now();
  const created = typeof createdAt === "number" && Number.isFinite(createdAt) ? createdAt : updated;
  return { key, sessionId, createdAt: created, updatedAt: updated };
}

/** The key `openclaw doctor` gives this gateway's `sessions` wrapper, taking it for a legacy session key. */
const DOCTOR_WRAPPER_KEY = /^agent:[a-z0-9][a-z0-9_-]{0,63}:sessions$/;

/**
 * The entries of an index, and how it was found. This gateway wrote them under `sessions`. The
 * reference's shape is the flat map of session key to entry; its `openclaw doctor` (2026.9.6, seen
 * running it) rewrites our file to that shape by taking `sessions` for a legacy key: our entries then
 * sit under `agent:<id>:sessions`, next to the `delivery` field it adds. Undefined when neither.
 */
function sessionIndex(parsed: unknown): { index: Record<string, unknown>; shape: string } | undefined {
  if (!isJsonObject(parsed)) return undefined;
  if (isJsonObject(parsed.sessions) && !("sessionId" in parsed.sessions)) {
    return { index: parsed.sessions, shape: "ours" };
  }
  if ("sessions" in parsed) return undefined;
  const index: Record<string, unknown> = {};
  let shape = "flat";
  for (const [key, value] of Object.entries(parsed)) {
    if (DOCTOR_WRAPPER_KEY.test(key) && isJsonObject(value) && !("sessionId" in value)) {
      shape = `rewritten by openclaw doctor, entries under ${key}`;
      for (const [inner, entry] of Object.entries(value)) {
        if (isJsonObject(entry) && "sessionId" in entry) index[inner] ??= entry;
      }
    } else index[key] = value;
  }
  return { index, shape };
}

/** The name the earlier layout's directory is renamed to: it names the time of the import. */
export function legacyBackupDir(sessionsDir: string, at: number): string {
  return `${sessionsDir}.imported-${new Date(at).toISOString().replace(/[:.]/g, "-")}`;
}

/**
 * Imports the earlier layout of one agent when it is there (undefined when not): each session with its
 * messages in one transaction, skipping keys already present, so running it again changes nothing. An
 * unreadable index leaves everything in place and is reported; a bad entry or transcript is reported
 * and stays in the backup.
 */
export async function importLegacySessions(
  sessionsDir: string,
  sessions: AgentSessions,
  log: Logger,
): Promise<LegacyImportReport | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${sessionsDir}/sessions.json`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const report: LegacyImportReport = { imported: 0, messages: 0, present: 0, problems: [], backup: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    parsed = undefined;
    report.problems.push(`sessions.json is not valid JSON (${error instanceof Error ? error.message : error})`);
  }
  const found = sessionIndex(parsed);
  if (found === undefined) {
    if (report.problems.length === 0) report.problems.push("sessions.json has no sessions object");
    log.error(
      `cannot import the earlier session layout in ${sessionsDir}: ${report.problems[0]}; ` +
        "it stays in place: fix or move the file and restart the gateway",
    );
    return report;
  }
  const { index, shape } = found;
  if (shape !== "ours") {
    log.info(`${sessionsDir}/sessions.json is in the reference's shape (${shape}): importing its entries`);
  }
  for (const [key, value] of Object.entries(index)) {
    const entry = entryOf(key, value);
    if (typeof entry === "string") {
      report.problems.push(`${key}: ${entry}`);
      continue;
    }
    // One entry's failure (a database error, a transcript that cannot be read) costs that entry only:
    // stopping here would leave the layout in place and fail the same way at every open.
    try {
      if (sessions.get(key)) {
        report.present += 1;
        continue;
      }
      if (sessions.hasTranscript(entry.sessionId)) {
        report.problems.push(`${key}: its sessionId ${entry.sessionId} is already another session's transcript`);
        continue;
      }
      const messages = await readTranscript(`${sessionsDir}/${entry.sessionId}.jsonl`);
      if (messages === undefined) report.problems.push(`${key}: transcript ${entry.sessionId}.jsonl is missing`);
      sessions.importSession(entry, messages ?? []);
      report.imported += 1;
      report.messages += messages?.length ?? 0;
    } catch (error) {
      report.problems.push(`${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  report.backup = legacyBackupDir(sessionsDir, Date.now());
  await Deno.rename(sessionsDir, report.backup);
  log.info(
    `imported ${report.imported} sessions (${report.messages} messages) from the earlier layout; ` +
      `the old files are kept in ${report.backup}`,
  );
  for (const problem of report.problems) log.warn(`session import: ${problem} (kept in ${report.backup})`);
  return report;
}
