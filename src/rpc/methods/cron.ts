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
  type CronRunsQuery,
  type CronRunStatus,
} from "../../agent/cron_control.ts";
import {
  CRON_SCRATCH_MAX_BYTES,
  type CronScratchState,
  CronScratchTooLargeError,
  type CronScratchWrite,
} from "../../state/cron_scratch.ts";
import { applyCronPatch } from "../../agent/cron_patch.ts";
import {
  compactCronJob,
  configRevision,
  type CronDeliveryPreview,
  cronJobReadView,
  deliveryPreview,
  deliverySessionKey,
  effectiveAgentId,
  listCronPage,
} from "../../agent/cron_views.ts";
import { cronJobInSessionView } from "../../agent/cron_session_binding.ts";
import { CronJobNotRunnableHereError } from "../../automation/cron_foreign.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import type { ChannelSetup } from "./cron_delivery_check.ts";
import { draftFromAddParams, errorText, invalid, patchFromUpdateParams } from "./cron_input.ts";
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
  /** The channels the config sets up (announce targets are checked against them); absent: not checked. */
  channels?: (() => ChannelSetup) | undefined;
  /** `session.mainKey` (default `main`): the session a `main` job is bound to. */
  mainKey?: (() => string) | undefined;
  /** The chat a session last talked on (previews of `last` delivery); absent: previewed unresolved. */
  lastRoute?:
    | ((sessionKey: string, agentId: string) => Promise<{ channel: string; to: string } | undefined>)
    | undefined;
}

