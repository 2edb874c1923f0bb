// An in-memory CronStore for scheduler tests: the contract's behaviour without SQLite.
import type { CronJob, CronJobState, CronRunLogEntry, CronRunsQuery } from "../../src/agent/cron_control.ts";
import type { CronStore, InterruptedRun } from "../../src/automation/cron_store.ts";

/** Jobs and runs in maps; `running` receipts survive a "restart" (a new service over the same store). */
export class MemoryCronStore implements CronStore {
  jobs = new Map<string, CronJob>();
  receipts = new Map<string, { runId: string; jobId: string; agentId: string; startedAtMs: number; status: string }>();
  entries: CronRunLogEntry[] = [];

  loadJobs(): CronJob[] {
    return [...this.jobs.values()].map((job) => structuredClone(job));
  }
  *iterateJobs(): Generator<CronJob> {
    for (const job of this.jobs.values()) yield structuredClone(job);
  }
  getJob(jobId: string): CronJob | undefined {
    const job = this.jobs.get(jobId);
    return job ? structuredClone(job) : undefined;
  }
  saveJob(job: CronJob): void {
    this.jobs.set(job.id, structuredClone(job));
  }
  saveState(jobId: string, state: CronJobState): void {
    const job = this.jobs.get(jobId);
    if (job) job.state = structuredClone(state);
  }
  deleteJob(jobId: string): void {
    this.jobs.delete(jobId);
    for (const [id, receipt] of this.receipts) if (receipt.jobId === jobId) this.receipts.delete(id);
    this.entries = this.entries.filter((entry) => entry.jobId !== jobId);
  }
  startRun(run: { runId: string; jobId: string; agentId: string; startedAtMs: number }): void {
    this.receipts.set(run.runId, { ...run, status: "running" });
  }
  finishRun(runId: string, entry: CronRunLogEntry): void {
    const receipt = this.receipts.get(runId);
    if (receipt) receipt.status = entry.status ?? "ok";
    this.entries.push(structuredClone(entry));
  }
  takeInterruptedRuns(): InterruptedRun[] {
    const out: InterruptedRun[] = [];
    for (const receipt of this.receipts.values()) {
      if (receipt.status !== "running") continue;
      receipt.status = "interrupted";
      out.push({ runId: receipt.runId, jobId: receipt.jobId, startedAtMs: receipt.startedAtMs });
    }
    return out;
  }
  listRuns(query: CronRunsQuery): { entries: CronRunLogEntry[]; total: number } {
    let entries = this.entries.filter((entry) => !query.jobId || entry.jobId === query.jobId);
    if (query.statuses) entries = entries.filter((entry) => query.statuses!.includes(entry.status ?? "ok"));
    entries = entries.toSorted((a, b) => query.sortDir === "asc" ? a.ts - b.ts : b.ts - a.ts);
    return { entries: entries.slice(query.offset, query.offset + query.limit), total: entries.length };
  }
}
