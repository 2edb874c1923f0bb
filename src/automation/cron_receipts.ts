// Run receipts (`cron_run_receipts`), the reference's durable fence against running one job twice:
// one `running` row per job (a unique index), naming the owning process by pid and start time so
// the other gateway can tell a live owner from a dead one. Terminal rows are kept 64 per job.
import type { DatabaseSync } from "node:sqlite";
import { startTimeOfStat } from "../state/process_probe.ts";

/** Terminal receipts kept per job (the reference's CRON_RUN_RECEIPT_TERMINAL_RETENTION). */
export const RECEIPT_TERMINAL_RETENTION = 64;
/** After this long a receipt whose owner cannot be verified is taken as abandoned (2 h, the reference's). */
export const CRON_STUCK_RUN_MS = 7_200_000;
/** The reference's words for a receipt reclaimed from an owner that is gone. */
export const OWNER_UNAVAILABLE_ERROR = "cron: job interrupted because owner is unavailable";

/** A process as receipts name it: pid and kernel start time (`/proc/<pid>/stat` field 22). */
export interface ProcessIdentity {
  pid: number;
  startTime: number | null;
}

/**
 * `/proc/<pid>/stat` of a process: its text, "gone" when there is no such process, undefined when
 * that cannot be told (not Linux, or unreadable). Deno lets only `--allow-all` read `/proc/<pid>`
 * directly; the gateway runs with `--allow-run`, so it asks `cat` (a few ms, on receipts of other
 * processes and once for its own start time).
 */
function procStat(pid: number): string | "gone" | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return "gone";
  if (Deno.build.os !== "linux") return undefined;
  const path = `/proc/${pid}/stat`;
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "gone";
  }
  try {
    // LC_ALL=C: the "No such file" below is cat's English message; in the user's language it would not
    // match, and a dead owner would hold its job for CRON_STUCK_RUN_MS.
    const out = new Deno.Command("cat", { args: [path], stdout: "piped", stderr: "piped", env: { LC_ALL: "C" } })
      .outputSync();
    if (out.success) return new TextDecoder().decode(out.stdout);
    return /No such file/.test(new TextDecoder().decode(out.stderr)) ? "gone" : undefined;
  } catch {
    return undefined;
  }
}

/** A process's start time in clock ticks since boot (`/proc/<pid>/stat` field 22), as the reference reads it; null where unknown. */
export function processStartTime(pid: number): number | null {
  return startTimeIn(procStat(pid));
}

function startTimeIn(stat: string | undefined): number | null {
  if (stat === undefined || stat === "gone") return null;
  return startTimeOfStat(stat) ?? null;
}

/** One `cron_run_receipts` row. */
export interface ReceiptRow {
  "receipt_id": string;
  "job_id": string;
  "request_run_id": string | null;
  "owner_pid": number;
  "owner_start_time": number | null;
  "started_at_ms": number;
}

/**
 * Whether a running receipt's owner is gone: another pid that no longer exists or has restarted
 * (start time differs), our own pid on a receipt this process did not take (a previous life of the
 * pid), or an owner that cannot be checked and started more than {@link CRON_STUCK_RUN_MS} ago.
 */
export function receiptOwnerStale(
  row: ReceiptRow,
  self: ProcessIdentity,
  ownedHere: ReadonlySet<string>,
  nowMs: number,
): boolean {
  const pid = Number(row.owner_pid);
  if (pid === self.pid) return !ownedHere.has(row.receipt_id);
  const stat = procStat(pid);
  if (stat === "gone") return true;
  const observed = startTimeIn(stat);
  const recorded = row.owner_start_time === null ? null : Number(row.owner_start_time);
  if (recorded !== null && observed !== null) return recorded !== observed;
  return nowMs - Number(row.started_at_ms) > CRON_STUCK_RUN_MS;
}

/** The running receipt of a job, if any. */
export function activeReceipt(db: DatabaseSync, storeKey: string, jobId: string): ReceiptRow | undefined {
  return db.prepare(
    "SELECT receipt_id, job_id, request_run_id, owner_pid, owner_start_time, started_at_ms FROM cron_run_receipts " +
      "WHERE store_key = ? AND job_id = ? AND status = 'running'",
  ).get(storeKey, jobId) as ReceiptRow | undefined;
}

/** Every running receipt in a store partition. */
export function activeReceipts(db: DatabaseSync, storeKey: string): ReceiptRow[] {
  return db.prepare(
    "SELECT receipt_id, job_id, request_run_id, owner_pid, owner_start_time, started_at_ms FROM cron_run_receipts " +
      "WHERE store_key = ? AND status = 'running'",
  ).all(storeKey) as unknown as ReceiptRow[];
}

/** Ends a running receipt (`ok`/`error`/`skipped`/`interrupted`); a no-op when it is not running. */
export function finishReceipt(
  db: DatabaseSync,
  receiptId: string,
  end: { status: "ok" | "error" | "skipped" | "interrupted"; finishedAtMs: number; error?: string | undefined },
): void {
  db.prepare(
    "UPDATE cron_run_receipts SET status = ?, finished_at_ms = ?, error_text = ? WHERE receipt_id = ? AND status = 'running'",
  ).run(end.status, end.finishedAtMs, end.error ?? null, receiptId);
}

/** Keeps the newest {@link RECEIPT_TERMINAL_RETENTION} terminal receipts of a job, as the reference does. */
export function pruneTerminalReceipts(db: DatabaseSync, storeKey: string, jobId: string): void {
  db.prepare(
    `DELETE FROM cron_run_receipts WHERE receipt_id IN (
       SELECT receipt_id FROM cron_run_receipts WHERE store_key = ? AND job_id = ? AND status != 'running'
       ORDER BY finished_at_ms DESC, started_at_ms DESC, receipt_id DESC LIMIT -1 OFFSET ?)`,
  ).run(storeKey, jobId, RECEIPT_TERMINAL_RETENTION);
}

/** Inserts a `running` receipt; the unique index refuses a second one for the same job. */
export function insertReceipt(
  db: DatabaseSync,
  receipt: {
    receiptId: string;
    storeKey: string;
    jobId: string;
    configRevision: string;
    agentId: string;
    requestRunId: string | null;
    owner: ProcessIdentity;
    startedAtMs: number;
  },
): void {
  db.prepare(
    `INSERT INTO cron_run_receipts (receipt_id, store_key, job_id, config_revision, agent_id, request_run_id, status,
       owner_pid, owner_start_time, started_at_ms, finished_at_ms, error_text)
     VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, NULL, NULL)`,
  ).run(
    receipt.receiptId,
    receipt.storeKey,
    receipt.jobId,
    receipt.configRevision,
    receipt.agentId,
    receipt.requestRunId,
    receipt.owner.pid,
    receipt.owner.startTime,
    receipt.startedAtMs,
  );
}
