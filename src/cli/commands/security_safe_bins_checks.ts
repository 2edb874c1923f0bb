// `tools.exec.safe_bin_trusted_dirs_risky`: `safeBinTrustedDirs` entries a user or any process can
// write to (temporary, home-scoped, package-manager bins) or that depend on the working directory.
// This gateway resolves safe bins from these directories as the reference does; the reference's
// classification and words.
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { record } from "./security_exposure_checks.ts";
import { agentEntries } from "./security_exec_checks.ts";

const TEMP = ["/tmp", "/var/tmp", "/private/tmp"];
const PACKAGE_BINS = ["/usr/local/bin", "/opt/homebrew/bin", "/opt/local/bin", "/home/linuxbrew/.linuxbrew/bin"];

/** Why a trusted dir is risky, in the reference's words, or undefined. */
function riskOf(entry: string): string | undefined {
  if (!entry.startsWith("/")) return "relative path (trust boundary depends on process cwd)";
  // The reference resolves the path (`..`, duplicate slashes) before it compares.
  const parts: string[] = [];
  for (const part of entry.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  const path = `/${parts.join("/")}`.toLowerCase();
  if (TEMP.some((dir) => path === dir || path.startsWith(`${dir}/`))) {
    return "temporary directory is mutable and easy to poison";
  }
  if (PACKAGE_BINS.includes(path)) return "package-manager bin directory (often user-writable)";
  if (path.startsWith("/users/") || path.startsWith("/home/") || path.includes("/.local/bin")) {
    return "home-scoped bin directory (typically user-writable)";
  }
  return undefined;
}

function trustedDirs(value: unknown): string[] {
  const list = Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
  return [...new Set(list.map((entry) => entry.trim()).filter(Boolean))];
}

/** The finding, listing at most ten risky entries (global, then each agent's). */
export function safeBinFindings(inputs: AuditInputs): AuditFinding[] {
  const hits: string[] = [];
  const collect = (scope: string, value: unknown) => {
    for (const entry of trustedDirs(value)) {
      const risk = riskOf(entry);
      if (risk) hits.push(`- ${scope}.safeBinTrustedDirs: ${entry} (${risk})`);
    }
  };
  collect("tools.exec", inputs.section("tools", "exec", "safeBinTrustedDirs"));
  for (const [id, agent] of agentEntries(inputs)) {
    collect(`agents.entries.${id}.tools.exec`, record(record(agent.tools)?.exec)?.safeBinTrustedDirs);
  }
  if (hits.length === 0) return [];
  return [{
    checkId: "tools.exec.safe_bin_trusted_dirs_risky",
    severity: "warn",
    title: "safeBinTrustedDirs includes risky mutable directories",
    detail: `Detected risky safeBinTrustedDirs entries:\n${hits.slice(0, 10).join("\n")}` +
      (hits.length > 10 ? `\n- +${hits.length - 10} more entries.` : ""),
    remediation:
      "Prefer root-owned immutable bins, keep default trust dirs (/bin, /usr/bin), and avoid trusting temporary/home/package-manager paths unless tightly controlled.",
  }];
}
