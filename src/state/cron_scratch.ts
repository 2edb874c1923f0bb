// A cron job's private scratch (the reference's `cron_job_scratch` rows): text kept beside a job, never in
// its public state, read and replaced whole with a revision that guards concurrent edits. The reference's
// heartbeat monitor (the job `heartbeat:<agentId>` with the `heartbeat` payload) keeps its checklist there.
import type { DatabaseSync } from "node:sqlite";
import { immediate } from "./immediate.ts";

/** The largest cron job scratch, in UTF-8 bytes (the reference's cap, also its table's CHECK). */
export const CRON_SCRATCH_MAX_BYTES = 262_144;

/** One job's scratch now; `currentRevision` 0 and no `scratch` when there never was one. */
export interface CronScratchState {
  currentRevision: number;
  scratch?: { content: string; revision: number; sourceSha256?: string; updatedAtMs: number };
}

/** A write's outcome: the new state, or a refusal because the revision moved (or the job is gone). */
export type CronScratchWrite =
  | ({ ok: true } & CronScratchState)
  | { ok: false; reason: "revision-conflict"; currentRevision: number };

/** A scratch write on a cron store that keeps no scratch (a store without the state database's table). */
export class CronScratchUnavailableError extends Error {
  constructor(jobId: string) {
    super(
      `Cannot write the scratch of cron job ${jobId}: this cron store keeps no scratch; use the gateway's state database`,
    );
    this.name = "CronScratchUnavailableError";
  }
}

/** Refused scratch text (over the cap). */
export class CronScratchTooLargeError extends Error {
  constructor(bytes: number) {
    super(`cron scratch exceeds ${CRON_SCRATCH_MAX_BYTES} bytes (${bytes} bytes provided)`);
    this.name = "CronScratchTooLargeError";
  }
}

interface ScratchRow {
  content: string | null;
  revision: number;
  "source_sha256": string | null;
  "updated_at_ms": number;
}

function stateOf(row: ScratchRow | undefined): CronScratchState {
  if (!row) return { currentRevision: 0 };
  const revision = Number(row.revision);
  if (row.content === null) return { currentRevision: revision };
  return {
    currentRevision: revision,
    scratch: {
      content: row.content,
      revision,
      ...row.source_sha256 ? { sourceSha256: row.source_sha256 } : {},
      updatedAtMs: Number(row.updated_at_ms),
    },
  };
}

/** One job's scratch state in the store `storeKey`. */
export function readCronScratch(db: DatabaseSync, storeKey: string, jobId: string): CronScratchState {
  const row = db.prepare(
    "SELECT content, revision, source_sha256, updated_at_ms FROM cron_job_scratch WHERE store_key = ? AND job_id = ?",
  ).get(storeKey, jobId) as ScratchRow | undefined;
  return stateOf(row);
}

/**
 * Replaces (or with `content` null, clears) a job's scratch in one immediate transaction, as the reference
 * writes it: refused when the job is gone or `expectedRevision` is not the current revision; each change takes
 * the next revision (a clear keeps a row with no content, so revisions never repeat).
 */
export function writeCronScratch(
  db: DatabaseSync,
  storeKey: string,
  write: { jobId: string; content: string | null; expectedRevision?: number | undefined; nowMs: number },
): CronScratchWrite {
  if (write.content !== null) {
    const bytes = new TextEncoder().encode(write.content).length;
    if (bytes > CRON_SCRATCH_MAX_BYTES) throw new CronScratchTooLargeError(bytes);
  }
  return immediate(db, () => writeInTransaction(db, storeKey, write));
}

function writeInTransaction(
  db: DatabaseSync,
  storeKey: string,
  write: { jobId: string; content: string | null; expectedRevision?: number | undefined; nowMs: number },
): CronScratchWrite {
  const job = db.prepare("SELECT 1 AS one FROM cron_jobs WHERE store_key = ? AND job_id = ?").get(
    storeKey,
    write.jobId,
  );
  const current = readCronScratch(db, storeKey, write.jobId).currentRevision;
  if (!job || (write.expectedRevision !== undefined && write.expectedRevision !== current)) {
    return { ok: false, reason: "revision-conflict", currentRevision: current };
  }
  if (write.content === null && current === 0) return { ok: true, currentRevision: 0 };
  const revision = current + 1;
  db.prepare("DELETE FROM cron_job_scratch WHERE store_key = ? AND job_id = ?").run(storeKey, write.jobId);
  db.prepare(
    "INSERT INTO cron_job_scratch (store_key, job_id, content, revision, updated_at_ms) VALUES (?, ?, ?, ?, ?)",
  ).run(storeKey, write.jobId, write.content, revision, write.nowMs);
  if (write.content === null) return { ok: true, currentRevision: revision };
  return {
    ok: true,
    currentRevision: revision,
    scratch: { content: write.content, revision, updatedAtMs: write.nowMs },
  };
}

/**
 * The reference's heartbeat monitor of `agentId` in the store and its scratch text: undefined when there is
 * no monitor row (the agent's heartbeat then reads its workspace's `HEARTBEAT.md`); `content` undefined when
 * the monitor has no scratch.
 */
export function readHeartbeatMonitor(
  db: DatabaseSync,
  storeKey: string,
  agentId: string,
): { jobId: string; content: string | undefined } | undefined {
  const row = db.prepare(
    "SELECT j.job_id AS job_id, s.content AS content FROM cron_jobs j LEFT JOIN cron_job_scratch s " +
      "ON s.store_key = j.store_key AND s.job_id = j.job_id " +
      "WHERE j.store_key = ? AND j.declaration_key = ? AND j.payload_kind = 'heartbeat'",
  ).get(storeKey, `heartbeat:${agentId}`) as { job_id: string; content: string | null } | undefined;
  return row ? { jobId: row.job_id, content: row.content ?? undefined } : undefined;
}
