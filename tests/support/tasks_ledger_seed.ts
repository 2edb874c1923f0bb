// The task ledger the `openclaw tasks` recordings were made on: rows shaped as our gateway writes them
// (agent runs, runtime `cli`; cron runs, runtime `cron`) plus hand-made ones for the states a short test
// cannot reach (lost, stale, blocked, failed delivery, an active task with an end) and TaskFlows. Every
// time is relative to `now`, so tools/record_tasks_cli.ts can seed the reference's database right before
// each command and the unit tests can seed ours with the same `now` and compare.
import type { DatabaseSync } from "node:sqlite";

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const WEEK = 7 * D;

type Cell = string | number | null;

/** The columns a seeded task row sets (the rest stay NULL). */
interface SeedTask {
  "task_id": string;
  runtime: string;
  "task_kind"?: string;
  "source_id"?: string;
  "requester_session_key"?: string;
  "owner_key": string;
  "scope_kind": string;
  "child_session_key"?: string;
  "parent_flow_id"?: string;
  "agent_id"?: string;
  "requester_agent_id"?: string;
  "run_id"?: string;
  label?: string;
  task: string;
  status: string;
  "delivery_status"?: string;
  "notify_policy"?: string;
  "created_at": number;
  "started_at"?: number;
  "ended_at"?: number;
  "last_event_at"?: number;
  "cleanup_after"?: number;
  error?: string;
  "progress_summary"?: string;
  "terminal_summary"?: string;
  "terminal_outcome"?: string;
  "detail_json"?: string;
}

/** An agent run as recordAgentTask (src/rpc/methods/tasks.ts) writes it. */
function agentRun(
  id: string,
  runId: string,
  task: string,
  startedAt: number,
  end?: { status: string; at: number; error?: string; summary?: string; cleanup?: boolean },
): SeedTask {
  return {
    "task_id": id,
    runtime: "cli",
    "source_id": runId,
    "requester_session_key": "agent:main:main",
    "owner_key": "agent:main:main",
    "scope_kind": "session",
    "child_session_key": "agent:main:main",
    "agent_id": "main",
    "requester_agent_id": "main",
    "run_id": runId,
    task,
    status: end?.status ?? "running",
    "delivery_status": "not_applicable",
    "notify_policy": "silent",
    "created_at": startedAt,
    "started_at": startedAt,
    "last_event_at": end?.at ?? startedAt,
    ...(end ? { ended_at: end.at } : {}),
    ...(end && end.cleanup !== false ? { cleanup_after: end.at + WEEK } : {}),
    ...(end?.error ? { error: end.error } : {}),
    ...(end?.summary ? { terminal_summary: end.summary } : {}),
  };
}

/** A cron run as cron_run_history.ts writes it (started, and finalized when it ended). */
function cronRun(
  id: string,
  runId: string,
  startedAt: number,
  end?: { status: string; at: number; error?: string; summary?: string },
): SeedTask {
  const detail = end
    ? {
      kind: "cron-run",
      status: end.status === "succeeded" ? "ok" : "error",
      completionStatus: end.status === "succeeded" ? "succeeded" : "failed",
      error: end.error ?? null,
      summary: end.summary ?? null,
      storeKey: "default",
      runAtMs: startedAt,
      durationMs: end.at - startedAt,
    }
    : { storeKey: "default" };
  return {
    "task_id": id,
    runtime: "cron",
    "task_kind": "automation_run",
    "source_id": "job-digest",
    "requester_session_key": "",
    "owner_key": "",
    "scope_kind": "system",
    "agent_id": "main",
    "run_id": runId,
    label: "Morning digest",
    task: "Morning digest",
    status: end?.status ?? "running",
    "delivery_status": "not_applicable",
    "notify_policy": "silent",
    "created_at": startedAt,
    "started_at": startedAt,
    "last_event_at": end?.at ?? startedAt,
    ...(end ? { ended_at: end.at, cleanup_after: end.at + WEEK } : { progress_summary: "Running automation." }),
    ...(end?.error ? { error: end.error } : {}),
    ...(end?.summary ? { terminal_summary: end.summary } : {}),
    ...(end?.status === "succeeded" ? { terminal_outcome: "succeeded" } : {}),
    "detail_json": JSON.stringify(detail),
  };
}

