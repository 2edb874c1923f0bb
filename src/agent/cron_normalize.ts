// Cron job input as the reference reads it before validating: trims and lowercases what it does,
// drops what it drops, and on create fills its defaults (name, wakeMode, sessionTarget, delivery,
// deleteAfterRun, the top-of-hour stagger). Pure, shared by the `cron.*` methods and the `cron`
// tool so both accept exactly what the reference accepts. Lives in agent/ because the tool does.
import { isJsonObject } from "../log/json_object.ts";
import { defaultStaggerMs, parseAbsoluteTimeMs } from "./cron_times.ts";
import { parseBoolean } from "../config/boolean_value.ts";

type Json = Record<string, unknown>;

/** The reference's error for a `session:` target with no usable id. */
export const INVALID_SESSION_TARGET_ID = "invalid cron sessionTarget session id";
const MAX_DATE_MS = 8_640_000_000_000_000;

function trimmed(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  return text ? text : undefined;
}

function lowerTrimmed(value: unknown): string | undefined {
  return trimmed(value)?.toLowerCase();
}

/** A strict number: a finite number, or a string that is wholly one (`"60000"`). */
function strictNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || !value.trim()) return undefined;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : undefined;
}

function timestampNumber(value: unknown): number | undefined {
  const parsed = strictNumber(value);
  return parsed !== undefined && Math.abs(parsed) <= MAX_DATE_MS ? parsed : undefined;
}

function staggerOf(raw: unknown): number | undefined {
  const numeric = typeof raw === "number"
    ? raw
    : typeof raw === "string" && /^\d+$/.test(raw.trim())
    ? Number(raw.trim())
    : NaN;
  if (!Number.isFinite(numeric)) return undefined;
  return Math.min(Math.max(0, Math.floor(numeric)), MAX_DATE_MS);
}

const SCHEDULE_KINDS = ["at", "every", "cron", "on-exit", "stream"];
/** Fields each schedule kind keeps; the reference drops the others. */
const SCHEDULE_FIELDS: Record<string, readonly string[]> = {
  at: ["kind", "at"],
  every: ["kind", "everyMs", "anchorMs"],
  cron: ["kind", "expr", "tz", "staggerMs"],
  "on-exit": ["kind", "command", "cwd"],
  stream: ["kind", "command", "cwd", "mode", "match", "batchMs", "maxBatchBytes"],
};

function normalizeSchedule(input: Json): Json {
  const next: Json = { ...input };
  const kind = lowerTrimmed(next.kind);
  if (kind && SCHEDULE_KINDS.includes(kind)) next.kind = kind;
  const at = trimmed(next.at);
  if (at) {
    const ms = parseAbsoluteTimeMs(at);
    next.at = ms === null ? at : new Date(ms).toISOString();
  }
  const expr = trimmed(next.expr);
  if (expr) next.expr = expr;
  else delete next.expr;
  const tz = trimmed(next.tz);
  if (tz) next.tz = tz;
  else delete next.tz;
  const everyMs = timestampNumber(next.everyMs);
  if (everyMs !== undefined && everyMs >= 1) next.everyMs = Math.floor(everyMs);
  const anchorMs = timestampNumber(next.anchorMs);
  if (anchorMs !== undefined && anchorMs >= 0) next.anchorMs = Math.floor(anchorMs);
  const stagger = staggerOf(next.staggerMs);
  if (stagger !== undefined) next.staggerMs = stagger;
  else if (next.kind === "cron" && next.staggerMs !== undefined) {
    throw new TypeError("schedule.staggerMs must be a valid number or non-negative integer string");
  } else delete next.staggerMs;
  const keep = SCHEDULE_FIELDS[String(next.kind)];
  if (keep) { for (const key of Object.keys(next)) if (!keep.includes(key)) delete next[key]; }
  return next;
}

/** Fields each payload kind drops, as the reference's normalizer does. */
const PAYLOAD_DROPS: Record<string, readonly string[]> = {
  systemEvent: [
    "message",
    "model",
    "fallbacks",
    "thinking",
    "timeoutSeconds",
    "lightContext",
    "allowUnsafeExternalContent",
  ],
  agentTurn: ["text"],
};
const COMMAND_FIELDS = [
  "argv",
  "cwd",
  "env",
  "input",
  "noOutputTimeoutSeconds",
  "outputMaxBytes",
  "script",
  "toolBudget",
];

