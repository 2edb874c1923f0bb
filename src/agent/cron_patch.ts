// A `cron.update` patch applied to a stored job the way the reference applies it: fields replaced,
// the payload merged within its kind (null clears an override), delivery merged field by field,
// re-enabling resets the failure streak. Pure; shared by the `cron.update` method and the tool.
import type { CronJob } from "./cron_control.ts";
import { defaultStaggerMs } from "./cron_times.ts";

type Json = Record<string, unknown>;

/** Tools an agent-turn job may use when it names none (the reference stamps an explicit `*`). */
const DEFAULT_TOOLS_ALLOW = ["*"];

/** Whether a job's payload runs the agent's tools (agent turns and scripts). */
export function usesToolRuntime(payload: { kind: string }): boolean {
  return payload.kind === "agentTurn" || payload.kind === "script";
}

function applyToolsAllow(next: Json, patch: Json, existing?: Json): void {
  if (Array.isArray(patch.toolsAllow)) {
    next.toolsAllow = patch.toolsAllow;
    delete next.toolsAllowIsDefault;
  } else if (patch.toolsAllow === null) {
    delete next.toolsAllow;
    delete next.toolsAllowIsDefault;
  } else if (existing && Array.isArray(existing.toolsAllow)) next.toolsAllow = existing.toolsAllow;
}

function payloadFromPatch(patch: Json): Json {
  if (patch.kind === "systemEvent") {
    if (typeof patch.text !== "string" || patch.text.length === 0) {
      throw new Error('cron.update payload.kind="systemEvent" requires text');
    }
    const next: Json = { kind: "systemEvent", text: patch.text };
    applyToolsAllow(next, patch);
    return next;
  }
  if (patch.kind !== "agentTurn") return { ...patch };
  if (typeof patch.message !== "string" || patch.message.length === 0) {
    throw new Error('cron.update payload.kind="agentTurn" requires message');
  }
  const next: Json = { kind: "agentTurn", message: patch.message };
  for (const field of ["model", "thinking"]) if (typeof patch[field] === "string") next[field] = patch[field];
  if (Array.isArray(patch.fallbacks)) next.fallbacks = patch.fallbacks;
  if (typeof patch.timeoutSeconds === "number") next.timeoutSeconds = patch.timeoutSeconds;
  for (const field of ["lightContext", "allowUnsafeExternalContent"]) {
    if (patch[field] !== undefined) next[field] = patch[field];
  }
  applyToolsAllow(next, patch);
  return next;
}

