// The audit's inbound-access checks: the attack surface summary and open DM/group policies against
// the tools an agent can reach, with the reference's checkIds and words. Tools are judged as this gateway runs them: no elevated mode,
// and host exec behind approvals (ask on a miss) unless tools.exec.security (or mode) is "full".
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { hostExecSecurity, toolMatcher } from "../../server/runtime_policy_view.ts";

/** A config section read loosely. */
export type Section = Record<string, unknown>;

/** The value as a plain object, or undefined. */
export function record(value: unknown): Section | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Section : undefined;
}

/** Each channel section and account section under channels.*, with its config path. */
export function channelSections(inputs: AuditInputs): [string, Section][] {
  const out: [string, Section][] = [];
  for (const [id, value] of Object.entries(record(inputs.raw.channels) ?? {})) {
    const section = record(value);
    if (!section) continue;
    out.push([`channels.${id}`, section]);
    for (const [account, accountValue] of Object.entries(record(section.accounts) ?? {})) {
      const accountSection = record(accountValue);
      if (accountSection) out.push([`channels.${id}.accounts.${account}`, accountSection]);
    }
  }
  return out;
}

function openInboundPolicies(inputs: AuditInputs): string[] {
  const out: string[] = [];
  for (const [base, section] of channelSections(inputs)) {
    if (section.groupPolicy === "open") out.push(`${base}.groupPolicy`);
    const legacy = record(section.dm)?.policy;
    if ((section.dmPolicy ?? legacy) === "open") {
      out.push(`${base}.${section.dmPolicy == null ? "dm.policy" : "dmPolicy"}`);
    }
  }
  return out;
}

/** Tool policy entries read as the runtime reads them: aliases (bash, cron), `*` globs, `group:` names. */
function matcher(entries: readonly unknown[]): (tool: string) => boolean {
  return toolMatcher(entries.filter((entry): entry is string => typeof entry === "string"));
}

/**
 * The exec security a scope's host commands run under, by the runtime's rule: `tools.exec.mode`
 * over `security`, the agent's keys over the global ones, unset: this gateway's "allowlist" unless
 * the host approvals document in the state database sets one (then it is inherited); the stricter
 * of the config's and the document's wins (src/agent/exec_policy.ts).
 */
export function execSecurity(inputs: AuditInputs, agentId?: string): string {
  return hostExecSecurity(inputs.raw as Record<string, unknown>, inputs.approvals, agentId);
}

/** An agent (or agents.defaults) as the tool checks see it. */
export interface ToolContext {
  label: string;
  /** The agent's id; none for agents.defaults. */
  agentId?: string;
  tools: Section | undefined;
  sandbox: Section | undefined;
}

function toolContexts(inputs: AuditInputs): ToolContext[] {
  const agents = record(inputs.raw.agents);
  const defaults = record(agents?.defaults);
  const contexts: ToolContext[] = [{ label: "agents.defaults", tools: undefined, sandbox: record(defaults?.sandbox) }];
  const entries: [string, Section][] = [];
  for (const entry of Array.isArray(agents?.list) ? agents.list : []) {
    const agent = record(entry);
    if (agent && typeof agent.id === "string") entries.push([agent.id, agent]);
  }
  for (const [id, value] of Object.entries(record(agents?.entries) ?? {})) {
    const agent = record(value);
    if (agent && !entries.some(([known]) => known === id)) entries.push([id, agent]);
  }
  if (entries.length === 0) entries.push(["main", {}]);
  for (const [id, agent] of entries) {
    contexts.push({
      label: `agents.entries.${id}`,
      agentId: id,
      tools: record(agent.tools),
      sandbox: record(agent.sandbox),
    });
  }
  return contexts;
}

// Of the tools the audit asks about, what each profile offers (src/agent/tool_groups.ts): minimal
// only session_status, messaging the session and message tools, coding and full all of them.
function profileAllows(profile: unknown, tool: string): boolean {
  if (profile === "minimal") return tool === "session_status";
  if (profile === "messaging") return tool === "message" || tool === "session_status" || tool.startsWith("sessions_");
  return true;
}

/** Whether an agent context may use `tool` under the profile, allow and deny lists (global, then its own). */
export function toolAllowed(inputs: AuditInputs, context: ToolContext, tool: string): boolean {
  const global = record(inputs.raw.tools);
  const profile = context.tools?.profile ?? global?.profile;
  // `alsoAllow` (global and the agent's) widens the profile's base, as runs read it.
  const alsoAllow = [global?.alsoAllow, context.tools?.alsoAllow].flatMap((list) => Array.isArray(list) ? list : []);
  if (!profileAllows(profile, tool) && !matcher(alsoAllow)(tool)) return false;
  for (const layer of [global, context.tools]) {
    const allow = Array.isArray(layer?.allow) ? layer.allow : [];
    if (allow.length > 0 && !matcher(allow)(tool)) return false;
    if (matcher(Array.isArray(layer?.deny) ? layer.deny : [])(tool)) return false;
  }
  return true;
}