function trimmedList(value: unknown): string[] | null | undefined {
  if (value === null) return null;
  if (!Array.isArray(value)) return undefined;
  const list = value.map((entry) => (typeof entry === "string" ? entry.trim() : "")).filter(Boolean);
  return list.length === 0 && value.length > 0 ? undefined : list;
}

function normalizePayload(input: Json): Json {
  const next: Json = { ...input };
  const kind = lowerTrimmed(next.kind);
  if (kind === "agentturn") next.kind = "agentTurn";
  else if (kind === "systemevent") next.kind = "systemEvent";
  else if (kind) next.kind = kind;
  for (const field of ["message", "text"]) {
    if (typeof next[field] === "string") next[field] = trimmed(next[field]) ?? "";
  }
  for (const field of ["model", "thinking"]) {
    if (!(field in next) || next[field] === null) continue;
    const value = trimmed(next[field]);
    if (value !== undefined) next[field] = value;
    else delete next[field];
  }
  if ("timeoutSeconds" in next && next.timeoutSeconds !== null) {
    const value = next.timeoutSeconds;
    if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) delete next.timeoutSeconds;
  }
  for (const field of ["fallbacks", "toolsAllow"]) {
    if (!(field in next)) continue;
    const value = trimmedList(next[field]);
    if (value !== undefined) next[field] = value;
    else delete next[field];
  }
  if ("allowUnsafeExternalContent" in next && typeof next.allowUnsafeExternalContent !== "boolean") {
    delete next.allowUnsafeExternalContent;
  }
  const agentTurnHint = ["model", "fallbacks", "thinking", "timeoutSeconds"].some((field) => field in next) ||
    typeof next.lightContext === "boolean" || typeof next.allowUnsafeExternalContent === "boolean";
  if (!("kind" in next) && typeof next.text === "string" && agentTurnHint) {
    next.kind = "agentTurn";
    next.message = next.text;
  }
  const drops = PAYLOAD_DROPS[String(next.kind)];
  if (drops) { for (const field of [...drops, ...COMMAND_FIELDS]) delete next[field]; }
  return next;
}

function normalizeDelivery(input: Json): Json {
  const next: Json = { ...input };
  const mode = lowerTrimmed(next.mode);
  const modeValue = mode === "deliver" ? "announce" : mode;
  if (modeValue && ["announce", "none", "webhook"].includes(modeValue)) next.mode = modeValue;
  else delete next.mode;
  const fields: [string, (value: unknown) => unknown][] = [
    ["channel", lowerTrimmed],
    ["to", trimmed],
    ["threadId", (v) => (typeof v === "number" && Number.isFinite(v) ? v : trimmed(v))],
    ["accountId", trimmed],
  ];
  for (const [field, parse] of fields) {
    if (!(field in next) || next[field] === null) continue;
    const value = parse(next[field]);
    if (value !== undefined) next[field] = value;
    else delete next[field];
  }
  return next;
}

function normalizeSessionTarget(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (lower === "main" || lower === "isolated" || lower === "current") return lower;
  if (lower.startsWith("session:")) return `session:${safeSessionTargetId(text.slice(8))}`;
  return undefined;
}

