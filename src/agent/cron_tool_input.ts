// What the `automations` tool accepts as a job or a patch: the shape `cron.add`'s schema checks
// (the tool has no schema of its own), in words a model can act on. Without it the scheduler
// would store a model's draft as given: an `id` replacing another job's record, scheduler state,
// or a schedule/payload no runner can read (and the reference, sharing the store, might run).
import { ToolError } from "./tool.ts";
import { isJsonObject } from "../log/json_object.ts";

/** The fields a job may be created with (the protocol's `CronAddParams` less `owner`, which the gateway sets). */
const JOB_FIELDS = new Set([
  "name",
  "declarationKey",
  "displayName",
  "agentId",
  "sessionKey",
  "description",
  "enabled",
  "deleteAfterRun",
  "schedule",
  "pacing",
  "trigger",
  "sessionTarget",
  "wakeMode",
  "payload",
  "delivery",
  "failureAlert",
]);
const PAYLOAD_FIELDS: Record<string, ReadonlySet<string>> = {
  systemEvent: new Set(["kind", "text", "toolsAllow"]),
  agentTurn: new Set([
    "kind",
    "message",
    "model",
    "fallbacks",
    "thinking",
    "timeoutSeconds",
    "allowUnsafeExternalContent",
    "lightContext",
    "toolsAllow",
  ]),
};
const DELIVERY_FIELDS = new Set(["mode", "channel", "to", "threadId", "accountId", "bestEffort", "failureDestination"]);

/** Refuses keys the schema does not allow, as `cron.add` does. */
function checkFields(where: string, value: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  const unexpected = Object.keys(value).filter((key) => !allowed.has(key));
  if (unexpected.length > 0) throw new ToolError(`${where} has unexpected properties: ${unexpected.join(", ")}`);
}

/** The shape checks the gateway's schema makes, in words a model can act on. */
export function checkDraft(job: Record<string, unknown>): void {
  const { schedule, payload } = job;
  if (!isJsonObject(schedule) || !isJsonObject(payload)) throw new ToolError("job requires schedule and payload");
  checkFields("job", job, JOB_FIELDS);
  const payloadFields = PAYLOAD_FIELDS[String(payload.kind)];
  if (payloadFields) checkFields("job.payload", payload, payloadFields);
  if (isJsonObject(job.delivery)) checkFields("job.delivery", job.delivery, DELIVERY_FIELDS);
  for (const field of ["enabled", "deleteAfterRun"]) {
    if (field in job && typeof job[field] !== "boolean") throw new ToolError(`job.${field} must be a boolean`);
  }
  for (const field of ["description", "displayName", "declarationKey"]) {
    if (field in job && typeof job[field] !== "string") throw new ToolError(`job.${field} must be a string`);
  }
  checkShape(schedule, payload);
  if (typeof job.name !== "string" || !job.name) throw new ToolError("automation name is required");
  if (typeof job.sessionTarget !== "string") {
    throw new ToolError("sessionTarget must be main, isolated, current or session:<key>");
  }
}

/** The schedule kinds the gateway runs, with their required fields. */
function checkSchedule(schedule: Record<string, unknown>): void {
  const scheduleOk = (schedule.kind === "at" && typeof schedule.at === "string") ||
    (schedule.kind === "every" && typeof schedule.everyMs === "number" && schedule.everyMs >= 1) ||
    (schedule.kind === "cron" && typeof schedule.expr === "string" && schedule.expr.length > 0);
  if (!scheduleOk) {
    throw new ToolError('schedule must be {kind:"at",at}, {kind:"every",everyMs} or {kind:"cron",expr,tz?}');
  }
}

/** The payload kinds the tool makes, with their required fields. */
function checkPayload(payload: Record<string, unknown>): void {
  const payloadOk = (payload.kind === "systemEvent" && typeof payload.text === "string" && payload.text.length > 0) ||
    (payload.kind === "agentTurn" && typeof payload.message === "string" && payload.message.length > 0);
  if (!payloadOk) throw new ToolError('payload must be {kind:"systemEvent",text} or {kind:"agentTurn",message}');
}

/** The schedule and payload a new job must have. */
function checkShape(schedule: Record<string, unknown>, payload: Record<string, unknown>): void {
  checkSchedule(schedule);
  checkPayload(payload);
}

/**
 * A normalized patch (`update`): its own fields as a draft's, and the schedule/payload it touches
 * still ones the gateway runs (`merged`: the job after the patch).
 */
export function checkPatch(patch: Record<string, unknown>, merged: { schedule: unknown; payload: unknown }): void {
  checkFields("job", patch, JOB_FIELDS);
  if (isJsonObject(patch.payload)) {
    const fields = PAYLOAD_FIELDS[String(patch.payload.kind ?? (merged.payload as { kind?: unknown }).kind)];
    if (fields) checkFields("job.payload", patch.payload, fields);
  }
  if (isJsonObject(patch.delivery)) checkFields("job.delivery", patch.delivery, DELIVERY_FIELDS);
  for (const field of ["enabled", "deleteAfterRun"]) {
    if (field in patch && typeof patch[field] !== "boolean") throw new ToolError(`job.${field} must be a boolean`);
  }
  if ("sessionTarget" in patch && typeof patch.sessionTarget !== "string") {
    throw new ToolError("sessionTarget must be main, isolated, current or session:<key>");
  }
  // Only what the patch touches: an operator's job of another kind stays editable otherwise.
  if ("schedule" in patch) checkSchedule(isJsonObject(merged.schedule) ? merged.schedule : {});
  if ("payload" in patch) checkPayload(isJsonObject(merged.payload) ? merged.payload : {});
}
