// `openclaw cron add|edit` flags turned into `cron.add` params and `cron.update` patches exactly
// as the reference CLI builds them, with its refusals word for word. Pure.
import { parseDurationMs } from "./cron_format.ts";
import { isCalendarIso, isOffsetlessIso, zonedAtIso } from "./cron_zoned_at.ts";

/** A flag combination the reference CLI refuses, in its words. */
export class CronCliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CronCliError";
  }
}

/** The `add`/`edit` flags this CLI reads (commander's camelCase names). */
export interface CronMutationFlags {
  name?: string;
  displayName?: string;
  description?: string;
  deleteAfterRun?: boolean;
  keepAfterRun?: boolean;
  agent?: string;
  session?: string;
  sessionKey?: string;
  wake?: string;
  at?: string;
  every?: string;
  cron?: string;
  tz?: string;
  stagger?: string;
  exact?: boolean;
  systemEvent?: string;
  message?: string;
  thinking?: string;
  model?: string;
  fallbacks?: string;
  timeoutSeconds?: string;
  lightContext?: boolean;
  tools?: string;
  announce?: boolean;
  deliver?: boolean;
  webhook?: string;
  channel?: string;
  to?: string;
  threadId?: string;
  account?: string;
  bestEffortDeliver?: boolean;
  disabled?: boolean;
  declarationKey?: string;
  // edit only
  enable?: boolean;
  disable?: boolean;
  clearAgent?: boolean;
  clearModel?: boolean;
  clearThinking?: boolean;
  clearFallbacks?: boolean;
  clearDisplayName?: boolean;
  clearChannel?: boolean;
  clearTo?: boolean;
  clearAccount?: boolean;
}

/** A flag's text, trimmed; undefined when blank. */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** A comma- or space-separated flag as a list (`--tools`, `--fallbacks`). */
export function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(/[,\s]+/).map((entry) => entry.trim()).filter(Boolean);
}

function positiveDuration(input: string): number | null {
  const ms = parseDurationMs(input);
  return ms !== null && ms > 0 && ms <= 8.64e15 ? ms : null;
}

/** `--at` as an ISO time: an absolute time (offset-less is UTC, or wall time in `tz`) or a duration from now. */
export function parseAt(input: string, nowMs: number, tz?: string): string | null {
  const raw = input.trim();
  if (!raw) return null;
  if (tz && isOffsetlessIso(raw)) return zonedAtIso(raw, tz);
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    if (!isCalendarIso(raw)) return null;
    const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(raw) ? raw : raw.includes("T") ? `${raw}Z` : `${raw}T00:00:00Z`;
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  const duration = positiveDuration(raw.startsWith("+") ? raw.slice(1) : raw);
  return duration === null ? null : new Date(nowMs + duration).toISOString();
}

function staggerOf(flags: CronMutationFlags): number | undefined {
  const raw = text(flags.stagger) ?? "";
  if (raw && flags.exact) throw new CronCliError("Choose either --stagger or --exact, not both");
  if (flags.exact) return 0;
  if (!raw) return undefined;
  const ms = positiveDuration(raw);
  if (!ms) throw new CronCliError("Invalid --stagger; use e.g. 30s, 1m, 5m");
  return ms;
}