/** The agent contexts where open conversations reach unguarded runtime or file tools, as the reference words them. */
export function riskyContexts(inputs: AuditInputs): { lines: string[]; runtimeRisk: boolean } {
  const lines: string[] = [];
  let runtimeRisk = false;
  const defaultSandbox = record(record(inputs.raw.agents)?.defaults)?.sandbox;
  for (const context of toolContexts(inputs)) {
    const mode = String(context.sandbox?.mode ?? record(defaultSandbox)?.mode ?? "off");
    const runtime = ["exec", "process"].filter((tool) => toolAllowed(inputs, context, tool));
    const fs = ["read", "write", "edit", "apply_patch"].filter((tool) => toolAllowed(inputs, context, tool));
    const fsOnly = record(context.tools?.fs)?.workspaceOnly ?? inputs.section("tools", "fs", "workspaceOnly");
    // Host exec asks on a miss unless security is "full" (or mode "full"): only then is it unguarded here.
    // tools.exec.host "gateway" runs commands on the host even under sandbox mode "all" (sandbox_policy.ts).
    const host = record(context.tools?.exec)?.host ?? inputs.section("tools", "exec", "host");
    const onHost = mode !== "all" || host === "gateway";
    const runtimeOpen = runtime.length > 0 && onHost && execSecurity(inputs, context.agentId) === "full";
    const fsOpen = fs.length > 0 && mode !== "all" && fsOnly !== true;
    if (!runtimeOpen && !fsOpen) continue;
    if (runtimeOpen) runtimeRisk = true;
    // Says why a listed exec is not counted as unguarded: it asks the operators on a miss.
    const asks = runtime.length > 0 && onHost && !runtimeOpen ? "; host exec asks" : "";
    lines.push(
      `${context.label} (sandbox=${mode}; runtime=[${runtime.join(", ") || "off"}]${asks}; fs=[${
        fs.join(", ") || "off"
      }]; fs.workspaceOnly=${fsOnly === true ? "true" : "false"})`,
    );
  }
  return { lines, runtimeRisk };
}

/** `summary.attack_surface`: this gateway has no elevated mode, internal hooks or browser control. */
export function attackSurfaceFindings(inputs: AuditInputs): AuditFinding[] {
  let open = 0, allowlist = 0;
  for (const value of Object.values(record(inputs.raw.channels) ?? {})) {
    const policy = record(value)?.groupPolicy;
    if (policy === "open") open += 1;
    else if (policy === "allowlist") allowlist += 1;
  }
  return [{
    checkId: "summary.attack_surface",
    severity: "info",
    title: "Attack surface summary",
    detail: `groups: open=${open}, allowlist=${allowlist}\ntools.elevated: disabled\nhooks.webhooks: ${
      inputs.raw.hooks?.enabled === true ? "enabled" : "disabled"
    }\nhooks.internal: disabled\nbrowser control: disabled\ntrust model: personal assistant (one trusted operator boundary), not hostile multi-tenant on one shared gateway. For multiple users or organizations, run one isolated Gateway cell per tenant: https://docs.openclaw.ai/gateway/multi-tenant-hosting`,
  }];
}

/** `security.exposure.*`: open DMs/groups against runtime, file and control-plane tools. */
export function exposureMatrixFindings(inputs: AuditInputs): AuditFinding[] {
  const policies = openInboundPolicies(inputs);
  if (policies.length === 0) return [];
  const found = `Found inbound policy="open" at:\n${policies.map((path) => `- ${path}`).join("\n")}`;
  const findings: AuditFinding[] = [];
  const risky = riskyContexts(inputs);
  if (risky.lines.length > 0) {
    findings.push({
      checkId: "security.exposure.open_groups_with_runtime_or_fs",
      severity: risky.runtimeRisk ? "critical" : "warn",
      title: "Open group/DM policy with runtime/filesystem tools exposed",
      detail: `${found}\nRisky tool exposure contexts:\n${
        risky.lines.map((line) => `- ${line}`).join("\n")
      }\nPrompt injection in open conversations can trigger command/file actions in these contexts.`,
      remediation:
        'For open groups or DMs, prefer tools.profile="messaging" (or deny group:runtime/group:fs), set tools.fs.workspaceOnly=true, and use agents.defaults.sandbox.mode="all" for exposed agents.',
    });
  }
  const controlPlane: string[] = [];
  for (const context of toolContexts(inputs)) {
    const profile = String(context.tools?.profile ?? record(inputs.raw.tools)?.profile ?? "none");
    // Of the reference's control-plane tools this gateway has only `automations` (cron); the
    // minimal and messaging profiles leave it out unless alsoAllow takes it back.
    if (!toolAllowed(inputs, context, "automations")) continue;
    if (matcher([...(inputs.raw.tools?.deny ?? [])])("cron")) continue;
    controlPlane.push(`${context.label} (profile=${profile}; controlPlane=[automations])`);
  }
  if (controlPlane.length > 0) {
    findings.push({
      checkId: "security.exposure.open_groups_with_control_plane_tools",
      severity: "critical",
      title: "Open group/DM policy with control-plane tools exposed",
      detail: `${found}\nControl-plane tool exposure contexts:\n${
        controlPlane.map((line) => `- ${line}`).join("\n")
      }\nPrompt injection in open conversations can trigger OpenClaw updates, plugin changes, or scheduled automation.`,
      remediation:
        'For open groups or DMs, deny control-plane tools (`automations`, `gateway`, `plugins`) and prefer tools.profile="messaging". Tighten dmPolicy/groupPolicy to pairing or allowlist when possible.',
    });
  }
  return findings;
}
