// The audit's sandbox and tool-profile checks that apply to this gateway's bubblewrap sandbox:
// docker settings with the sandbox off, a `docker.network` that shares the host's network, and a
// global minimal tool profile that agents override. The reference's checkIds and words, except
// where bwrap differs from Docker: it has no bridge, so any network but "none" is the host's,
// while "host" and "container:*" are refused when a sandboxed command runs (src/config/sandbox_warnings.ts).
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { record, type Section } from "./security_exposure_checks.ts";
import { agentEntries, sandboxMode } from "./security_exec_checks.ts";

function hasDocker(value: unknown): boolean {
  return Object.values(record(value) ?? {}).some((entry) => entry !== undefined);
}

function dockerNoopFindings(inputs: AuditInputs, agents: [string, Section][]): AuditFinding[] {
  const defaults = record(record(record(inputs.raw.agents)?.defaults)?.sandbox);
  const paths: string[] = [];
  const anyEnabled = agents.some(([, agent]) => sandboxMode(inputs, agent) !== "off");
  if (hasDocker(defaults?.docker) && (defaults?.mode ?? "off") === "off" && !anyEnabled) {
    paths.push("agents.defaults.sandbox.docker");
  }
  for (const [id, agent] of agents) {
    if (hasDocker(record(agent.sandbox)?.docker) && sandboxMode(inputs, agent) === "off") {
      paths.push(`agents.entries.${id}.sandbox.docker`);
    }
  }
  if (paths.length === 0) return [];
  return [{
    checkId: "sandbox.docker_config_mode_off",
    severity: "warn",
    title: "Sandbox docker settings configured while sandbox mode is off",
    detail: `These docker settings will not take effect until sandbox mode is enabled:\n${
      paths.map((path) => `- ${path}`).join("\n")
    }`,
    remediation:
      'Enable sandbox mode (`agents.defaults.sandbox.mode="non-main"` or `"all"`) where needed, or remove unused docker settings.',
  }];
}

function networkFindings(inputs: AuditInputs, agents: [string, Section][]): AuditFinding[] {
  const sources: [string, unknown][] = [
    ["agents.defaults.sandbox.docker", record(record(record(inputs.raw.agents)?.defaults)?.sandbox)?.docker],
    ...agents.map((
      [id, agent],
    ): [string, unknown] => [`agents.entries.${id}.sandbox.docker`, record(agent.sandbox)?.docker]),
  ];
  const findings: AuditFinding[] = [];
  for (const [source, docker] of sources) {
    const network = record(docker)?.network;
    if (typeof network !== "string") continue;
    const mode = network.trim().toLowerCase();
    if (mode === "" || mode === "none" || mode === "host" || mode.startsWith("container:")) continue;
    findings.push({
      checkId: "sandbox.dangerous_network_mode",
      severity: "critical",
      title: "Dangerous network mode in sandbox config",
      detail:
        `${source}.network is "${network}": this gateway's bubblewrap sandbox has no bridge, so sandboxed commands share the gateway host's network namespace and can reach its loopback services, this gateway's port and local databases included.`,
      remediation: `Set ${source}.network to "none" unless the sandbox needs the network.`,
    });
  }
  return findings;
}

function minimalProfileFindings(inputs: AuditInputs, agents: [string, Section][]): AuditFinding[] {
  if (record(inputs.raw.tools)?.profile !== "minimal") return [];
  const overrides = agents.flatMap(([id, agent]) => {
    const profile = record(agent.tools)?.profile;
    return profile && profile !== "minimal" ? [`${id}=${profile}`] : [];
  });
  if (overrides.length === 0) return [];
  return [{
    checkId: "tools.profile_minimal_overridden",
    severity: "warn",
    title: "Global tools.profile=minimal is overridden by agent profiles",
    detail: `Global minimal profile is set, but these agent profiles take precedence:\n${
      overrides.map((entry) => `- agents.entries.${entry}`).join("\n")
    }`,
    remediation:
      'Set those agents to `tools.profile="minimal"` (or remove the agent override) if you want minimal tools enforced globally.',
  }];
}

/** `sandbox.docker_config_mode_off`, `sandbox.dangerous_network_mode`, `tools.profile_minimal_overridden`. */
export function sandboxFindings(inputs: AuditInputs): AuditFinding[] {
  const agents = agentEntries(inputs);
  return [
    ...dockerNoopFindings(inputs, agents),
    ...networkFindings(inputs, agents),
    ...minimalProfileFindings(inputs, agents),
  ];
}