/** The schedule the flags name (at most one of `--at`, `--every`, `--cron`); undefined when none. */
export function scheduleFromFlags(flags: CronMutationFlags, nowMs: number): Record<string, unknown> | undefined {
  for (const value of [flags.at, flags.every, flags.cron]) {
    if (typeof value === "string" && !value.trim()) throw new CronCliError("Schedule values must not be blank");
  }
  const stagger = staggerOf(flags);
  const tz = text(flags.tz);
  const [at, every, expr] = [text(flags.at), text(flags.every), text(flags.cron)];
  if ([at, every, expr].filter(Boolean).length > 1) {
    throw new CronCliError("Choose exactly one schedule: --at, --every, --cron, --on-exit, or --stream-command");
  }
  if (tz && every) throw new CronCliError("--tz is only valid with --cron or offset-less --at");
  if (stagger !== undefined && (at || every)) {
    throw new CronCliError("--stagger/--exact are only valid for cron schedules");
  }
  if (at) {
    const iso = parseAt(at, nowMs, tz);
    if (!iso) throw new CronCliError("Invalid --at. Use an ISO timestamp or a duration like 20m.");
    return { kind: "at", at: iso };
  }
  if (every) {
    const everyMs = positiveDuration(every);
    if (!everyMs) throw new CronCliError("Invalid --every. Use a duration like 10m, 1h, or 1d.");
    return { kind: "every", everyMs };
  }
  if (expr) {
    return { kind: "cron", expr, ...(tz ? { tz } : {}), ...(stagger !== undefined ? { staggerMs: stagger } : {}) };
  }
  return undefined;
}

/** `--timeout-seconds` as a whole number of seconds. */
export function timeoutOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new CronCliError("--timeout-seconds must be a non-negative integer");
  return Number(raw.trim());
}

/** `--session` as a session target (`main`, `isolated`, `current`, `session:<id>`); undefined when invalid. */
export function sessionTargetOf(raw: string | undefined): string | undefined {
  const value = text(raw);
  if (!value) return undefined;
  const lower = value.toLowerCase();
  if (lower === "main" || lower === "isolated" || lower === "current") return lower;
  if (lower.startsWith("session:") && text(value.slice(8))) return `session:${text(value.slice(8))}`;
  return undefined;
}

