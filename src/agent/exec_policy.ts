// The reference's decision for one host command: the requested `tools.exec` policy and the host
// approvals document combine (stricter security, more asking ask, fallback no looser than the
// security), then the allowlist evaluation says allowed, refused, or ask the operators; after an ask,
// the operator's decision (or its absence: timeout, nobody to ask) settles it through askFallback.
import { requestedExecKnobs } from "../config/exec_policy_config.ts";
import type { ExecRequestedPolicy } from "./tool.ts";
import {
  type ExecAsk,
  type ExecSecurity,
  isExecAsk,
  isExecSecurity,
  maxAsk,
  minSecurity,
  type ResolvedExecPolicy,
} from "./exec_approvals_file.ts";
import type { ApprovalDecision } from "./exec_approval_queue.ts";

/** The policy in force for one call. */
export interface HostPolicy {
  security: ExecSecurity;
  ask: ExecAsk;
  askFallback: ExecSecurity;
}

/** What the policy says before anyone is asked. */
export type PolicyVerdict =
  | { kind: "allowed"; decision: "full" | "allowlist" }
  | { kind: "refused"; reason: string }
  | { kind: "ask"; allowedDecisions: ApprovalDecision[] };

/** Which knobs the host approvals document sets itself (for the agent, `agents["*"]` or its defaults). */
export interface HostKnobsSet {
  security: boolean;
  ask: boolean;
}

/**
 * The requested policy: `mode` when set, else `security`/`ask`; a knob set by neither the config
 * nor the host document takes this gateway's safer default (allowlist, on-miss; see
 * config/exec_policy_config.ts).
 */
export function requestedPolicy(
  requested: ExecRequestedPolicy | undefined,
  hostSets: HostKnobsSet = { security: false, ask: false },
): { security: ExecSecurity; ask: ExecAsk } {
  const knobs = requestedExecKnobs(requested ?? {}, hostSets);
  return {
    security: isExecSecurity(knobs.security) ? knobs.security : "deny",
    ask: isExecAsk(knobs.ask) ? knobs.ask : "always",
  };
}

/**
 * Combines the requested policy with the host document's, the stricter winning on each knob; a
 * call's own `ask` may only harden it.
 */
export function hostPolicy(
  requested: ExecRequestedPolicy | undefined,
  host: ResolvedExecPolicy,
  hostSets: HostKnobsSet = { security: true, ask: true },
  callAsk?: string | undefined,
): HostPolicy {
  const want = requestedPolicy(requested, hostSets);
  const security = minSecurity(want.security, host.security);
  const ask = maxAsk(maxAsk(want.ask, host.ask), isExecAsk(callAsk) ? callAsk : "off");
  return { security, ask, askFallback: minSecurity(security, host.askFallback) };
}

/** The allowlist facts the verdict needs. */
export interface AllowlistFacts {
  analysisOk: boolean;
  satisfied: boolean;
}

/** Decides one command before asking anyone. */
export function policyVerdict(policy: HostPolicy, allowlist: AllowlistFacts): PolicyVerdict {
  if (policy.security === "deny") return { kind: "refused", reason: "exec denied: host=gateway security=deny" };
  const allowlistSatisfied = policy.security === "allowlist" && allowlist.analysisOk && allowlist.satisfied;
  const mustAsk = policy.ask === "always" ||
    (policy.ask === "on-miss" && policy.security === "allowlist" && !allowlistSatisfied);
  if (mustAsk) {
    // "Always allow" would never be consulted under ask=always, so it is not offered.
    const allowedDecisions: ApprovalDecision[] = policy.ask === "always"
      ? ["allow-once", "deny"]
      : ["allow-once", "allow-always", "deny"];
    return { kind: "ask", allowedDecisions };
  }
  if (policy.security === "allowlist" && !allowlistSatisfied) {
    return { kind: "refused", reason: "exec denied: allowlist miss" };
  }
  return { kind: "allowed", decision: policy.security === "full" ? "full" : "allowlist" };
}

/** The end of an ask. */
export type AskVerdict = { allowed: true; decision: string } | { allowed: false; deniedReason: string };

/**
 * Settles an ask: the operator's decision, or for none (timeout, nobody to ask) the fallback:
 * `full` runs, `deny` refuses, `allowlist` runs only what the allowlist satisfies.
 */
export function askVerdict(
  decision: ApprovalDecision | undefined,
  policy: HostPolicy,
  allowlist: AllowlistFacts,
): AskVerdict {
  if (decision === "deny") return { allowed: false, deniedReason: "user-denied" };
  if (decision) return { allowed: true, decision };
  if (policy.askFallback === "full") return { allowed: true, decision: "ask-fallback:full" };
  if (policy.askFallback === "deny") return { allowed: false, deniedReason: "approval-timeout" };
  return allowlist.analysisOk && allowlist.satisfied
    ? { allowed: true, decision: "ask-fallback:allowlist" }
    : { allowed: false, deniedReason: "approval-timeout: allowlist-miss" };
}