/** A job's delivery preview, its `last` route resolved from the session it follows, as the reference previews it. */
async function previewOf(job: CronJobDraft, deps: CronDeps): Promise<CronDeliveryPreview> {
  const plain = deliveryPreview(job);
  if (!plain.detail.startsWith("last -> no route") || !deps.lastRoute) return plain;
  const sessionKey = deliverySessionKey(job);
  // An isolated run has no conversation of its own to follow (the runner refuses it too).
  if (!sessionKey && job.sessionTarget === "isolated") return plain;
  const agentId = effectiveAgentId(job, deps.defaultAgentId());
  const route = await deps.lastRoute(sessionKey ?? `agent:${agentId}:main`, agentId).catch(() => undefined);
  return route ? deliveryPreview(job, { ...route, sessionKey }) : plain;
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

const CROSS_SESSION_HINT =
  "For cross-session management, use a fresh authenticated configured channel owner or Control UI administrator turn or the Automations page.";

/** A scratch as the methods show it (the reference leaves its source hash out), or null without one. */
function publicScratch(scratch: CronScratchState["scratch"]) {
  return scratch ? { content: scratch.content, revision: scratch.revision, updatedAtMs: scratch.updatedAtMs } : null;
}

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

/** The reference's refusal of an edit made against an older version of the job. */
function definitionChanged(expected: string, current: CronJob): RpcError {
  return new RpcError(
    "INVALID_REQUEST",
    "cron job definition no longer matches the loaded version; review the latest version before retrying",
    {
      details: {
        code: "CRON_JOB_CHANGED",
        expectedConfigRevision: expected,
        actualConfigRevision: configRevision(current),
      },
    },
  );
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

function oneRun(cron: CronControl | undefined, query: CronRunsQuery, runId: string) {
  const all = cron?.runs({ ...query, limit: 2000, offset: 0 }).entries ?? [];
  const matching = all.filter((entry) => entry.runId === runId);
  return { entries: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
}

/** The `cron.*` methods. */
export function cronMethods(deps: CronDeps): MethodTable {
  return {
    "cron.status": validated(
      "operator.read",
      "validateCronStatusParams",
      () => cronStatusPayload(deps.stateDir, deps.cron()),
    ),
    "cron.list": validated("operator.read", "validateCronListParams", async ({ params }) => {
      const defaultAgentId = deps.defaultAgentId();
      // A session's cron view (the reference Control UI's `sessionKey`/`sessionAgentId`): the jobs bound to it.
      const context = { defaultAgentId, mainKey: deps.mainKey?.() };
      const all = (deps.cron()?.list() ?? []).filter((job) => cronJobInSessionView(job, params, context));
      const page = listCronPage(all, params, defaultAgentId);
      const jobs = page.jobs.map((job) => ({
        ...(params.compact === true ? compactCronJob(job) : cronJobReadView(job)),
        effectiveAgentId: effectiveAgentId(job, defaultAgentId),
      }));
      if (params.compact === true || params.includeDeliveryPreviews === false) return { ...page, jobs };
      const previews = await Promise.all(page.jobs.map(async (job) => [job.id, await previewOf(job, deps)] as const));
      const deliveryPreviews = Object.fromEntries(previews);
      return { ...page, jobs, deliveryPreviews };
    }),
    "cron.scratch.get": validated("operator.admin", "validateCronScratchGetParams", ({ params }) => {
      const jobId = jobIdOf("cron.scratch.get", params);
      const cron = deps.cron();
      requireJob(cron, jobId);
      const state = cron?.readScratch?.(jobId) ?? { currentRevision: 0 };
      return {
        scratch: publicScratch(state.scratch),
        currentRevision: state.currentRevision,
        maxBytes: CRON_SCRATCH_MAX_BYTES,
      };
    }),
    "cron.scratch.set": validated("operator.admin", "validateCronScratchSetParams", ({ params }) => {
      const jobId = jobIdOf("cron.scratch.set", params);
      const cron = deps.cron();
      requireJob(cron, jobId);
      // The package types these params by their id alone; its schema also checked `content` and `expectedRevision`.
      const { content, expectedRevision } = params as unknown as { content: string | null; expectedRevision?: number };
      if (!cron?.writeScratch) throw invalid("cron.scratch.set", "this gateway's cron store keeps no scratch");
      let result: CronScratchWrite;
      try {
        result = cron.writeScratch(jobId, { content, expectedRevision });
      } catch (error) {
        // Only the content is the caller's fault; a busy or failing store answers as a failure (retry later).
        if (error instanceof CronScratchTooLargeError) throw invalid("cron.scratch.set", error.message);
        throw error;
      }
      if (!result.ok) return result;
      return {
        ok: true,
        scratch: publicScratch(result.scratch),
        currentRevision: result.currentRevision,
        maxBytes: CRON_SCRATCH_MAX_BYTES,
      };
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
        const preview = await previewOf(draft, deps);
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
        const raw: unknown = params;
        const expected = isJsonObject(raw) && typeof raw.expectedConfigRevision === "string"
          ? raw.expectedConfigRevision
          : undefined;
        const apply = (current: CronJob) => {
          // The Control UI sends the revision it edited; a job changed meanwhile is refused, not overwritten.
          if (expected !== undefined && configRevision(current) !== expected) {
            throw definitionChanged(expected, current);
          }
          return applyCronPatch(current, patch, deps.now());
        };
        try {
          // Applied once up front so a patch the reference refuses is refused before anything changes.
          apply(requireJob(cron, jobId));
          return cronJobReadView(cron.update(jobId, apply));
        } catch (error) {
          if (error instanceof RpcError) throw error;
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
      const query = {
        jobId,
        limit,
        offset,
        statuses: listOf<CronRunStatus>(params.status, params.statuses),
        deliveryStatuses: listOf<CronDeliveryStatus>(params.deliveryStatus, params.deliveryStatuses),
        query: params.query,
        sortDir: params.sortDir,
      };
      const runId = typeof params.runId === "string" && params.runId.trim() ? params.runId.trim() : undefined;
      // One run by id (`openclaw cron run --wait` polls so): picked from the job's history, which retention keeps to 2000.
      const page = runId ? oneRun(cron, query, runId) : cron?.runs(query) ?? { entries: [], total: 0 };
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
