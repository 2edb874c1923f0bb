// `diagnostics.lanes` and `diagnostics.stability`: what the Debug page and `openclaw gateway
// stability` show. This gateway runs agent turns in one lane, one turn per session at a time with
// no cap across sessions, and keeps no diagnostic event ring, so stability lists no events.
import { isJsonObject } from "../../log/json_object.ts";
import { emptyParams, type MethodTable } from "../registry.ts";

/** Dependencies of the diagnostics methods. */
export interface DiagnosticsDeps {
  /** Turns running now (one per session) and waiting behind them. */
  activity(): { active: number; queued: number };
  now(): number;
}

/** The `diagnostics.lanes` payload. */
export function lanesPayload(activity: { active: number; queued: number }, now: number) {
  return {
    ts: now,
    lanes: [{
      lane: "main",
      queuedCount: activity.queued,
      activeCount: activity.active,
      // No cap across sessions: every session with a turn to run has one running.
      maxConcurrent: Math.max(1, activity.active),
      draining: false,
      generation: 0,
      blockedBy: null,
    }],
    dynamic: null,
  };
}

/** The `diagnostics.stability` payload of a gateway that records no diagnostic events. */
export function stabilityPayload(now: number) {
  return {
    generatedAt: new Date(now).toISOString(),
    capacity: 0,
    count: 0,
    dropped: 0,
    events: [],
    summary: { byType: {} },
  };
}

const STABILITY_KEYS = new Set(["limit", "type", "sinceSeq"]);

function stabilityParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (!isJsonObject(params)) return "must be object";
  const extra = Object.keys(params).find((key) => !STABILITY_KEYS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

/** `diagnostics.lanes`, `diagnostics.stability`. */
export function diagnosticsMethods(deps: DiagnosticsDeps): MethodTable {
  return {
    "diagnostics.lanes": {
      scope: "operator.read",
      check: emptyParams,
      handler: () => lanesPayload(deps.activity(), deps.now()),
    },
    "diagnostics.stability": {
      scope: "operator.read",
      check: stabilityParams,
      handler: () => stabilityPayload(deps.now()),
    },
  };
}
