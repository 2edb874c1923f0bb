// How jobs leave the gateway, as the reference shows them: the read view (`cron.get`, `cron.add`,
// `cron.update`, full `cron.list` rows), the compact row (`cron.list {compact}`, the `cron` tool's
// list), the filtered, sorted page with its `snapshotRevision`, and the delivery preview. Pure;
// shared by the `cron.*` methods and the `cron` tool.
import { createHash } from "node:crypto";
import type { CronJob } from "./cron_control.ts";
import { stableStringify } from "./stable_stringify.ts";

/** `sha256:<base64url>` of a definition's stable serialization: the two gateways compute the same token for a job. */
export function hashCronDefinition(definition: unknown): string {
  return sha256Revision(stableStringify(definition));
}

function sha256Revision(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("base64url")}`;
}

/**
 * A job's definition revision (`configRevision`, also on every run receipt): the hash of the job as
 * stored (a JSON round trip: no undefined members) without `updatedAtMs`, `state` and itself.
 */
export function configRevision(job: CronJob): string {
  const stored: Record<string, unknown> = JSON.parse(JSON.stringify(job));
  const { updatedAtMs: _updated, state: _state, configRevision: _rev, ...definition } = stored;
  return hashCronDefinition(definition);
}

/** The revision of a listed page's whole matching set (`cron.list`'s `snapshotRevision`). */
export function snapshotRevision(jobs: readonly CronJob[]): string {
  return sha256Revision(stableStringify(jobs));
}

/** Scheduler-only state the reference never sends out. */
const PRIVATE_STATE = [
  "queuedAtMs",
  "runningReceiptId",
  "startupCatchupAtMs",
  "pacedNextRunAtMs",
  "forcePreservedNextRunAtMs",
  "runningScheduleChangeId",
  "failureAlertIncident",
  "lastFailureNotificationId",
];

/** Creator and authority records the reference keeps on a job but never sends out (its `toPublicCronJob`). */
const PRIVATE_JOB = [
  "skillLibrarySelections",
  "createdActor",
  "toolsAllowProvenance",
  "toolsAllowExecTarget",
  "toolsAllowExecTargetRequirement",
  "runtimeAuthority",
  "runtimeAuthorityRecoveryRequired",
];

type State = Record<string, unknown>;

function stateOf(job: CronJob): State {
  return job.state as State;
}

/** A job without the scheduler-only and authority fields the reference never sends out (its `toPublicCronJob`). */
export function publicCronJob(job: CronJob): { open: Record<string, unknown>; state: State } {
  const state: State = { ...stateOf(job) };
  for (const key of PRIVATE_STATE) delete state[key];
  const open: Record<string, unknown> = { ...job };
  // A job the reference stored in the shared state keeps these; read clients never see them.
  for (const key of PRIVATE_JOB) delete open[key];
  return { open, state };
}

/** A job as `cron.get` answers it: the job, its `configRevision` and its state's headline fields mirrored on top. */
export function cronJobReadView(job: CronJob): Record<string, unknown> {
  const { open, state } = publicCronJob(job);
  const view: Record<string, unknown> = {
    ...open,
    state,
    configRevision: configRevision(job),
    nextRunAtMs: state.nextRunAtMs,
    lastRunAtMs: state.lastRunAtMs,
    lastRunStatus: state.lastRunStatus ?? state.lastStatus,
    lastRunError: state.lastError,
    lastDelivered: state.lastDelivered,
    lastDeliveryStatus: state.lastDeliveryStatus,
    lastDeliveryError: state.lastDeliveryError,
    deliverySuppressionReason: state.deliverySuppressionReason,
    lastFailureNotificationDelivered: state.lastFailureNotificationDelivered,
    lastFailureNotificationDeliveryStatus: state.lastFailureNotificationDeliveryStatus,
    lastFailureNotificationDeliveryError: state.lastFailureNotificationDeliveryError,
  };
  // JSON drops undefined members; dropping them here keeps in-process callers equal to the wire.
  for (const key of Object.keys(view)) if (view[key] === undefined) delete view[key];
  return view;
}

function isoOrNull(ms: unknown): string | null {
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** A job as `cron.list {compact: true}` lists it (what the Automations page and the tool read). */
export function compactCronJob(job: CronJob): Record<string, unknown> {
  const state = stateOf(job);
  const schedule = job.schedule as { kind: string };
  const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
  return {
    id: job.id,
    name: job.name,
    ...optional("agentId", job.agentId),
    updatedAtMs: job.updatedAtMs,
    ...(job.declarationKey ? { declarationKey: job.declarationKey } : {}),
    ...(job.displayName ? { displayName: job.displayName } : {}),
    ...(job.owner ? { owner: job.owner } : {}),
    enabled: job.enabled,
    nextRunAt: isoOrNull(state.nextRunAtMs),
    nextRunAtMs: state.nextRunAtMs ?? null,
    scheduleKind: schedule.kind,
    ...(["at", "every", "cron"].includes(schedule.kind) ? { schedule: job.schedule } : {}),
    ...(job.trigger ? { trigger: true } : {}),
    lastRunAt: isoOrNull(state.lastRunAtMs),
    lastRunAtMs: state.lastRunAtMs ?? null,
    lastRunStatus: state.lastRunStatus ?? state.lastStatus ?? null,
    lastRunError: state.lastError ?? null,
    ...optional("runningAtMs", state.runningAtMs),
    ...optional("autoDisabled", state.autoDisabled),
    ...optional("lastDelivered", state.lastDelivered),
    ...optional("lastDeliveryStatus", state.lastDeliveryStatus),
    ...optional("lastDeliveryError", state.lastDeliveryError),
    ...optional("deliverySuppressionReason", state.deliverySuppressionReason),
  };
}

/** The agent that runs a job: its own `agentId`, the agent its session key names, else the default. */
export function effectiveAgentId(job: Pick<CronJob, "agentId" | "sessionKey">, defaultAgentId: string): string {
  if (typeof job.agentId === "string" && job.agentId.trim()) return job.agentId.trim().toLowerCase();
  const match = typeof job.sessionKey === "string" ? /^agent:([^:]+):/i.exec(job.sessionKey) : null;
  return match ? match[1]!.toLowerCase() : defaultAgentId;
}

/** `cron.list`'s filters, sorting and paging, as its params name them. */
export interface CronListOptions {
  includeDisabled?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  query?: string | undefined;
  enabled?: string | undefined;
  scheduleKind?: string | undefined;
  lastRunStatus?: string | undefined;
  trigger?: string | undefined;
  sortBy?: string | undefined;
  sortDir?: string | undefined;
  agentId?: string | undefined;
}

function compareJobs(a: CronJob, b: CronJob, sortBy: string, compareNames: () => Intl.Collator["compare"]): number {
  if (sortBy === "name") return compareNames()(a.name, b.name);
  if (sortBy === "updatedAtMs") return a.updatedAtMs - b.updatedAtMs;
  return 0;
}

function nextRunOf(job: CronJob): number | undefined {
  const next = stateOf(job).nextRunAtMs;
  return typeof next === "number" ? next : undefined;
}

function sortJobs(jobs: CronJob[], sortBy: string, sortDir: string): CronJob[] {
  const dir = sortDir === "desc" ? -1 : 1;
  // One collator per sort: `localeCompare` with options builds one per comparison (seconds for 10,000 jobs).
  let collator: Intl.Collator["compare"] | undefined;
  const compareNames = () => (collator ??= new Intl.Collator(undefined, { sensitivity: "base" }).compare);
  return jobs.sort((a, b) => {
    let cmp = compareJobs(a, b, sortBy, compareNames);
    if (sortBy !== "name" && sortBy !== "updatedAtMs") {
      const [an, bn] = [nextRunOf(a), nextRunOf(b)];
      // Jobs with no next run go last in either direction, as in the reference.
      if (an !== undefined && bn !== undefined) cmp = an - bn;
      else if (an !== undefined || bn !== undefined) return an !== undefined ? -1 : 1;
    }
    if (cmp !== 0) return cmp * dir;
    return a.id.localeCompare(b.id);
  });
}

/** One page of jobs with the reference's paging fields. */
export interface CronListPage {
  jobs: CronJob[];
  snapshotRevision: string;
  total: number;
  offset: number;
  limit: number;
  hasMore: boolean;
  nextOffset: number | null;
}

/** Filters, sorts and pages jobs as the reference's `cron.list` does (default: enabled only, by next run). */
export function listCronPage(all: readonly CronJob[], opts: CronListOptions, defaultAgentId: string): CronListPage {
  const enabledFilter = ["all", "enabled", "disabled"].includes(opts.enabled ?? "")
    ? opts.enabled
    : opts.includeDisabled
    ? "all"
    : "enabled";
  const query = opts.query?.trim().toLowerCase() ?? "";
  const agentId = opts.agentId?.trim().toLowerCase();
  const scheduleKind = opts.scheduleKind ?? "all";
  const lastRunStatus = opts.lastRunStatus ?? "all";
  const trigger = opts.trigger ?? "all";
  const matching = all.filter((job) => {
    if (enabledFilter === "enabled" && !job.enabled) return false;
    if (enabledFilter === "disabled" && job.enabled) return false;
    if (agentId && effectiveAgentId(job, defaultAgentId) !== agentId) return false;
    if (scheduleKind !== "all" && (job.schedule as { kind: string }).kind !== scheduleKind) return false;
    const state = stateOf(job);
    if (lastRunStatus !== "all" && (state.lastRunStatus ?? state.lastStatus ?? "unknown") !== lastRunStatus) {
      return false;
    }
    if (trigger === "conditional" && !job.trigger) return false;
    if (trigger === "unconditional" && job.trigger) return false;
    if (query) {
      const text = [job.id, job.name, job.description ?? "", job.agentId ?? "", job.displayName ?? ""].join(" ");
      if (!text.toLowerCase().includes(query)) return false;
    }
    return true;
  });
  const sorted = sortJobs(matching, opts.sortBy ?? "nextRunAtMs", opts.sortDir ?? "asc");
  const total = sorted.length;
  const offset = Math.max(0, Math.min(total, Math.floor(opts.offset ?? 0)));
  const limit = Math.max(1, Math.min(200, Math.floor(opts.limit ?? (total === 0 ? 50 : total))));
  const jobs = sorted.slice(offset, offset + limit);
  const nextOffset = offset + jobs.length;
  return {
    jobs,
    snapshotRevision: snapshotRevision(sorted),
    total,
    offset,
    limit,
    hasMore: nextOffset < total,
    nextOffset: nextOffset < total ? nextOffset : null,
  };
}

/** Where a job's answer would go, as `cron.add` and `cron.list` preview it (`label`, `detail`). */
export interface CronDeliveryPreview {
  label: string;
  detail: string;
}

/**
 * The reference's dry-run preview of a job's delivery. A `last` route is previewed as unresolved
 * (fail-closed) unless `lastRoute` names the route the session last talked on.
 */
export function deliveryPreview(
  job: Pick<CronJob, "delivery" | "sessionTarget" | "payload">,
  lastRoute?: { channel: string; to?: string | undefined; sessionKey?: string | undefined } | undefined,
): CronDeliveryPreview {
  const delivery = job.delivery as { mode?: string; channel?: string | null; to?: string | null } | undefined;
  const mode = delivery ? delivery.mode ?? "announce" : "none";
  const channel = delivery?.channel ?? undefined;
  const to = delivery?.to ?? undefined;
  if (mode === "none" && !channel && !to) return { label: "not requested", detail: "not requested" };
  if (mode === "webhook") {
    return to ? { label: `webhook:${to}`, detail: "webhook" } : { label: "webhook", detail: "webhook target missing" };
  }
  const target = (ch: string | undefined, dest: string | undefined) => (!ch ? "last" : dest ? `${ch}:${dest}` : ch);
  if (channel && channel !== "last") {
    return to
      ? { label: `${mode} -> ${target(channel, to)}`, detail: "explicit" }
      : { label: `${mode} -> ${channel}`, detail: "unresolved" };
  }
  if (lastRoute) {
    return {
      label: `${mode} -> ${target(lastRoute.channel, to ?? lastRoute.to)}`,
      detail: lastRoute.sessionKey
        ? `resolved from last, session ${lastRoute.sessionKey}`
        : "resolved from last, main session",
    };
  }
  if (
    job.sessionTarget === "current" && mode === "announce" && (job.payload as { kind: string }).kind === "agentTurn"
  ) {
    return { label: "announce -> current session", detail: "commits to this conversation (no external channel route)" };
  }
  return { label: `${mode} -> ${target(channel, to)}`, detail: "last -> no route, will fail-closed" };
}

/** The `status` the reference CLI shows per job: disabled, running, the last run's status, else idle. */
export function cronJobStatus(job: CronJob): string {
  const state = stateOf(job);
  if (!job.enabled) return "disabled";
  if (typeof state.runningAtMs === "number") return "running";
  const last = state.lastRunStatus ?? state.lastStatus;
  return typeof last === "string" ? last : "idle";
}

/** The session whose last chat a job's `last` delivery follows: its `session:<key>` target, else its own key. */
export function deliverySessionKey(job: Pick<CronJob, "sessionTarget" | "sessionKey">): string | undefined {
  const target = typeof job.sessionTarget === "string" ? job.sessionTarget : "";
  if (target.startsWith("session:") && target.slice(8).trim()) return target.slice(8).trim();
  return typeof job.sessionKey === "string" && job.sessionKey.trim() ? job.sessionKey.trim() : undefined;
}
