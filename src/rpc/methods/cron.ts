// The `cron.*` methods over the scheduler (CronControl), with the reference's payloads and error
// words: input normalized then validated as the reference does, read views with configRevision,
// the filtered/sorted/paged list with snapshotRevision and delivery previews. Without a scheduler
// wired, they answer as the reference's switched-off scheduler: disabled, no jobs, no runs.
import { join } from "node:path";
import {
  type CronControl,
  type CronDeliveryStatus,
  type CronJob,
  type CronJobDraft,
  CronJobNotFoundError,
  type CronRunStatus,
} from "../../agent/cron_control.ts";
import { normalizeCronJobInput, parseBoolean, validateScheduleTimestamp } from "../../agent/cron_normalize.ts";
import { anchoredSchedule, applyCronPatch } from "../../agent/cron_patch.ts";
import {
  compactCronJob,
  cronJobReadView,
  deliveryPreview,
  effectiveAgentId,
  listCronPage,
} from "../../agent/cron_views.ts";
import { CronJobNotRunnableHereError } from "../../automation/cron_foreign.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import type { ProtocolValidators } from "../validators.ts";

/** Dependencies of the cron methods. */
export interface CronDeps {
  stateDir: string;
  /** The scheduler; undefined while none is wired (the methods then answer as a disabled one). */
  cron: () => CronControl | undefined;
  defaultAgentId: () => string;
  validators: ProtocolValidators;
  /** This gateway process's id (`cron.run`'s `processInstanceId`). */
  processInstanceId: string;
  now: () => number;
}

/** The `cron.status` payload: the scheduler's own status plus where jobs are kept. */
export function cronStatusPayload(stateDir: string, cron: CronControl | undefined) {
  // Where the reference keeps its jobs (state/openclaw.sqlite); named so clients show the same path.
  const sqlitePath = join(stateDir, "state", "openclaw.sqlite");
  const status = cron?.status();
  return {
    enabled: status?.enabled ?? false,
    triggersEnabled: status?.enabled ?? false,
    storePath: sqlitePath,
    storage: "sqlite",
    sqlitePath,
    jobs: status?.jobs ?? 0,
    nextWakeAtMs: status?.nextWakeAtMs ?? null,
  };
}

function invalid(method: string, reason: string): RpcError {
  return new RpcError("INVALID_REQUEST", `invalid ${method} params: ${reason}`);
}

const CROSS_SESSION_HINT =
  "For cross-session management, use a fresh authenticated configured channel owner or Control UI administrator turn or the Automations page.";

/** The reference's not-found answer (`cron.get` keeps its older `cron job not found` words). */
export function jobNotFound(jobId: string, options: { getWording?: boolean } = {}): RpcError {
  const lead = options.getWording ? "cron job not found" : "Automation not found";
  return new RpcError(
    "INVALID_REQUEST",
    `${lead}: ${jobId}. List automations and retry with a current job id. ${CROSS_SESSION_HINT}`,
    { details: { code: "CRON_JOB_NOT_FOUND", jobId } },
  );
}

