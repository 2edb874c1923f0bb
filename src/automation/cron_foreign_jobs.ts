// Jobs this gateway keeps and lists but never runs: on a state dir shared with the reference, its
// own plugins declare jobs there (heartbeat-main with payload kind `heartbeat`, memory-core's
// "Memory Dreaming Promotion", skill-collection-review) that only those plugins know how to run,
// and payload kinds we lack (`command`, `script`). The scheduler does not arm, catch up or record
// them, so neither an error every interval nor a write to the reference's state comes of them.
import type { CronJob } from "../agent/cron_control.ts";

/** The payload kinds this gateway's runner performs. */
const RUNNABLE_PAYLOAD_KINDS: ReadonlySet<string> = new Set(["systemEvent", "agentTurn"]);

/** `declarationKey` prefixes of the reference's plugin-managed jobs (measured on 2026.9.6). */
const MANAGED_DECLARATION_PREFIXES = ["heartbeat:", "memory-core:", "skill-collection-review:"];

/** Why this gateway leaves the job to the reference, or undefined when it runs it. */
export function foreignJobReason(job: CronJob): string | undefined {
  const key = typeof job.declarationKey === "string" ? job.declarationKey : "";
  if (MANAGED_DECLARATION_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    return `cron job "${key}" is managed by an OpenClaw plugin this gateway does not run`;
  }
  const kind = String((job.payload as { kind?: unknown }).kind);
  if (!RUNNABLE_PAYLOAD_KINDS.has(kind)) return `cron payload kind "${kind}" is not supported by this gateway`;
  return undefined;
}