/** Merges a payload patch into a payload: same kind merges, another kind replaces it whole. */
export function mergePayload(existing: Json, patch: Json): Json {
  const kind = patch.kind ?? existing.kind;
  if (kind !== existing.kind) {
    const next = payloadFromPatch(patch);
    if (patch.toolsAllow === undefined && Array.isArray(existing.toolsAllow)) next.toolsAllow = existing.toolsAllow;
    return next;
  }
  const next: Json = { ...existing };
  if (kind === "systemEvent") {
    if (typeof patch.text === "string") next.text = patch.text;
    applyToolsAllow(next, patch, existing);
    return next;
  }
  if (kind !== "agentTurn") return { ...existing, ...patch };
  if (typeof patch.message === "string") next.message = patch.message;
  for (const field of ["model", "thinking"]) {
    if (typeof patch[field] === "string") next[field] = patch[field];
    else if (patch[field] === null) delete next[field];
  }
  if (Array.isArray(patch.fallbacks)) next.fallbacks = patch.fallbacks;
  else if (patch.fallbacks === null) delete next.fallbacks;
  applyToolsAllow(next, patch, existing);
  if (typeof patch.timeoutSeconds === "number") next.timeoutSeconds = patch.timeoutSeconds;
  else if (patch.timeoutSeconds === null) delete next.timeoutSeconds;
  for (const field of ["lightContext", "allowUnsafeExternalContent"]) {
    if (typeof patch[field] === "boolean") next[field] = patch[field];
  }
  return next;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** Merges a delivery patch field by field; `null` or empty clears a field, a mode switch to webhook clears routing. */
export function mergeDelivery(existing: Json | undefined, patch: Json, implicitMode: string): Json {
  const next: Json = {
    mode: existing?.mode ?? implicitMode,
    channel: existing?.channel,
    to: existing?.to,
    threadId: existing?.threadId,
    accountId: existing?.accountId,
    bestEffort: existing?.bestEffort,
    failureDestination: existing?.failureDestination,
  };
  if (typeof patch.mode === "string") {
    const previous = next.mode;
    next.mode = patch.mode === "deliver" ? "announce" : patch.mode;
    if (previous !== next.mode && (previous === "webhook" || next.mode === "webhook")) next.to = undefined;
    if (next.mode === "webhook") next.channel = next.threadId = next.accountId = undefined;
  }
  for (const field of ["channel", "to", "accountId"]) if (field in patch) next[field] = optionalText(patch[field]);
  if ("threadId" in patch) {
    next.threadId = typeof patch.threadId === "number" ? patch.threadId : optionalText(patch.threadId);
  }
  if (typeof patch.bestEffort === "boolean") next.bestEffort = patch.bestEffort;
  if ("failureDestination" in patch) next.failureDestination = patch.failureDestination ?? undefined;
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return next;
}

/**
 * A patched schedule as the reference keeps it: an `every` without an anchor is left to the
 * scheduler (the old anchor for the same interval, else now); a cron expression without a stagger
 * keeps the one it had for the same expression, else gets the top-of-hour default.
 */
export function patchedSchedule(schedule: Json, previous: Json): Json {
  if (schedule.kind !== "cron" || schedule.staggerMs !== undefined) return schedule;
  if (previous.kind === "cron" && previous.expr === schedule.expr) {
    return previous.staggerMs === undefined ? schedule : { ...schedule, staggerMs: previous.staggerMs };
  }
  const stagger = defaultStaggerMs(typeof schedule.expr === "string" ? schedule.expr : "");
  return stagger === undefined ? schedule : { ...schedule, staggerMs: stagger };
}

/** The job after a normalized patch; throws the reference's error text for a payload it cannot build. */
export function applyCronPatch(job: CronJob, patch: Json, nowMs: number): CronJob {
  const next = structuredClone(job) as unknown as Json;
  const state = { ...(job.state as Json) };
  const previousKind = (job.schedule as Json).kind;
  const schedule = patch.schedule as Json | undefined;
  if ("name" in patch) {
    const name = optionalText(patch.name);
    if (!name) throw new Error("automation name is required");
    next.name = name;
  }
  if ("description" in patch) next.description = optionalText(patch.description);
  if ("displayName" in patch) next.displayName = optionalText(patch.displayName);
  if (typeof patch.enabled === "boolean") next.enabled = patch.enabled;
  if (typeof patch.deleteAfterRun === "boolean") next.deleteAfterRun = patch.deleteAfterRun;
  else if (schedule?.kind === "at" && (previousKind === "every" || previousKind === "cron")) next.deleteAfterRun = true;
  else if (previousKind === "at" && (schedule?.kind === "every" || schedule?.kind === "cron")) {
    delete next.deleteAfterRun;
  }
  if (schedule) next.schedule = patchedSchedule(schedule, job.schedule as Json);
  if (typeof patch.sessionTarget === "string") next.sessionTarget = patch.sessionTarget;
  if (typeof patch.wakeMode === "string") next.wakeMode = patch.wakeMode;
  const hadToolRuntime = usesToolRuntime(job.payload as { kind: string });
  if (patch.payload) {
    const payload = mergePayload(job.payload as Json, patch.payload as Json);
    const clears = (patch.payload as Json).toolsAllow === null;
    if (
      usesToolRuntime(payload as { kind: string }) && (!hadToolRuntime || clears) && payload.toolsAllow === undefined
    ) {
      payload.toolsAllow = [...DEFAULT_TOOLS_ALLOW];
    }
    next.payload = payload;
  }
  if (patch.delivery) {
    const implicit = job.delivery ? String((job.delivery as Json).mode ?? "announce") : "none";
    next.delivery = mergeDelivery(job.delivery as Json | undefined, patch.delivery as Json, implicit);
  }
  // A main-session job delivers through its heartbeat, not a channel: only a webhook is kept.
  if (next.sessionTarget === "main" && (next.delivery as Json | undefined)?.mode !== "webhook") delete next.delivery;
  if ("failureAlert" in patch) next.failureAlert = patch.failureAlert ?? undefined;
  if (patch.enabled === true) {
    delete state.autoDisabled;
    state.consecutiveErrors = 0;
    state.scheduleErrorCount = 0;
  }
  if ("agentId" in patch) next.agentId = optionalText(patch.agentId)?.toLowerCase();
  if ("sessionKey" in patch) next.sessionKey = optionalText(patch.sessionKey);
  next.state = state;
  next.updatedAtMs = nowMs;
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return next as unknown as CronJob;
}
