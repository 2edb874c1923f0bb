// `security.trust_model.cross_agent_session_access_default`: two or more agents, session tools that
// reach every session (`tools.sessions.visibility` "all") and agent-to-agent access with no allow
// list — this gateway's defaults as the reference's. The reference's words, except that this
// gateway has no spawn-tree clamp for sandboxed sessions, so every agent with a session tool reaches.
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { record, toolAllowed } from "./security_exposure_checks.ts";
import { agentEntries, sandboxMode } from "./security_exec_checks.ts";
import { multiUserSignals } from "./security_trust_checks.ts";

// The reference's session tools, in its order; this gateway serves sessions_list/history/send.
const SESSION_TOOLS = ["sessions_list", "sessions_history", "sessions_search", "sessions_send", "session_status"];
const SERVED = new Set(["sessions_list", "sessions_history", "sessions_send"]);

/** The finding, or none when fewer than two agents exist or a setting narrows the reach. */
export function crossAgentSessionFindings(inputs: AuditInputs): AuditFinding[] {
  const agents = agentEntries(inputs);
  const tools = record(inputs.raw.tools);
  const visibility = record(tools?.sessions)?.visibility ?? "all";
  const a2a = record(tools?.agentToAgent);
  const allow = Array.isArray(a2a?.allow) ? a2a.allow : [];
  if (agents.length < 2 || visibility !== "all" || a2a?.enabled === false || allow.length > 0) return [];
  const reachers: string[] = [];
  const nonReachers: string[] = [];
  const signals: string[] = [];
  for (const [id, agent] of agents) {
    const mode = sandboxMode(inputs, agent);
    if (mode !== "off") signals.push(`${id}: sandbox.mode="${mode}"`);
    const agentTools = record(agent.tools);
    const context = { label: `agents.entries.${id}`, tools: agentTools, sandbox: record(agent.sandbox) };
    const allowed = SESSION_TOOLS.filter((tool) => SERVED.has(tool) && toolAllowed(inputs, context, tool));
    if (allowed.length > 0) {
      const where = mode === "off"
        ? "unsandboxed sessions"
        : mode === "non-main"
        ? "unsandboxed main session"
        : "sandboxed sessions (clamp disabled)";
      reachers.push(`- ${id}: ${where}; allowed session tools: ${allowed.join(", ")}.`);
    } else {
      nonReachers.push(
        `- ${id}: session tools removed by agent tool policy; its transcripts remain readable by the agents above.`,
      );
    }
    const restrictions = ["profile", "allow", "deny"].filter((key) => agentTools?.[key] !== undefined);
    if (restrictions.length > 0) {
      signals.push(`${id}: agent-level tool restrictions (${restrictions.map((key) => `tools.${key}`).join(", ")})`);
    }
  }
  if (reachers.length === 0) return [];
  signals.push(...multiUserSignals(inputs));
  const trust = signals.length > 0
    ? `\nTrust-boundary signals:\n${
      signals.map((signal) => `- ${signal}`).join("\n")
    }\nSandboxing, agent-level tool restrictions, or shared-user ingress suggest different trust levels, but session access remains Gateway-wide.`
    : "";
  return [{
    checkId: "security.trust_model.cross_agent_session_access_default",
    severity: signals.length > 0 ? "warn" : "info",
    title: "Agents share Gateway-wide session access (default)",
    detail: `Agents: ${
      agents.map(([id]) => id).join(", ")
    }\ntools.sessions.visibility resolves to "all" and tools.agentToAgent is enabled with no allow list.\nAgents that can reach other agents' sessions, including other users' transcripts:\n${
      [...reachers, ...nonReachers, "Incognito sessions remain hidden."].join("\n")
    }${trust}`,
    remediation:
      'Set tools.sessions.visibility to "agent", "tree", or "self"; restrict tools.agentToAgent.allow to the intended requester and target ids; or set tools.agentToAgent.enabled: false. See https://docs.openclaw.ai/gateway/config-tools#tools-agenttoagent and https://docs.openclaw.ai/gateway/security#scope-one-trust-boundary-per-gateway.',
  }];
}
