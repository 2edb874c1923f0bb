// `openclaw cron edit <id>` flags turned into the `cron.update` patch exactly as the reference CLI
// builds it (only the fields named change; `--clear-*` sends null), with its refusals. Pure.
import {
  CronCliError,
  type CronMutationFlags,
  list,
  scheduleFromFlags,
  sessionTargetOf,
  text,
  timeoutOf,
} from "./cron_params.ts";

function payloadPatch(flags: CronMutationFlags): Record<string, unknown> | undefined {
  if (flags.model !== undefined && flags.clearModel) throw new CronCliError("Use --model or --clear-model, not both");
  if (flags.thinking !== undefined && flags.clearThinking) {
    throw new CronCliError("Use --thinking or --clear-thinking, not both");
  }
  const timeoutSeconds = timeoutOf(flags.timeoutSeconds);
  if (typeof flags.systemEvent === "string") {
    if (timeoutSeconds !== undefined) {
      throw new CronCliError("--timeout-seconds is not supported for systemEvent jobs.");
    }
    return { kind: "systemEvent", text: flags.systemEvent };
  }
  const agentTurn = typeof flags.message === "string" || text(flags.model) || flags.clearModel ||
    flags.fallbacks !== undefined ||
    flags.clearFallbacks || text(flags.thinking) || flags.clearThinking || typeof flags.lightContext === "boolean" ||
    timeoutSeconds !== undefined;
  if (!agentTurn) return undefined;
  const payload: Record<string, unknown> = { kind: "agentTurn" };
  if (typeof flags.message === "string") payload.message = flags.message;
  if (flags.clearModel) payload.model = null;
  else if (text(flags.model)) payload.model = text(flags.model);
  if (flags.fallbacks !== undefined) payload.fallbacks = list(flags.fallbacks);
  if (flags.clearFallbacks) payload.fallbacks = null;
  if (flags.clearThinking) payload.thinking = null;
  else if (text(flags.thinking)) payload.thinking = text(flags.thinking);
  if (timeoutSeconds !== undefined) payload.timeoutSeconds = timeoutSeconds;
  if (typeof flags.lightContext === "boolean") payload.lightContext = flags.lightContext;
  return payload;
}

/** The `cron.update` patch of `openclaw cron edit <id>` and its flags. */
export function editPatch(flags: CronMutationFlags, nowMs: number): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const sessionTarget = typeof flags.session === "string" ? sessionTargetOf(flags.session) : undefined;
  if (typeof flags.session === "string" && !sessionTarget) {
    throw new CronCliError("--session must be main, isolated, current, or session:<id>");
  }
  if (sessionTarget === "main" && flags.message) {
    throw new CronCliError("Main jobs cannot use --message or --command; use --system-event or --session isolated.");
  }
  const webhook = typeof flags.webhook === "string" ? text(flags.webhook) : undefined;
  if (typeof flags.webhook === "string" && !(webhook && /^https?:\/\//i.test(webhook))) {
    throw new CronCliError("--webhook must be a valid http(s) URL");
  }
  if ([Boolean(flags.announce), typeof flags.deliver === "boolean", Boolean(webhook)].filter(Boolean).length > 1) {
    throw new CronCliError("Choose at most one of --announce, --no-deliver, or --webhook.");
  }
  if (typeof flags.name === "string") patch.name = flags.name;
  const displayName = text(flags.displayName);
  if (typeof flags.displayName === "string" && !displayName) throw new CronCliError("--display-name must not be blank");
  if (displayName && flags.clearDisplayName) {
    throw new CronCliError("Use --display-name or --clear-display-name, not both");
  }
  if (displayName) patch.displayName = displayName;
  if (flags.clearDisplayName) patch.displayName = null;
  if (typeof flags.description === "string") patch.description = flags.description;
  if (flags.enable && flags.disable) throw new CronCliError("Choose --enable or --disable, not both");
  if (flags.enable) patch.enabled = true;
  if (flags.disable) patch.enabled = false;
  if (flags.deleteAfterRun && flags.keepAfterRun) {
    throw new CronCliError("Choose --delete-after-run or --keep-after-run, not both");
  }
  if (flags.deleteAfterRun) patch.deleteAfterRun = true;
  if (flags.keepAfterRun) patch.deleteAfterRun = false;
  if (sessionTarget) patch.sessionTarget = sessionTarget;
  if (typeof flags.wake === "string") {
    const wake = flags.wake.trim();
    if (wake !== "now" && wake !== "next-heartbeat") throw new CronCliError("--wake must be now or next-heartbeat");
    patch.wakeMode = wake;
  }
  const agentId = text(flags.agent);
  if (typeof flags.agent === "string" && !agentId) throw new CronCliError("--agent must not be blank");
  if (agentId && flags.clearAgent) throw new CronCliError("Use --agent or --clear-agent, not both");
  if (agentId) patch.agentId = agentId.toLowerCase();
  if (flags.clearAgent) patch.agentId = null;
  const schedule = scheduleFromFlags(flags, nowMs);
  if (schedule) patch.schedule = schedule;
  const payload = payloadPatch(flags);
  if (payload) patch.payload = payload;
  const hasMode = Boolean(flags.announce) || typeof flags.deliver === "boolean" || Boolean(webhook);
  const hasTarget = typeof flags.channel === "string" || typeof flags.to === "string" || flags.clearChannel ||
    flags.clearTo;
  const hasAccount = typeof flags.account === "string" || flags.clearAccount;
  if (webhook && (hasTarget || hasAccount)) {
    throw new CronCliError("--webhook cannot be combined with chat delivery options.");
  }
  if (hasMode || hasTarget || hasAccount || typeof flags.bestEffortDeliver === "boolean") {
    const delivery: Record<string, unknown> = {};
    if (hasMode) delivery.mode = webhook ? "webhook" : flags.announce || flags.deliver === true ? "announce" : "none";
    else if (flags.bestEffortDeliver === true) delivery.mode = "announce";
    if (flags.clearChannel) delivery.channel = null;
    else if (typeof flags.channel === "string") delivery.channel = text(flags.channel);
    if (webhook) delivery.to = webhook;
    else if (flags.clearTo) delivery.to = null;
    else if (typeof flags.to === "string") delivery.to = text(flags.to);
    if (flags.clearAccount) delivery.accountId = null;
    else if (typeof flags.account === "string") delivery.accountId = text(flags.account);
    if (typeof flags.bestEffortDeliver === "boolean") delivery.bestEffort = flags.bestEffortDeliver;
    patch.delivery = delivery;
  }
  return patch;
}
