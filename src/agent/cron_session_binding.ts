// Which sessions a cron job is bound to, as the reference 2026.9.6 decides it for `cron.list`'s
// `sessionKey`/`sessionAgentId` (its Control UI's cron view of one session): the session its
// `sessionTarget` runs in and the session its `sessionKey` names, each as the store keys it.
// Recorded: tests/fixtures/reference_cron/session_scoped_list.json.
import type { CronJob } from "./cron_control.ts";

/** A session key as the reference's store keys it for agent `agentId`: `main` is the agent's main session. */
function storeKey(key: string, agentId: string, mainKey: string): string {
  const lowered = key.toLowerCase();
  if (lowered === "main" || lowered === mainKey) return `agent:${agentId}:${mainKey}`;
  const parsed = /^agent:([^:]+):(.+)$/i.exec(key);
  if (parsed) return `agent:${parsed[1]!.toLowerCase()}:${parsed[2]}`;
  return `agent:${agentId}:${key}`;
}

/**
 * The session keys job `job` is bound to: `main` → the agent's main session, `isolated`/`current` →
 * its own `cron:<id>` session, `session:<key>` → that session; plus its `sessionKey`, if any.
 */
export function cronJobBoundSessionKeys(
  job: Pick<CronJob, "id" | "agentId" | "sessionTarget" | "sessionKey">,
  defaultAgentId: string,
  mainKey = "main",
): Set<string> {
  const agentId = (job.agentId ?? defaultAgentId).toLowerCase();
  const keys = new Set<string>();
  const add = (key: string | undefined) => {
    const trimmed = key?.trim();
    if (trimmed) keys.add(storeKey(trimmed, agentId, mainKey));
  };
  const target = job.sessionTarget;
  if (target === "main") add("main");
  else if (target === "isolated" || target === "current") add(`cron:${job.id}`);
  else if (target.startsWith("session:")) add(target.slice("session:".length));
  add(job.sessionKey);
  return keys;
}

/**
 * Whether `job` belongs in the cron view of session `sessionKey` (compared as given: the reference
 * does not canonicalize it). A bare `sessionKey` also needs the job's owner to be `sessionAgentId`.
 */
export function cronJobInSessionView(
  job: Pick<CronJob, "id" | "agentId" | "sessionTarget" | "sessionKey" | "owner">,
  scope: { sessionKey?: string | undefined; sessionAgentId?: string | undefined },
  context: { defaultAgentId: string; mainKey?: string | undefined },
): boolean {
  if (!scope.sessionKey) return true;
  if (!cronJobBoundSessionKeys(job, context.defaultAgentId, context.mainKey).has(scope.sessionKey)) return false;
  if (/^agent:[^:]+:.+$/i.test(scope.sessionKey) || !scope.sessionAgentId) return true;
  const owner = job.owner?.agentId ?? context.defaultAgentId;
  return owner.toLowerCase() === scope.sessionAgentId.trim().toLowerCase();
}

/**
 * The sessions (store keys) enabled jobs are bound to: where the reference's session rows say
 * `hasAutomation`, which its Control UI turns into the session's link to its cron view
 * ("Automation attached"). One set per read, so a list of many rows costs one pass over the jobs.
 */
export function automationSessionKeys(
  jobs: readonly Pick<CronJob, "id" | "agentId" | "sessionTarget" | "sessionKey" | "enabled">[],
  context: { defaultAgentId: string; mainKey?: string | undefined },
): Set<string> {
  const keys = new Set<string>();
  for (const job of jobs) {
    if (!job.enabled) continue;
    for (const key of cronJobBoundSessionKeys(job, context.defaultAgentId, context.mainKey)) keys.add(key);
  }
  return keys;
}

/** Whether an enabled job is bound to session `sessionKey` (a store key, `agent:<id>:<rest>`). */
export function sessionHasAutomation(
  jobs: readonly Pick<CronJob, "id" | "agentId" | "sessionTarget" | "sessionKey" | "enabled">[],
  sessionKey: string,
  context: { defaultAgentId: string; mainKey?: string | undefined },
): boolean {
  return automationSessionKeys(jobs, context).has(sessionKey);
}
