// How `openclaw cron` shows jobs, as the reference CLI does: durations (`10m`, `every 1m 30s`),
// schedules (`cron 0 7 * * * @ UTC (exact)`), relative times (`in 5m`), job status, the list
// table with its fixed column widths and the `show` view. Pure text; the command prints it.

/** A job as the CLI reads it from the gateway's JSON. */
export interface CronJobRow {
  id: string;
  name: string;
  enabled: boolean;
  declarationKey?: string;
  displayName?: string;
  agentId?: string;
  effectiveAgentId?: string | null;
  owner?: { agentId?: string; sessionKey?: string };
  schedule: Record<string, unknown> & { kind: string };
  trigger?: unknown;
  sessionTarget?: string;
  payload?: Record<string, unknown> & { kind: string };
  state?: Record<string, unknown>;
}

/** A delivery preview as `cron.list` sends it. */
export interface DeliveryPreviewRow {
  label: string;
  detail: string;
}

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** A duration (`10m`, `1h30m`, `90s`, `500ms`, `2d`) in milliseconds; null when it is none. */
export function parseDurationMs(input: string): number | null {
  const text = input.trim().toLowerCase();
  if (!text) return null;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  const part = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/gy;
  let total = 0;
  let end = 0;
  for (const match of text.matchAll(part)) {
    total += Number(match[1]) * (match[2] === "ms" ? 1 : UNIT_MS[match[2] as keyof typeof UNIT_MS]);
    end = (match.index ?? 0) + match[0].length;
  }
  return end === text.length && end > 0 ? Math.round(total) : null;
}

/** An exact duration: every non-zero unit (`1m 30s`, `1s 1ms`). */
export function formatExactDuration(ms: number): string {
  let remaining = Math.round(ms);
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    const value = Math.floor(remaining / size);
    if (value > 0) {
      parts.push(`${value}${unit}`);
      remaining -= value * size;
    }
  }
  return parts.length ? parts.join(" ") : "0ms";
}

/** A rounded single-unit duration (`5m`, `3h`, `5d`), as the reference labels next and last runs. */
export function formatHumanDuration(ms: number): string {
  const units = [["ms", 1], ["s", 1000], ["m", 60_000], ["h", 3_600_000], ["d", 86_400_000]] as const;
  let index = 0;
  while (index + 1 < units.length && Math.round(ms / units[index]![1]) * units[index]![1] >= units[index + 1]![1]) {
    index++;
  }
  const [unit, size] = units[index]!;
  return `${Math.round(ms / size)}${unit}`;
}

/** `in 5m`, `3h ago`, `-` when there is no time. */
export function formatRelative(ms: unknown, nowMs: number): string {
  if (typeof ms !== "number" || !ms) return "-";
  const delta = ms - nowMs;
  const label = Math.abs(delta) < 60_000 ? "<1m" : formatHumanDuration(Math.abs(delta));
  return delta >= 0 ? `in ${label}` : `${label} ago`;
}

function isTopOfHour(expr: string): boolean {
  const fields = expr.trim().split(/\s+/);
  const hourPart = /^(?:\d+|\d+-\d+)(?:\/\d+)?$|^[*?](?:\/\d+)?$/;
  const wildcardHour = (field: string) =>
    field.split(",").every((p) => hourPart.test(p)) &&
    field.split(",").some((p) => p.startsWith("*") || p.startsWith("?"));
  if (fields.length === 5) return fields[0] === "0" && wildcardHour(fields[1]!);
  return fields.length === 6 && fields[0] === "0" && fields[1] === "0" && wildcardHour(fields[2]!);
}

