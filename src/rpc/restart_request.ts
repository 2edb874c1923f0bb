// `gateway.restart.request`'s params read as the reference reads them: a reason (trimmed, at most 200
// UTF-16 units), `skipDeferral`, and for a restart aimed at one process its target (pid, lock owner id,
// port) with either `safe: true` or a drain intent (`force` with `drainBudgetMs`, or `waitMs`). Each refusal
// is the reference's own message, which its CLI prints.

/** The process a targeted restart names; the gateway's reference lock must still say the same. */
export interface RestartTarget {
  pid: number;
  ownerId: string;
  port: number;
}

/** How long a targeted restart lets admitted work finish before it goes on regardless. */
export interface RestartIntent {
  force?: true;
  /** The drain budget; absent: the default budget (forced: 45 s; otherwise 5 minutes). */
  waitMs?: number;
}

/** What a valid request asks for. */
export type RestartRequest =
  | { kind: "safe"; reason: string | undefined; skipDeferral: boolean; target?: RestartTarget }
  | { kind: "targeted"; reason: string | undefined; target: RestartTarget; intent: RestartIntent };

/** The longest drain budget a caller may name (the reference's bound, under a 32-bit timer's). */
const MAX_BUDGET_MS = 2_147_000_000;
const REASON_MAX = 200;

function record(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The reason as the reference keeps it: trimmed, cut at 200 UTF-16 units without splitting a pair, trimmed again. */
function reasonOf(value: unknown): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const text = value.trim();
  if (text.length <= REASON_MAX) return text;
  const cut = text.charCodeAt(REASON_MAX - 1);
  return text.slice(0, cut >= 0xd800 && cut <= 0xdbff ? REASON_MAX - 1 : REASON_MAX).trim();
}

/** The target, undefined when absent, null when malformed. */
function targetOf(value: unknown): RestartTarget | undefined | null {
  if (value === undefined) return undefined;
  if (!record(value)) return null;
  const { pid, ownerId, port } = value;
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 0) return null;
  if (typeof ownerId !== "string" || ownerId.trim() === "") return null;
  if (typeof port !== "number" || !Number.isInteger(port) || port <= 0 || port > 65535) return null;
  return { pid, ownerId: ownerId.trim(), port };
}

/** The drain intent, null when malformed: `force` takes `drainBudgetMs`, a plain one `waitMs`, never both. */
function intentOf(value: unknown): RestartIntent | null {
  if (value !== undefined && !record(value)) return null;
  const raw = (value ?? {}) as Record<string, unknown>;
  if (raw.force !== undefined && typeof raw.force !== "boolean") return null;
  const force = raw.force === true;
  if (force ? raw.waitMs !== undefined : raw.drainBudgetMs !== undefined) return null;
  const budget = force ? raw.drainBudgetMs : raw.waitMs;
  const valid = typeof budget === "number" && Number.isSafeInteger(budget) && budget >= 0 && budget <= MAX_BUDGET_MS;
  if (budget !== undefined && !valid) return null;
  return { ...(force ? { force: true as const } : {}), ...(valid ? { waitMs: budget } : {}) };
}

/** Reads the params, or answers the reference's refusal (`INVALID_REQUEST`). */
export function parseRestartRequest(params: unknown): { ok: true; request: RestartRequest } | {
  ok: false;
  message: string;
} {
  if (!record(params)) return { ok: false, message: "invalid gateway.restart.request params" };
  const reason = reasonOf(params.reason);
  const skipDeferral = params.skipDeferral === true;
  const target = targetOf(params.target);
  if (target === null) return { ok: false, message: "invalid targeted gateway restart" };
  if (!target) return { ok: true, request: { kind: "safe", reason, skipDeferral } };
  if (params.safe !== undefined && typeof params.safe !== "boolean") {
    return { ok: false, message: "invalid safe targeted restart mode" };
  }
  if (params.safe === true) {
    if (params.restartIntent !== undefined) {
      return { ok: false, message: "safe targeted restart does not accept intent" };
    }
    return { ok: true, request: { kind: "safe", reason, skipDeferral, target } };
  }
  const intent = intentOf(params.restartIntent);
  if (!intent) return { ok: false, message: "invalid targeted gateway restart intent" };
  return { ok: true, request: { kind: "targeted", reason, target, intent } };
}

/**
 * Whether `params` ask for a restart of one named process that is not `safe`: the one restart the reference lets
 * through a prepared host suspension (the host's own restart of the process it froze).
 */
export function isTargetedNonSafeRestart(params: unknown): boolean {
  const parsed = parseRestartRequest(params);
  return parsed.ok && parsed.request.kind === "targeted";
}

/** The default drain budgets, as the reference's: 5 minutes, or 45 s for a forced restart naming none. */
export const RESTART_DEFERRAL_MS = 300_000;
const FORCED_DRAIN_MS = 45_000;

/**
 * How long a restart waits for admitted work before it goes on: undefined waits as long as it takes (`waitMs: 0`
 * on a plain restart), 0 not at all (a forced restart with `waitMs: 0`).
 */
export function drainBudgetMs(intent: RestartIntent): number | undefined {
  const wait = intent.waitMs ?? (intent.force ? FORCED_DRAIN_MS : undefined);
  if (wait === undefined) return RESTART_DEFERRAL_MS;
  if (wait === 0) return intent.force ? 0 : undefined;
  return wait;
}