/** The id part of a `session:<id>` target, trimmed; throws the reference's error when empty. */
export function safeSessionTargetId(id: string): string {
  const text = id.trim();
  if (!text || text.includes("\0")) throw new Error(INVALID_SESSION_TARGET_ID);
  return text;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The name the reference gives a job created without one: its first line of text, else its schedule. */
export function inferJobName(job: { schedule?: unknown; payload?: unknown }): string {
  const payload = isJsonObject(job.payload) ? job.payload : {};
  const schedule = isJsonObject(job.schedule) ? job.schedule : {};
  const text = payload.kind === "systemEvent" && typeof payload.text === "string"
    ? payload.text
    : payload.kind === "agentTurn" && typeof payload.message === "string"
    ? payload.message
    : payload.kind === "command" && Array.isArray(payload.argv)
    ? payload.argv.join(" ")
    : "";
  const firstLine = text.split("\n").map((line) => line.trim()).find(Boolean);
  if (firstLine) return truncate(firstLine, 60);
  if (schedule.kind === "cron" && typeof schedule.expr === "string") return `Cron: ${truncate(schedule.expr, 52)}`;
  if (schedule.kind === "every" && typeof schedule.everyMs === "number") return `Every: ${schedule.everyMs}ms`;
  if (schedule.kind === "at") return "One-shot";
  return "Automation";
}

function applyCreateDefaults(next: Json, sessionKey: string | undefined): void {
  if (!next.wakeMode) next.wakeMode = "now";
  if (typeof next.enabled !== "boolean") next.enabled = true;
  if (
    (typeof next.name !== "string" || !next.name.trim()) && isJsonObject(next.schedule) && isJsonObject(next.payload)
  ) {
    next.name = inferJobName(next);
  } else if (typeof next.name === "string" && next.name.trim()) next.name = next.name.trim();
  const payload = isJsonObject(next.payload) ? next.payload : undefined;
  const payloadKind = typeof payload?.kind === "string" ? payload.kind : "";
  if (!next.sessionTarget && payload) {
    if (payloadKind === "systemEvent" || payloadKind === "heartbeat") next.sessionTarget = "main";
    else if (payloadKind === "agentTurn") next.sessionTarget = "current";
    else if (payloadKind === "command" || payloadKind === "script") next.sessionTarget = "isolated";
  }
  const requested = typeof next.sessionTarget === "string" ? next.sessionTarget : undefined;
  const currentKey = sessionKey ?? (typeof next.sessionKey === "string" ? next.sessionKey : undefined);
  // `current` keeps the creating conversation; with none to keep it falls back to `isolated`.
  const resolved = requested === "current" ? (currentKey?.trim() ? "current" : "isolated") : requested;
  if (resolved !== undefined) {
    next.sessionTarget = resolved;
    if (resolved !== "isolated" && requested === "current" && currentKey?.trim()) {
      next.sessionKey = safeSessionTargetId(currentKey);
    }
  } else delete next.sessionTarget;
  const schedule = isJsonObject(next.schedule) ? next.schedule : undefined;
  if (schedule?.kind === "at" && !("deleteAfterRun" in next)) next.deleteAfterRun = true;
  if (schedule?.kind === "cron" && schedule.staggerMs === undefined) {
    const stagger = defaultStaggerMs(typeof schedule.expr === "string" ? schedule.expr : "");
    if (stagger !== undefined) schedule.staggerMs = stagger;
  }
  const target = String(next.sessionTarget ?? "");
  const detached = target === "isolated" || target === "current" || target.startsWith("session:");
  if (next.delivery === undefined && detached && ["agentTurn", "command", "script"].includes(payloadKind)) {
    next.delivery = { mode: "announce" };
  }
}

/** Normalizes raw job input (create: with defaults; patch: without); null when it is not an object. */
export function normalizeCronJobInput(
  raw: unknown,
  options: { applyDefaults: boolean; sessionKey?: string | undefined },
): Json | null {
  if (!isJsonObject(raw)) return null;
  const next: Json = { ...raw };
  for (const field of ["declarationKey", "displayName"]) {
    if (typeof raw[field] !== "string") continue;
    const value = trimmed(raw[field]);
    if (value) next[field] = value;
    else delete next[field];
  }
  for (const field of ["agentId", "sessionKey"]) {
    if (!(field in raw) || raw[field] === null || typeof raw[field] !== "string") continue;
    const value = trimmed(raw[field]);
    if (value) next[field] = field === "agentId" ? value.toLowerCase() : value;
    else delete next[field];
  }
  if ("enabled" in raw) {
    const enabled = parseBoolean(raw.enabled);
    if (enabled !== undefined) next.enabled = enabled;
  }
  if ("sessionTarget" in raw) {
    const target = normalizeSessionTarget(raw.sessionTarget);
    if (target) next.sessionTarget = target;
    else delete next.sessionTarget;
  }
  if ("wakeMode" in raw) {
    const mode = lowerTrimmed(raw.wakeMode);
    if (mode === "now" || mode === "next-heartbeat") next.wakeMode = mode;
    else delete next.wakeMode;
  }
  if (isJsonObject(raw.schedule)) next.schedule = normalizeSchedule(raw.schedule);
  if (isJsonObject(raw.payload)) next.payload = normalizePayload(raw.payload);
  if (isJsonObject(raw.delivery)) next.delivery = normalizeDelivery(raw.delivery);
  if (options.applyDefaults) applyCreateDefaults(next, options.sessionKey);
  return next;
}