/** A schedule as the list shows it. */
export function formatSchedule(schedule: CronJobRow["schedule"], hasTrigger = false): string {
  const suffix = hasTrigger ? "+trigger" : "";
  if (schedule.kind === "at") {
    const ms = Date.parse(String(schedule.at));
    const iso = Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, -8).replace("T", " ")}Z` : "-";
    return `at ${iso}${suffix}`;
  }
  if (schedule.kind === "every") return `every ${formatExactDuration(Number(schedule.everyMs))}${suffix}`;
  if (schedule.kind !== "cron") return "-";
  const expr = String(schedule.expr);
  const base = schedule.tz ? `cron ${expr} @ ${schedule.tz}${suffix}` : `cron ${expr}${suffix}`;
  const stagger = typeof schedule.staggerMs === "number" ? schedule.staggerMs : isTopOfHour(expr) ? 300_000 : 0;
  return stagger <= 0 ? `${base} (exact)` : `${base} (stagger ${formatExactDuration(stagger)})`;
}

/** A job's status as JSON carries it: disabled, running, the last run's status, else idle. */
export function jobStatus(job: CronJobRow): string {
  const state = job.state ?? {};
  if (!job.enabled) return "disabled";
  if (typeof state.runningAtMs === "number") return "running";
  const last = state.lastRunStatus ?? state.lastStatus;
  return typeof last === "string" ? last : "idle";
}

/** The status as the table shows it (repeated errors counted, undelivered runs marked). */
export function statusLabel(job: CronJobRow): string {
  const state = job.state ?? {};
  const status = jobStatus(job);
  const failures = typeof state.consecutiveErrors === "number" ? state.consecutiveErrors : 0;
  if (status === "error" && failures > 1) return failures > 99 ? "error (99+x)" : `error (${failures}x)`;
  if (status === "ok" && state.lastDeliveryStatus === "not-delivered") {
    return state.deliverySuppressionReason !== undefined ? "ok (suppressed)" : "ok (not delivered)";
  }
  return status;
}

function shown(value: unknown): string {
  return typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : "-";
}

function cell(value: unknown, width: number): string {
  const text = shown(value);
  const fitted = text.length <= width ? text : `${text.slice(0, width - 3)}...`;
  return fitted.padEnd(width);
}

/** Column titles and widths of `openclaw cron list`. */
const COLUMNS: [string, number][] = [
  ["ID", 36],
  ["Declaration", 24],
  ["Name", 24],
  ["Schedule", 32],
  ["Next", 10],
  ["Last", 10],
  ["Status", 19],
  ["Target", 9],
  ["Delivery", 64],
  ["Agent ID", 10],
  ["Owner", 24],
  ["Model", 20],
];

/** The list table (or `No automations.`). */
export function cronListText(jobs: CronJobRow[], previews: Record<string, DeliveryPreviewRow>, nowMs: number): string {
  if (jobs.length === 0) return "No automations.";
  const lines = [COLUMNS.map(([title, width]) => cell(title, width)).join(" ")];
  for (const job of jobs) {
    const state = job.state ?? {};
    const preview = previews[job.id];
    const values = [
      job.id,
      job.declarationKey,
      job.displayName ?? job.name,
      formatSchedule(job.schedule, job.trigger !== undefined),
      job.enabled ? formatRelative(state.nextRunAtMs, nowMs) : "-",
      formatRelative(state.lastRunAtMs, nowMs),
      statusLabel(job),
      job.sessionTarget,
      preview ? `${preview.label} (${preview.detail})` : "-",
      job.effectiveAgentId ?? job.agentId ?? "unresolved",
      job.owner?.sessionKey ?? job.owner?.agentId,
      job.payload?.kind === "agentTurn" ? job.payload.model : undefined,
    ];
    lines.push(values.map((value, i) => cell(value, COLUMNS[i]![1])).join(" ").trimEnd());
  }
  return lines.join("\n");
}

/** The `openclaw cron show` view. */
export function cronShowText(job: CronJobRow, preview: DeliveryPreviewRow | undefined, nowMs: number): string {
  const state = job.state ?? {};
  const show = shown;
  const delivery = preview ?? { label: "-", detail: "unavailable" };
  return [
    `id: ${show(job.id)}`,
    `declaration: ${show(job.declarationKey)}`,
    `name: ${show(job.name)}`,
    `display name: ${show(job.displayName)}`,
    `owner agent: ${show(job.owner?.agentId)}`,
    `owner session: ${show(job.owner?.sessionKey)}`,
    `enabled: ${job.enabled ? "yes" : "no"}`,
    `schedule: ${formatSchedule(job.schedule, job.trigger !== undefined)}`,
    `trigger: -`,
    `session: ${show(job.sessionTarget)}`,
    `agent: ${show(job.agentId)}`,
    `model: ${show(job.payload?.kind === "agentTurn" ? job.payload.model : undefined)}`,
    `delivery: ${show(delivery.label)} (${show(delivery.detail)})`,
    `next: ${formatRelative(state.nextRunAtMs, nowMs)}`,
    `last: ${formatRelative(state.lastRunAtMs, nowMs)}`,
    `status: ${statusLabel(job)}`,
    `last error: ${show(state.lastError)}`,
    `last delivery: ${show(state.lastDeliveryStatus)}`,
    `last delivery suppression: ${show(state.deliverySuppressionReason)}`,
    `last delivery error: ${show(state.lastDeliveryError)}`,
    `diagnostic: ${show(state.lastDiagnosticSummary)}`,
  ].join("\n");
}
