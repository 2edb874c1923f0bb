// What `config.apply` and `config.patch` read from their params besides the config, and the restart note they
// answer with, in the reference's shapes (OpenClaw 2026.9.6): the restart delay, and the `sentinel` payload its
// gateway keeps to tell the session named in the request about the restart once it is back. This gateway sends
// no such message after a restart, so the payload is answered but not kept (`persisted: false`).

/** The reference's default wait before a restart a write schedules, and its bound. */
const DEFAULT_DELAY_MS = 2_000;
const MAX_DELAY_MS = 60_000;

/** The reference's follow-up hint in every config restart note. */
const DOCTOR_HINT =
  "Recommended follow-up: run openclaw doctor --non-interactive in a terminal or approvals-capable OpenClaw surface.";

/** Where the reference would post its after-restart message. */
export interface SentinelDelivery {
  channel?: string;
  to?: string;
  accountId?: string;
}

/** Which write a restart note is for. */
export type ConfigWriteMethod = "config.apply" | "config.patch";

/** The restart note of a `config.apply` or `config.patch` answer (`sentinel.payload`). */
export interface ConfigRestartNote {
  kind: "config-apply" | "config-patch";
  status: "ok";
  ts: number;
  sessionKey?: string;
  deliveryContext?: SentinelDelivery;
  threadId?: string;
  message: string | null;
  doctorHint: string;
  stats: { mode: ConfigWriteMethod; root: string; requiresRestart: boolean };
}

function trimmed(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

/** `restartDelayMs` as the reference takes it: whole milliseconds within 0–60,000; 2,000 when absent or not a number. */
export function restartDelayMs(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return DEFAULT_DELAY_MS;
  return Math.min(Math.max(Math.floor(value), 0), MAX_DELAY_MS);
}

/** A thread id as the reference keeps it: a non-blank string, or a finite number written out. */
function threadIdOf(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(Math.trunc(value));
  return trimmed(value);
}

/** The restart note for one write, from its params (`sessionKey`, `deliveryContext`, `note`). */
export function configRestartNote(input: {
  method: ConfigWriteMethod;
  params: Record<string, unknown>;
  configPath: string;
  requiresRestart: boolean;
  now: number;
}): ConfigRestartNote {
  const { params } = input;
  const context = record(params.deliveryContext);
  const delivery: SentinelDelivery = {};
  for (const key of ["channel", "to", "accountId"] as const) {
    const value = trimmed(context?.[key]);
    if (value !== undefined) delivery[key] = value;
  }
  const sessionKey = trimmed(params.sessionKey);
  const threadId = threadIdOf(context?.threadId);
  return {
    kind: input.method === "config.apply" ? "config-apply" : "config-patch",
    status: "ok",
    ts: input.now,
    ...(sessionKey !== undefined ? { sessionKey } : {}),
    ...(Object.keys(delivery).length > 0 ? { deliveryContext: delivery } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
    message: trimmed(params.note) ?? null,
    doctorHint: DOCTOR_HINT,
    stats: { mode: input.method, root: input.configPath, requiresRestart: input.requiresRestart },
  };
}
