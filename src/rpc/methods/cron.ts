// The cron methods, feature off: this gateway schedules no jobs (cron is a later issue), so the
// scheduler reports itself disabled with no jobs and no runs, in the reference's shapes.
import { join } from "node:path";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of the cron methods. */
export interface CronDeps {
  stateDir: string;
}

/** The `cron.status` payload of a scheduler that is off. */
export function cronStatusPayload(stateDir: string) {
  // Where the reference keeps its jobs (state/openclaw.sqlite); named so clients show the same path.
  const sqlitePath = join(stateDir, "state", "openclaw.sqlite");
  return {
    enabled: false,
    triggersEnabled: false,
    storePath: sqlitePath,
    storage: "sqlite",
    sqlitePath,
    jobs: 0,
    nextWakeAtMs: null,
  };
}

/** An empty page as `cron.list` and `cron.runs` answer it. */
function emptyPage(params: { limit?: number; offset?: number }, defaultLimit: number) {
  return {
    total: 0,
    offset: params.offset ?? 0,
    limit: params.limit ?? defaultLimit,
    hasMore: false,
    nextOffset: null,
  };
}

/** `cron.status`, `cron.list`, `cron.runs`. */
export function cronMethods(deps: CronDeps): MethodTable {
  return {
    "cron.status": validated("operator.read", "validateCronStatusParams", () => cronStatusPayload(deps.stateDir)),
    "cron.list": validated("operator.read", "validateCronListParams", ({ params }) => ({
      jobs: [],
      ...emptyPage(params, 200),
      deliveryPreviews: {},
    })),
    "cron.runs": validated("operator.read", "validateCronRunsParams", ({ params }) => ({
      entries: [],
      ...emptyPage(params, 50),
    })),
  };
}