function jobIdOf(method: string, params: unknown): string {
  const record = isJsonObject(params) ? params : {};
  const raw = typeof record.id === "string" ? record.id : typeof record.jobId === "string" ? record.jobId : "";
  if (!raw.trim()) throw invalid(method, "missing id");
  return raw.trim();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Create-time checks the reference makes before normalizing (blank labels, a non-boolean `enabled`). */
function precheckAdd(raw: Record<string, unknown>): void {
  for (const field of ["declarationKey", "displayName"]) {
    if (typeof raw[field] === "string" && !raw[field].trim()) throw invalid("cron.add", `${field} must not be blank`);
  }
  if ("enabled" in raw && parseBoolean(raw.enabled) === undefined) {
    throw invalid("cron.add", "enabled must be a boolean");
  }
}

/** The draft `cron.add` hands the scheduler: normalized, validated, with the operator's trusted tool policy. */
export async function draftFromAddParams(
  params: unknown,
  deps: Pick<CronDeps, "validators" | "now">,
): Promise<CronJobDraft> {
  const raw = isJsonObject(params) ? params : {};
  precheckAdd(raw);
  let normalized: Record<string, unknown> | null;
  try {
    const sessionKey = typeof raw.sessionKey === "string" ? raw.sessionKey : undefined;
    normalized = normalizeCronJobInput(params, { applyDefaults: true, sessionKey });
  } catch (error) {
    throw invalid("cron.add", errorText(error));
  }
  const checked = await deps.validators.check("validateCronAddParams", normalized ?? params);
  if (!checked.ok) throw invalid("cron.add", checked.problem);
  const timestamp = validateScheduleTimestamp(checked.value.schedule, deps.now());
  if (!timestamp.ok) throw new RpcError("INVALID_REQUEST", timestamp.message);
  // `null` clears a field on update only; on create it means absent.
  const { agentId, sessionKey, ...rest } = checked.value;
  const draft: CronJobDraft = {
    ...rest,
    ...(agentId ? { agentId } : {}),
    ...(sessionKey ? { sessionKey } : {}),
    enabled: checked.value.enabled ?? true,
    schedule: anchoredSchedule(checked.value.schedule, deps.now()) as CronJobDraft["schedule"],
  };
  const payload = draft.payload;
  if (payload.kind === "agentTurn" || payload.kind === "script") {
    // An operator's job runs with the operator's trust and, naming no tools, all of them (as the reference stamps it).
    if (payload.toolsAllow === undefined) draft.payload = { ...payload, toolsAllow: ["*"] };
    draft.scheduledToolPolicy = { version: 1, mode: "trusted" };
  }
  return draft;
}

/** The normalized patch of `cron.update` params, validated as the reference validates it. */
async function patchFromUpdateParams(params: unknown, deps: CronDeps): Promise<Record<string, unknown>> {
  const raw = isJsonObject(params) ? params : {};
  let patch: Record<string, unknown> | null;
  try {
    const rawPatch = isJsonObject(raw.patch) ? raw.patch : undefined;
    if (typeof rawPatch?.displayName === "string" && !rawPatch.displayName.trim()) {
      throw new Error("displayName must not be blank");
    }
    patch = normalizeCronJobInput(raw.patch, { applyDefaults: false });
  } catch (error) {
    throw invalid("cron.update", errorText(error));
  }
  const checked = await deps.validators.check("validateCronUpdateParams", patch ? { ...raw, patch } : params);
  if (!checked.ok) throw invalid("cron.update", checked.problem);
  if (!patch) throw invalid("cron.update", "patch did not normalize");
  if (patch.schedule) {
    const timestamp = validateScheduleTimestamp(patch.schedule, deps.now());
    if (!timestamp.ok) throw new RpcError("INVALID_REQUEST", timestamp.message);
  }
  return patch;
}

function requireJob(cron: CronControl | undefined, jobId: string, options: { getWording?: boolean } = {}): CronJob {
  const job = cron?.get(jobId);
  if (!job) throw jobNotFound(jobId, options);
  return job;
}

function requireCron(cron: CronControl | undefined, jobId: string): CronControl {
  if (!cron) throw jobNotFound(jobId);
  return cron;
}

function listOf<T extends string>(one: unknown, many: unknown): T[] | undefined {
  const values = Array.isArray(many) ? many : typeof one === "string" ? [one] : undefined;
  const picked = values?.filter((value): value is T => typeof value === "string" && value !== "all");
  return picked && picked.length > 0 ? picked : undefined;
}

/** The `cron.*` methods. */
export function cronMethods(deps: CronDeps): MethodTable {
  return {
    "cron.status": validated(
      "operator.read",
      "validateCronStatusParams",
      () => cronStatusPayload(deps.stateDir, deps.cron()),
    ),
    "cron.list": validated("operator.read", "validateCronListParams", ({ params }) => {
      const defaultAgentId = deps.defaultAgentId();
      const page = listCronPage(deps.cron()?.list() ?? [], params, defaultAgentId);
      const jobs = page.jobs.map((job) => ({
        ...(params.compact === true ? compactCronJob(job) : cronJobReadView(job)),
        effectiveAgentId: effectiveAgentId(job, defaultAgentId),
      }));
      if (params.compact === true || params.includeDeliveryPreviews === false) return { ...page, jobs };
      const deliveryPreviews = Object.fromEntries(page.jobs.map((job) => [job.id, deliveryPreview(job)]));
      return { ...page, jobs, deliveryPreviews };
    }),
    "cron.get": validated("operator.read", "validateCronGetParams", ({ params }) => {
      const jobId = jobIdOf("cron.get", params);
      return cronJobReadView(requireJob(deps.cron(), jobId, { getWording: true }));
    }),
    "cron.add": {
      scope: "operator.admin",
      // Validated after normalizing, as the reference does (it accepts `"every"`-style input the schema alone refuses).
      check: () => undefined,
      handler: async ({ params }) => {
        const draft = await draftFromAddParams(params, deps);
        // A gateway without jobs keeps its scheduler unloaded: the first job loads it.
        await deps.cron()?.ready?.();
        const cron = deps.cron();
        if (!cron) {
          throw new RpcError(
            "UNAVAILABLE",
            "cron.add failed: the scheduler is not running; start the gateway with cron enabled",
          );
        }
        const preview = deliveryPreview(draft);
        let job: CronJob;
        try {
          job = cron.add(draft);
        } catch (error) {
          if (error instanceof TypeError || error instanceof RangeError) throw invalid("cron.add", errorText(error));
          throw error;
        }
        return { ...cronJobReadView(job), deliveryPreview: preview };
      },
    },
    "cron.update": {
      scope: "operator.admin",
      check: () => undefined,
      handler: async ({ params }) => {
        const patch = await patchFromUpdateParams(params, deps);
        const jobId = jobIdOf("cron.update", params);
        const cron = requireCron(deps.cron(), jobId);
        requireJob(cron, jobId);
        try {
          // Applied once up front so a patch the reference refuses is refused before anything changes.
          applyCronPatch(requireJob(cron, jobId), patch, deps.now());
          return cronJobReadView(cron.update(jobId, (current) => applyCronPatch(current, patch, deps.now())));
        } catch (error) {
          if (error instanceof CronJobNotFoundError) throw jobNotFound(jobId);
          throw invalid("cron.update", errorText(error));
        }
      },
    },
    "cron.remove": validated("operator.admin", "validateCronRemoveParams", ({ params }) => {
      const jobId = jobIdOf("cron.remove", params);
      const cron = requireCron(deps.cron(), jobId);
      requireJob(cron, jobId);
      if (!cron.remove(jobId)) throw jobNotFound(jobId);
      return { ok: true, removed: true };
    }),
    "cron.run": validated("operator.admin", "validateCronRunParams", ({ params }) => {
      const jobId = jobIdOf("cron.run", params);
      const cron = requireCron(deps.cron(), jobId);
      requireJob(cron, jobId);
      const raw: unknown = params;
      const record: Record<string, unknown> = isJsonObject(raw) ? raw : {};
      if (
        typeof record.expectedProcessInstanceId === "string" &&
        record.expectedProcessInstanceId !== deps.processInstanceId
      ) {
        throw invalid("cron.run", "Gateway process changed after preflight");
      }
      const mode = record.mode === "due" || record.mode === "if-enabled" ? record.mode : "force";
      let started;
      try {
        started = cron.run(jobId, mode);
      } catch (error) {
        if (error instanceof CronJobNotFoundError) throw jobNotFound(jobId);
        // A job of the reference's own plugins (listed here, run by that gateway): the caller's request, not our fault.
        if (error instanceof CronJobNotRunnableHereError) throw invalid("cron.run", error.message);
        throw error;
      }
      const result = started.ran
        ? { ok: true, enqueued: true, runId: started.runId }
        : { ok: true, ran: false, reason: started.reason === "scheduler-disabled" ? "stopped" : started.reason };
      return { ...result, processInstanceId: deps.processInstanceId };
    }),
    "cron.runs": validated("operator.read", "validateCronRunsParams", ({ params }) => {
      const hasJob = params.id !== undefined || params.jobId !== undefined;
      const scope = params.scope ?? (hasJob ? "job" : "all");
      const jobId = scope === "job" ? jobIdOf("cron.runs", params) : undefined;
      const cron = deps.cron();
      const limit = Math.max(1, Math.min(200, Math.floor(params.limit ?? 50)));
      const offset = Math.max(0, Math.floor(params.offset ?? 0));
      const page = cron?.runs({
        jobId,
        limit,
        offset,
        statuses: listOf<CronRunStatus>(params.status, params.statuses),
        deliveryStatuses: listOf<CronDeliveryStatus>(params.deliveryStatus, params.deliveryStatuses),
        query: params.query,
        sortDir: params.sortDir,
      }) ?? { entries: [], total: 0 };
      if (jobId && !cron?.get(jobId) && page.total === 0) throw jobNotFound(jobId);
      const nextOffset = offset + page.entries.length;
      return {
        entries: page.entries,
        total: page.total,
        offset,
        limit,
        hasMore: nextOffset < page.total,
        nextOffset: nextOffset < page.total ? nextOffset : null,
      };
    }),
  };
}
