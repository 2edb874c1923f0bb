// Jobs in a shared state dir that belong to a part of the reference OpenClaw this gateway lacks. The
// reference creates some in every state dir it starts on (measured, 2026.9.6): `heartbeat-main`
// (declaration `heartbeat:<agent>`, payload kind `heartbeat`: its heartbeat monitor),
// `skill-collection-review-<agent>` (`skill-collection-review:<agent>`, an agent turn that edits the
// reference's Skill Workshop with exec tools) and "Memory Dreaming Promotion"
// (`memory-core:memory-dreaming-promotion`, a marker message its memory-core plugin intercepts). Its
// backup schedule uses payload kind `command`. Run here they would double our heartbeat, send a marker
// to the model, or fail and back off until auto-disabled, which writes `enabled: false` into the
// reference's own job. The store keeps and lists them unchanged; the scheduler must not run them.
import type { CronJob } from "../agent/cron_control.ts";

/** Payload kinds this gateway's runner executes; the reference's others (`heartbeat`, `script`, `command`) it does not. */
const RUNNABLE_PAYLOAD_KINDS = new Set(["systemEvent", "agentTurn"]);

/** Declaration-key namespaces of jobs the reference's own subsystems create and run. */
const REFERENCE_SUBSYSTEM_DECLARATIONS = [
  // The reference's system monitors (its isSystemMonitorDeclaration): cron clients may not edit them.
  "heartbeat:",
  "skill-collection-review:",
  // Jobs of the reference's memory-core plugin (dreaming).
  "memory-core:",
];

/**
 * Why `job` is the reference's to run and not ours (a sentence for logs and status), or undefined for
 * a job this gateway runs. Operator jobs the reference's doctor migrated (`heartbeat-task:`) are ours:
 * they are plain system events.
 */
export function referenceOwnedReason(job: Pick<CronJob, "payload" | "declarationKey">): string | undefined {
  // Rows are read as stored: the kind may be one the protocol's types do not name.
  const kind: string = job.payload.kind;
  if (kind === "heartbeat") {
    return "the reference's heartbeat monitor (payload kind heartbeat); heartbeats run on their own timer here";
  }
  if (!RUNNABLE_PAYLOAD_KINDS.has(kind)) return `payload kind ${kind} runs only in the reference OpenClaw`;
  const key = job.declarationKey ?? "";
  const namespace = REFERENCE_SUBSYSTEM_DECLARATIONS.find((prefix) => key.startsWith(prefix));
  if (namespace) return `managed by the reference OpenClaw (declaration ${key})`;
  return undefined;
}

/** Whether the scheduler must leave `job` alone: never run it, catch it up, back it off or rewrite it. */
export function isReferenceOwnedCronJob(job: Pick<CronJob, "payload" | "declarationKey">): boolean {
  return referenceOwnedReason(job) !== undefined;
}