/** The seeded tasks, by the names the recordings use. */
export function seedTasks(now: number): SeedTask[] {
  return [
    agentRun("task-cli-ok", "run-ok-1", "Summarize the inbox", now - 2 * D - 3 * H - 10 * M, {
      status: "succeeded",
      at: now - 2 * D - 3 * H - 9 * M,
      summary: "completed",
    }),
    agentRun("task-cli-live", "run-live-1", "Draft the weekly report", now - 20 * S),
    agentRun("task-cli-stale", "run-stale-1", "Reindex the notes", now - 2 * D - 5 * H - 30 * M),
    agentRun("task-cli-failed", "run-failed-1", "Translate the changelog", now - D - 2 * H - 40 * M, {
      status: "failed",
      at: now - D - 2 * H - 30 * M,
      error: "upstream returned 500: Internal Server Error",
    }),
    agentRun("task-cli-nocleanup", "run-nocleanup-1", "Tidy the calendar", now - 3 * D - 4 * H - 20 * M, {
      status: "succeeded",
      at: now - 3 * D - 4 * H - 15 * M,
      summary: "completed",
      cleanup: false,
    }),
    agentRun("task-cli-old", "run-old-1", "Archive last month", now - 9 * D - 6 * H, {
      status: "succeeded",
      at: now - 9 * D - 6 * H + 30 * S,
      summary: "completed",
    }),
    {
      ...agentRun("task-cli-cancelled", "run-cancelled-1", "Rename the photos", now - 5 * H - 30 * M, {
        status: "cancelled",
        at: now - 5 * H - 29 * M,
      }),
    },
    cronRun("task-cron-ok", "cron:job-digest:1", now - D - 7 * H - 20 * M, {
      status: "succeeded",
      at: now - D - 7 * H - 19 * M,
      summary: "Digest sent to #general",
    }),
    cronRun("task-cron-timeout", "cron:job-digest:2", now - 4 * H - 45 * M, {
      status: "timed_out",
      at: now - 4 * H - 35 * M,
      error: "cron: job execution timed out",
    }),
    cronRun("task-cron-live", "cron:job-digest:3", now - 3 * H - 15 * M),
    {
      ...agentRun("task-lost-retained", "run-lost-1", "Watch the build", now - 6 * H - 30 * M),
      status: "lost",
      "ended_at": now - 6 * H - 20 * M,
      "last_event_at": now - 6 * H - 20 * M,
      "cleanup_after": now - 6 * H - 20 * M + WEEK,
      error: "owning process exited",
    },
    {
      ...agentRun("task-lost-expired", "run-lost-2", "Poll the mailbox", now - 3 * D - 2 * H - 30 * M),
      status: "lost",
      "ended_at": now - 3 * D - 2 * H - 20 * M,
      "last_event_at": now - 3 * D - 2 * H - 20 * M,
      "cleanup_after": now - 2 * D - 2 * H - 20 * M,
    },
    {
      ...agentRun("task-queued-stale", "run-queued-1", "Resize the images", now - H - 20 * M - 10 * S),
      status: "queued",
      "started_at": undefined,
      "last_event_at": undefined,
    },
    {
      ...agentRun("task-blocked", "run-blocked-1", "Deploy the site", now - 7 * H - 50 * M, {
        status: "succeeded",
        at: now - 7 * H - 45 * M,
        summary: "Needs approval to run exec",
      }),
      "terminal_outcome": "blocked",
      label: "Deploy",
    },
    {
      ...agentRun("task-delivery-failed", "run-delivery-1", "Send the invoice", now - 10 * H - 10 * M, {
        status: "succeeded",
        at: now - 10 * H - 5 * M,
        summary: "Invoice sent",
      }),
      "delivery_status": "failed",
      "notify_policy": "done_only",
    },
    {
      ...agentRun("task-active-ended", "run-active-ended-1", "Check the backups", now - 50 * S),
      "ended_at": now - 30 * S,
      "last_event_at": now - 30 * S,
      "progress_summary": "Checking snapshot 3 of 5",
    },
    {
      ...agentRun("task-flow-step", "run-flow-step-1", "Collect the release notes", now - 8 * M - 30 * S),
      "parent_flow_id": "flow-release",
      "progress_summary": "Reading merged pull requests",
    },
  ];
}