/** `cron.add` params from `openclaw cron add [schedule] [message]` and its flags. */
export function addParams(
  positional: { first?: string | undefined; second?: string | undefined },
  flags: CronMutationFlags,
  context: { nowMs: number; sessionFromCli: boolean; channelFromCli: boolean },
): Record<string, unknown> {
  const hasScheduleFlag = [flags.at, flags.every, flags.cron].some((value) => typeof value === "string");
  const positionalSchedule = hasScheduleFlag ? undefined : text(positional.first);
  let schedule: Record<string, unknown> | undefined;
  if (positionalSchedule) {
    const every = /^every\s+(.+)$/i.exec(positionalSchedule)?.[1]?.trim();
    const looksCron = [5, 6].includes(positionalSchedule.split(/\s+/).length);
    schedule = scheduleFromFlags({
      ...flags,
      every,
      cron: looksCron ? positionalSchedule : undefined,
      at: every || looksCron ? undefined : positionalSchedule,
    }, context.nowMs);
  } else schedule = scheduleFromFlags(flags, context.nowMs);
  if (!schedule) {
    throw new CronCliError("Choose exactly one schedule: --at, --every, --cron, --on-exit, or --stream-command");
  }
  const wakeMode = text(flags.wake) ?? "now";
  if (wakeMode !== "now" && wakeMode !== "next-heartbeat") {
    throw new CronCliError("--wake must be now or next-heartbeat");
  }
  const agentId = text(flags.agent)?.toLowerCase();
  const hasAnnounce = Boolean(flags.announce) || flags.deliver === true;
  const hasNoDeliver = flags.deliver === false;
  const webhook = text(flags.webhook);
  if (flags.webhook !== undefined && !(webhook && /^https?:\/\//i.test(webhook))) {
    throw new CronCliError("--webhook must be a valid http(s) URL");
  }
  if ([hasAnnounce, hasNoDeliver, Boolean(webhook)].filter(Boolean).length > 1) {
    throw new CronCliError("Choose at most one of --announce, --no-deliver, or --webhook");
  }
  const systemEvent = text(flags.systemEvent) ?? "";
  const optionMessage = text(flags.message);
  const positionalMessage = positionalSchedule ? text(positional.second) : undefined;
  if (optionMessage && positionalMessage && optionMessage !== positionalMessage) {
    throw new CronCliError("Pass the automation message either positionally or with --message, not both.");
  }
  const message = optionMessage ?? positionalMessage ?? "";
  if ([Boolean(systemEvent), Boolean(message)].filter(Boolean).length !== 1) {
    throw new CronCliError("Choose exactly one payload: --system-event, --message, --command, or --script");
  }
  const toolsAllow = list(flags.tools);
  const payload: Record<string, unknown> = systemEvent
    ? { kind: "systemEvent", text: systemEvent, ...(toolsAllow ? { toolsAllow } : {}) }
    : {
      kind: "agentTurn",
      message,
      model: text(flags.model),
      fallbacks: list(flags.fallbacks),
      thinking: text(flags.thinking),
      timeoutSeconds: timeoutOf(flags.timeoutSeconds),
      lightContext: flags.lightContext === true ? true : undefined,
      toolsAllow,
    };
  const inferred = payload.kind === "agentTurn" ? "isolated" : "main";
  const sessionTarget = context.sessionFromCli ? sessionTargetOf(flags.session) ?? "" : inferred;
  const isolatedLike = sessionTarget === "isolated" || sessionTarget === "current" ||
    sessionTarget.startsWith("session:");
  if (sessionTarget !== "main" && !isolatedLike) {
    throw new CronCliError("--session must be main, isolated, current, or session:<id>");
  }
  if (flags.deleteAfterRun && flags.keepAfterRun) {
    throw new CronCliError("Choose --delete-after-run or --keep-after-run, not both");
  }
  if (sessionTarget === "main" && payload.kind !== "systemEvent") {
    throw new CronCliError("Main jobs require --system-event or --script.");
  }
  if (isolatedLike && payload.kind !== "agentTurn") {
    throw new CronCliError("Isolated jobs require --message, --command, or --script.");
  }
  if ((flags.announce || typeof flags.deliver === "boolean") && (!isolatedLike || payload.kind !== "agentTurn")) {
    throw new CronCliError("--announce/--no-deliver require a non-main agentTurn, command, or script session target.");
  }
  const accountId = text(flags.account);
  const threadId = flags.threadId === undefined ? undefined : Number(flags.threadId);
  if (threadId !== undefined && !(Number.isSafeInteger(threadId) && threadId > 0)) {
    throw new CronCliError("--thread-id must be a positive integer Telegram topic thread id");
  }
  const chatTarget = context.channelFromCli || typeof flags.to === "string" || Boolean(accountId) ||
    threadId !== undefined;
  if (chatTarget && (!isolatedLike || payload.kind !== "agentTurn")) {
    throw new CronCliError(
      "--channel, --to, --account, and --thread-id require a non-main agentTurn, command, or script job with delivery.",
    );
  }
  if (webhook && chatTarget) throw new CronCliError("--webhook cannot be combined with chat delivery options.");
  const mode = webhook ? "webhook" : isolatedLike ? (hasNoDeliver ? "none" : "announce") : undefined;
  const positionalName = hasScheduleFlag ? text(positional.first) : undefined;
  const optionName = text(flags.name);
  if (optionName && positionalName && optionName !== positionalName) {
    throw new CronCliError("Pass the automation name either positionally or with --name, not both.");
  }
  const name = optionName ?? positionalName ?? "";
  if (!name) throw new CronCliError("Cron job name is required. Pass a name or --name <name>.");
  const declarationKey = text(flags.declarationKey);
  return {
    name,
    declarationKey,
    displayName: text(flags.displayName),
    description: text(flags.description),
    ...(declarationKey && !flags.disabled ? {} : { enabled: !flags.disabled }),
    deleteAfterRun: flags.deleteAfterRun ? true : flags.keepAfterRun ? false : undefined,
    agentId,
    sessionKey: text(flags.sessionKey),
    schedule,
    sessionTarget,
    wakeMode,
    payload,
    delivery: mode
      ? {
        mode,
        channel: webhook ? undefined : text(flags.channel),
        to: webhook ?? text(flags.to),
        threadId: webhook ? undefined : threadId,
        accountId: webhook ? undefined : accountId,
        bestEffort: flags.bestEffortDeliver ? true : undefined,
      }
      : undefined,
  };
}
