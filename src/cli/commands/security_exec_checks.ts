// The audit's exec checks: `exec host=sandbox` with the sandbox off, `security="full"`, and open
// channels that reach exec, with the reference's checkIds and words. An unset tools.exec.security
// is this gateway's default, "allowlist" (host exec asks on a miss; docs/compatibility.md), where
// the reference's audit assumes "deny".
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { execSecurity, record, type Section, toolAllowed } from "./security_exposure_checks.ts";

/** The configured agents (`agents.list[]`, then `agents.entries`), each with its id. */
export function agentEntries(inputs: AuditInputs): [string, Section][] {
  const agents = record(inputs.raw.agents);
  const out: [string, Section][] = [];
  for (const entry of Array.isArray(agents?.list) ? agents.list : []) {
    const agent = record(entry);
    if (agent && typeof agent.id === "string") out.push([agent.id, agent]);
  }
  for (const [id, value] of Object.entries(record(agents?.entries) ?? {})) {
    const agent = record(value);
    if (agent && !out.some(([known]) => known === id)) out.push([id, agent]);
  }
  return out;
}

/** The sandbox mode in force for an agent (or the defaults): its own, else agents.defaults, else "off". */
export function sandboxMode(inputs: AuditInputs, agent?: Section): string {
  const defaults = record(record(record(inputs.raw.agents)?.defaults)?.sandbox);
  return String(record(agent?.sandbox)?.mode ?? defaults?.mode ?? "off");
}

/** Every `groupPolicy`/`dmPolicy` set to "open" under channels.*, as the reference walks them. */
function openExecSurfacePaths(inputs: AuditInputs): string[] {
  const hits = new Set<string>();
  const visit = (value: unknown, scope: string) => {
    const section = record(value);
    if (!section) return;
    if (section.groupPolicy === "open") hits.add(`${scope}.groupPolicy`);
    if (section.dmPolicy === "open") hits.add(`${scope}.dmPolicy`);
    for (const [key, nested] of Object.entries(section)) if (record(nested)) visit(nested, `${scope}.${key}`);
  };
  for (const [id, value] of Object.entries(record(inputs.raw.channels) ?? {})) visit(value, `channels.${id}`);
  return [...hits].sort();
}

function sandboxHostFindings(inputs: AuditInputs): AuditFinding[] {
  const findings: AuditFinding[] = [];
  if (inputs.section("tools", "exec", "host") === "sandbox" && sandboxMode(inputs) === "off") {
    findings.push({
      checkId: "tools.exec.host_sandbox_no_sandbox_defaults",
      severity: "warn",
      title: "Exec host is sandbox but sandbox mode is off",
      detail:
        "tools.exec.host is explicitly set to sandbox while agents.defaults.sandbox.mode=off. In this mode, exec fails closed because no sandbox runtime is available.",
      remediation:
        'Enable sandbox mode (`agents.defaults.sandbox.mode="non-main"` or `"all"`) or set tools.exec.host to "gateway" with approvals.',
    });
  }
  const risky = agentEntries(inputs)
    .filter(([, agent]) =>
      record(record(agent.tools)?.exec)?.host === "sandbox" && sandboxMode(inputs, agent) === "off"
    )
    .map(([id]) => id).slice(0, 5);
  if (risky.length > 0) {
    findings.push({
      checkId: "tools.exec.host_sandbox_no_sandbox_agents",
      severity: "warn",
      title: "Agent exec host uses sandbox while sandbox mode is off",
      detail: `agents.entries.*.tools.exec.host is set to sandbox for: ${
        risky.join(", ")
      }. With sandbox mode off, exec fails closed for those agents.`,
      remediation:
        'Enable sandbox mode for these agents (`agents.entries.*.sandbox.mode`) or set their tools.exec.host to "gateway".',
    });
  }
  return findings;
}

