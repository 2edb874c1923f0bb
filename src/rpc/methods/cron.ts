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

/** The revision the reference gives a job list: `sha256:` and the base64url SHA-256 of its JSON (`[]` here). */
export async function emptySnapshotRevision(): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("[]")));
  const base64 = btoa(String.fromCharCode(...digest));
  return `sha256:${base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
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
    // The reference CLI refuses a page with paging fields but no snapshotRevision.
    "cron.list": validated("operator.read", "validateCronListParams", async ({ params }) => ({
      jobs: [],
      snapshotRevision: await emptySnapshotRevision(),
      ...emptyPage(params, 200),
      // Only when asked for (the Automations page asks for none).
      ...(params.includeDeliveryPreviews === false ? {} : { deliveryPreviews: {} }),
    })),
    "cron.runs": validated("operator.read", "validateCronRunsParams", ({ params }) => ({
      entries: [],
      ...emptyPage(params, 50),
    })),
  };
}
