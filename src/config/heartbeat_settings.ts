// Per-agent heartbeat settings: what the heartbeat runner runs on, and what `health.agents[].heartbeat`
// and `status.heartbeat` report. Enrollment, interval and prompt follow the reference's rules.
import { isJsonObject, objectOrEmpty } from "../log/json_object.ts";
import { parseDurationMs } from "./duration_text.ts";
import type { RawConfig } from "./schema.ts";

/** The heartbeat settings of one agent, in the reference's key order. */
export interface HeartbeatSettings {
  enabled: boolean;
  every: string;
  everyMs: number | null;
  prompt: string;
  target: string;
  model?: string | undefined;
  session?: string | undefined;
  ackMaxChars: number;
}

/** `heartbeat.activeHours`: `HH:MM` start (inclusive) and end (exclusive, `24:00` allowed), in `timezone`. */
export interface ActiveHours {
  start?: string | undefined;
  end?: string | undefined;
  timezone?: string | undefined;
}

/** Everything a heartbeat turn of one agent runs on (`agents.defaults.heartbeat` overlaid with the agent's own). */
export interface ResolvedHeartbeat extends HeartbeatSettings {
  to?: string | undefined;
  accountId?: string | undefined;
  activeHours?: ActiveHours | undefined;
  isolatedSession: boolean;
  lightContext: boolean;
  /** `heartbeat.timeoutSeconds`, else `agents.defaults.timeoutSeconds`, else the interval capped at 600 s. */
  timeoutSeconds: number;
  directPolicy: "allow" | "block";
  /** `agents.defaults.userTimezone`: what `activeHours` uses without a timezone of its own. */
  userTimezone?: string | undefined;
}

/** The reference's delivery target when none is configured. */
const DEFAULT_TARGET = "owner";
/** The reference caps heartbeat acknowledgements at this many characters, whatever the config. */
const ACK_MAX_CHARS = 300;
const DEFAULT_EVERY = "30m";
const MAX_DEFAULT_TIMEOUT_SECONDS = 600;

/** The reference's heartbeat prompt when `heartbeat.prompt` is unset (sent verbatim). */
export const DEFAULT_HEARTBEAT_PROMPT = "Follow the heartbeat monitor scratch context when provided. Recurring " +
  "tasks are automations; create or change their schedules with the automations tool, not heartbeat scratch. " +
  "Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply NO_REPLY.";

/** Agent entries as `[id, entry]`, from `agents.entries` or the older `agents.list`. */
function agentEntries(config: RawConfig): [string, Record<string, unknown>][] {
  const agents = objectOrEmpty(config.agents);
  const entries = Object.entries(objectOrEmpty(agents.entries)).map((
    [id, entry],
  ): [string, Record<string, unknown>] => [
    id,
    objectOrEmpty(entry),
  ]);
  if (entries.length > 0) return entries;
  const list = Array.isArray(agents.list) ? agents.list.map(objectOrEmpty) : [];
  return list.filter((entry) => typeof entry.id === "string").map((entry) => [String(entry.id), entry]);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/**
 * The agents whose heartbeat runs, as the reference enrolls them: those with a `heartbeat` block of
 * their own; else `agents.defaults.heartbeat.agentId`; else every agent when `agents.defaults.heartbeat`
 * is set; else the one owner (the agent marked `default`, or the sole agent).
 */
export function heartbeatAgentIds(config: RawConfig): string[] {
  const entries = agentEntries(config);
  const explicit = entries.filter(([, entry]) => isJsonObject(entry.heartbeat)).map(([id]) => id);
  if (explicit.length > 0) return explicit;
  const defaults = objectOrEmpty(objectOrEmpty(config.agents).defaults).heartbeat;
  const owner = text(objectOrEmpty(defaults).agentId);
  if (owner) return [owner];
  if (entries.length === 0) return ["main"];
  if (isJsonObject(defaults)) return entries.map(([id]) => id);
  const marked = entries.find(([, entry]) => entry.default === true);
  if (marked) return [marked[0]];
  return entries.length === 1 ? [entries[0]![0]] : [];
}

/** The interval of `every` (a duration, minutes by default), or null when it does not run (`0m`, unparsable). */
export function heartbeatIntervalMs(every: string): number | null {
  const ms = parseDurationMs(every, "m");
  return ms !== undefined && ms > 0 ? ms : null;
}

/** Everything one agent's heartbeat runs on, under `config`. */
export function resolveHeartbeat(config: RawConfig, agentId: string): ResolvedHeartbeat {
  const defaults = objectOrEmpty(objectOrEmpty(config.agents).defaults);
  const own = agentEntries(config).find(([id]) => id === agentId)?.[1];
  const merged = { ...objectOrEmpty(defaults.heartbeat), ...objectOrEmpty(own?.heartbeat) };
  const every = typeof merged.every === "number" ? String(merged.every) : text(merged.every) ?? DEFAULT_EVERY;
  const intervalMs = heartbeatIntervalMs(every);
  const enabled = heartbeatAgentIds(config).includes(agentId) && intervalMs !== null;
  const active = isJsonObject(merged.activeHours) ? merged.activeHours : undefined;
  const agentTimeout = typeof defaults.timeoutSeconds === "number" ? defaults.timeoutSeconds : undefined;
  const timeoutSeconds = typeof merged.timeoutSeconds === "number"
    ? merged.timeoutSeconds
    : agentTimeout ?? (intervalMs ? Math.min(MAX_DEFAULT_TIMEOUT_SECONDS, Math.ceil(intervalMs / 1000)) : 600);
  return {
    enabled,
    every: enabled ? every : "disabled",
    everyMs: enabled ? intervalMs : null,
    prompt: text(merged.prompt)?.trim() ?? DEFAULT_HEARTBEAT_PROMPT,
    target: text(merged.target) ?? DEFAULT_TARGET,
    model: text(merged.model),
    session: text(merged.session),
    ackMaxChars: ACK_MAX_CHARS,
    to: typeof merged.to === "number" ? String(merged.to) : text(merged.to),
    accountId: text(merged.accountId),
    activeHours: active
      ? { start: text(active.start), end: text(active.end), timezone: text(active.timezone) }
      : undefined,
    isolatedSession: merged.isolatedSession === true,
    lightContext: merged.lightContext === true,
    timeoutSeconds,
    directPolicy: merged.directPolicy === "block" ? "block" : "allow",
    userTimezone: text(defaults.userTimezone),
  };
}

/** The heartbeat settings of `agentId` as `health` and `status` report them. */
export function heartbeatSettings(config: RawConfig, agentId: string): HeartbeatSettings {
  const { enabled, every, everyMs, prompt, target, model, session, ackMaxChars } = resolveHeartbeat(config, agentId);
  return { enabled, every, everyMs, prompt, target, model, session, ackMaxChars };
}

/** The heartbeat side of a whole config: which agents run, each one's settings, whether automations run. */
export interface HeartbeatConfigView {
  /** The enrolled agents (heartbeatAgentIds). */
  agentIds: readonly string[];
  of(agentId: string): ResolvedHeartbeat;
  /** `cron.enabled` (default true): scheduled heartbeats need automations on, as in the reference. */
  cronEnabled: boolean;
}

/** The heartbeat view of `config`. */
export function heartbeatConfigView(config: RawConfig): HeartbeatConfigView {
  return {
    agentIds: heartbeatAgentIds(config),
    of: (agentId) => resolveHeartbeat(config, agentId),
    cronEnabled: objectOrEmpty(config.cron).enabled !== false,
  };
}