/** Scopes where write/edit/apply_patch are all denied but exec is not, and no sandbox confines it. */
function fsDriftFindings(inputs: AuditInputs): AuditFinding[] {
  const defaults = record(record(record(inputs.raw.agents)?.defaults)?.sandbox);
  const scopes: [string, Section | undefined][] = [
    ["tools", undefined],
    ...agentEntries(inputs).map(([id, agent]): [string, Section] => [`agents.entries.${id}.tools`, agent]),
  ];
  const hits: string[] = [];
  for (const [label, agent] of scopes) {
    const mode = sandboxMode(inputs, agent);
    const access = String(record(agent?.sandbox)?.workspaceAccess ?? defaults?.workspaceAccess ?? "none");
    const tools = record(agent?.tools);
    const host = String(record(tools?.exec)?.host ?? inputs.section("tools", "exec", "host") ?? "auto");
    if (mode === "all" && host !== "gateway" && host !== "node" && access !== "rw") continue;
    const context = { label, tools, sandbox: record(agent?.sandbox) };
    const runtime = ["exec", "process"].filter((tool) => toolAllowed(inputs, context, tool));
    const disabled = ["write", "edit", "apply_patch"].filter((tool) => !toolAllowed(inputs, context, tool));
    if (!runtime.includes("exec") || disabled.length !== 3) continue;
    hits.push(
      `- ${label}: runtime=[${runtime.join(", ")}], disabledFs=[${
        disabled.join(", ")
      }], exec.host=${host}, sandbox=${mode}, workspaceAccess=${access}`,
    );
  }
  if (hits.length === 0) return [];
  return [{
    checkId: "tools.exec.fs_tools_disabled_but_exec_enabled",
    severity: "warn",
    title: "Filesystem tool policy does not make exec read-only",
    detail: `Found scopes where write/edit/apply_patch are unavailable but exec remains available:\n${
      hits.join("\n")
    }\nThe exec tool is a shell and can still write files wherever the selected host or sandbox filesystem permits it.`,
    remediation:
      'For read-only agents, deny exec and process too. If shell access is intentional, constrain the filesystem boundary with sandbox mode "all" and workspaceAccess "ro" or "none".',
  }];
}

/** `tools.exec.*` and `security.exposure.open_channels_with_exec`. */
export function execFindings(inputs: AuditInputs): AuditFinding[] {
  const findings = sandboxHostFindings(inputs);
  const globalSecurity = execSecurity(inputs);
  const globalHost = String(inputs.section("tools", "exec", "host") ?? "auto");
  const agents = agentEntries(inputs);
  const scopes = new Map<string, { security: string; host: string }>();
  scopes.set(agents[0]?.[0] ?? "main", { security: globalSecurity, host: globalHost });
  for (const [id, agent] of agents) {
    const exec = record(record(agent.tools)?.exec);
    scopes.set(id, { security: execSecurity(inputs, id), host: String(exec?.host ?? globalHost) });
  }
  const full = [...scopes].filter(([, scope]) => scope.security === "full");
  const enabled = [...scopes].filter(([, scope]) => scope.security !== "deny");
  const open = openExecSurfacePaths(inputs);
  const openList = open.map((path) => `- ${path}`).join("\n");
  if (full.length > 0) {
    findings.push({
      checkId: "tools.exec.security_full_configured",
      severity: open.length > 0 ? "critical" : "warn",
      title: "Exec security=full is configured",
      detail: `Full exec trust is enabled for: ${full.map(([id]) => id).join(", ")}.` +
        (open.length > 0 ? ` Open channel access was also detected at:\n${openList}` : ""),
      remediation:
        'Prefer tools.exec.mode="ask" or "allowlist", and reserve "full" for tightly scoped break-glass agents only.',
    });
  }
  if (open.length > 0 && enabled.length > 0) {
    findings.push({
      checkId: "security.exposure.open_channels_with_exec",
      severity: full.length > 0 ? "critical" : "warn",
      title: "Open channels can reach exec-enabled agents",
      detail: `Open DM/group access detected at:\n${openList}\nExec-enabled scopes:\n${
        enabled.map(([id, scope]) => `- ${id}: security=${scope.security}, host=${scope.host}`).join("\n")
      }`,
      remediation:
        "Tighten dmPolicy/groupPolicy to pairing or allowlist, or disable exec for agents reachable from shared/public channels.",
    });
  }
  findings.push(...fsDriftFindings(inputs));
  return findings;
}
