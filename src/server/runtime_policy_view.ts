// The runtime's exec and tool policy, read without a running gateway (what `openclaw security
// audit` judges exposure by): the config's `tools.exec` and the host approvals document in the
// state database, combined as the runtime combines them (src/agent/exec_policy.ts); and the tool
// matcher tool policies are read with (aliases, globs, groups) and `/tools/invoke`'s default deny list,
// so the audit reads them as runs and the HTTP API do.
import { DatabaseSync } from "node:sqlite";
import { configuredExecPolicy, requestedExecKnobs } from "../config/exec_policy_config.ts";
import {
  type ExecApprovalsFile,
  failClosedApprovals,
  hostKnobsSet,
  isExecSecurity,
  minSecurity,
  parseStoredApprovals,
  resolveAgentApprovals,
} from "../agent/exec_approvals_file.ts";
import { stateDbPath } from "../state/state_db_existing.ts";
import { readExecApprovalsRaw } from "../state/exec_approvals_config.ts";

export type { ExecApprovalsFile };
export { normalizeToolName, toolMatcher } from "../agent/tool_policy.ts";
export { DEFAULT_HTTP_TOOL_DENY } from "../agent/tools.ts";

/**
 * The host approvals document, read without writing (no pragma, no chmod, nothing created);
 * undefined without a state database, table or row. A row the gateway would refuse denies everything, as there.
 */
export function readHostApprovals(stateDir: string): ExecApprovalsFile | undefined {
  let db: DatabaseSync | undefined;
  try {
    if (!Deno.statSync(stateDbPath(stateDir)).isFile) return undefined;
    db = new DatabaseSync(stateDbPath(stateDir), { readOnly: true });
    const raw = readExecApprovalsRaw(db);
    return raw === null ? undefined : parseStoredApprovals(raw) ?? failClosedApprovals();
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

/**
 * The security an agent's host commands run under: `tools.exec.mode` over `security`, the agent's
 * keys over the global ones; unset, the document's security is inherited, else this gateway's
 * "allowlist"; the stricter of the config's and the document's wins.
 */
export function hostExecSecurity(
  raw: Record<string, unknown>,
  file: ExecApprovalsFile | undefined,
  agentId: string | undefined,
): string {
  const id = agentId ?? "main";
  const hostSets = file ? hostKnobsSet(file, id) : { security: false, ask: false };
  const requested = requestedExecKnobs(configuredExecPolicy(raw, agentId), hostSets).security;
  if (!file || !isExecSecurity(requested)) return requested;
  return minSecurity(requested, resolveAgentApprovals(file, id).policy.security);
}
