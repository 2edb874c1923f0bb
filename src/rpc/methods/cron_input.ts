// What `cron.add` and `cron.update` accept, checked in the reference's order: its pre-checks, then
// the shared normalizer (agent/cron_normalize.ts), then the protocol schema, then the one-shot time
// window; refusals in its words (`invalid cron.add params: ...`).
import type { CronJobDraft } from "../../agent/cron_control.ts";
import { normalizeCronJobInput } from "../../agent/cron_normalize.ts";
import { parseBoolean } from "../../config/boolean_value.ts";
import { validateScheduleTimestamp } from "../../agent/cron_times.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { announceChannelProblem, type ChannelSetup } from "./cron_delivery_check.ts";
import type { ProtocolValidators } from "../validators.ts";

/** What checking input needs: the protocol validators and the clock (one-shot times). */
export interface CronInputDeps {
  validators: ProtocolValidators;
  now: () => number;
  /** The channels the config sets up (announce targets are checked against them); absent: not checked. */
  channels?: (() => ChannelSetup) | undefined;
}

/** The reference's refusal of a method's params. */
export function invalid(method: string, reason: string): RpcError {
  return new RpcError("INVALID_REQUEST", `invalid ${method} params: ${reason}`);
}

/** An error's message, whatever was thrown. */
export function errorText(error: unknown): string {
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
  deps: CronInputDeps,
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
  const channelProblem = deps.channels && announceChannelProblem(checked.value.delivery, deps.channels());
  if (channelProblem) throw invalid("cron.add", channelProblem);
  // `null` clears a field on update only; on create it means absent.
  const { agentId, sessionKey, ...rest } = checked.value;
  const draft: CronJobDraft = {
    ...rest,
    ...(agentId ? { agentId } : {}),
    ...(sessionKey ? { sessionKey } : {}),
    enabled: checked.value.enabled ?? true,
    // An `every` schedule is anchored by the scheduler at creation (anchorMs = createdAtMs, as the reference).
    schedule: checked.value.schedule as CronJobDraft["schedule"],
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
export async function patchFromUpdateParams(params: unknown, deps: CronInputDeps): Promise<Record<string, unknown>> {
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
  const channelProblem = deps.channels && announceChannelProblem(patch.delivery, deps.channels());
  if (channelProblem) throw invalid("cron.update", channelProblem);
  return patch;
}