/** The columns a seeded flow row sets. */
interface SeedFlow {
  "flow_id": string;
  "sync_mode": string;
  "owner_key": string;
  "controller_id"?: string;
  revision: number;
  status: string;
  "notify_policy": string;
  goal: string;
  "current_step"?: string;
  "blocked_task_id"?: string;
  "blocked_summary"?: string;
  "wait_json"?: string;
  "cancel_requested_at"?: number;
  "created_at": number;
  "updated_at": number;
  "ended_at"?: number;
}

/** The seeded TaskFlows. */
export function seedFlows(now: number): SeedFlow[] {
  return [
    {
      "flow_id": "flow-stuck",
      "sync_mode": "managed",
      "owner_key": "agent:main:main",
      "controller_id": "tests/stuck-controller",
      revision: 4,
      status: "running",
      "notify_policy": "state_changes",
      goal: "Migrate the wiki",
      "current_step": "copy pages",
      "created_at": now - 2 * H - 30 * M,
      "updated_at": now - 2 * H - 10 * M,
    },
    {
      "flow_id": "flow-waiting",
      "sync_mode": "managed",
      "owner_key": "agent:main:work",
      "controller_id": "tests/approval-controller",
      revision: 2,
      status: "waiting",
      "notify_policy": "done_only",
      goal: "Publish the newsletter",
      "current_step": "await approval",
      "wait_json": JSON.stringify({ kind: "approval", approver: "ops" }),
      "created_at": now - 2 * H,
      "updated_at": now - H - 40 * M - 10 * S,
    },
    {
      "flow_id": "flow-blocked",
      "sync_mode": "managed",
      "owner_key": "agent:main:review",
      revision: 3,
      status: "blocked",
      "notify_policy": "state_changes",
      goal: "Review the contract",
      "blocked_task_id": "task-gone",
      "blocked_summary": "waiting on legal review",
      "created_at": now - D - 3 * H,
      "updated_at": now - D - 2 * H - 30 * M,
    },
    {
      "flow_id": "flow-done-old",
      "sync_mode": "task_mirrored",
      "owner_key": "agent:main:main",
      revision: 1,
      status: "succeeded",
      "notify_policy": "done_only",
      goal: "Import contacts",
      "created_at": now - 8 * D - 2 * H,
      "updated_at": now - 8 * D - H,
      "ended_at": now - 8 * D - H,
    },
    {
      "flow_id": "flow-release",
      "sync_mode": "managed",
      "owner_key": "agent:main:release",
      "controller_id": "tests/release-controller",
      revision: 5,
      status: "running",
      "notify_policy": "state_changes",
      goal: "Prepare the release",
      "current_step": "collect notes",
      "cancel_requested_at": now - 6 * M,
      "created_at": now - 9 * M,
      "updated_at": now - 6 * M,
    },
    {
      "flow_id": "flow-fresh",
      "sync_mode": "managed",
      "owner_key": "agent:main:ops",
      "controller_id": "tests/ops-controller",
      revision: 0,
      status: "queued",
      "notify_policy": "silent",
      goal: "Rotate the API keys",
      "created_at": now - 40 * S,
      "updated_at": now - 40 * S,
    },
  ];
}

function insert(db: DatabaseSync, table: string, row: Record<string, Cell | undefined>): void {
  const entries = Object.entries(row).filter((entry): entry is [string, Cell] => entry[1] !== undefined);
  db.prepare(
    `INSERT INTO ${table} (${entries.map(([key]) => key).join(", ")}) VALUES (${entries.map(() => "?").join(", ")})`,
  ).run(...entries.map(([, value]) => value));
}

/** Writes the seeded tasks and flows into an open state database (its `task_runs` and `flow_runs`). */
export function seedTaskLedger(db: DatabaseSync, now: number): void {
  for (const task of seedTasks(now)) {
    insert(db, "task_runs", { delivery_status: "not_applicable", notify_policy: "silent", ...task });
  }
  for (const flow of seedFlows(now)) insert(db, "flow_runs", { ...flow });
}
