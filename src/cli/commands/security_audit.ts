// `openclaw security audit [--deep] [--fix] [--json] [--auth <mode>] [--token] [--password]`:
// the reference's report (summary, findings, suppressedFindings, deep) from the checks in
// security_*_checks.ts, its `--fix`, and its words. Findings never change the exit code (0), as
// in the reference; only bad flags and an invalid config exit 1.
import { loadConfig } from "../../config/load.ts";
import { ConfigError } from "../../config/errors.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import type { AuthMode } from "../../config/resolve.ts";
import { readStoredToken } from "../../state/stored_token.ts";
import { printError, printFailureBlock, printJson, printLine } from "../output.ts";
import type { GlobalOptions } from "../main.ts";
import { invalidConfigMachineForm, jsonFailure, shortHome } from "./config_common.ts";
import { applySuppressions, type AuditFinding, countBySeverity, readSuppressions } from "./security_findings.ts";
import { type AuditAuthOverride, type AuditInputs, auditInputs } from "./security_inputs.ts";
import { readHostApprovals } from "../../server/runtime_policy_view.ts";
import { gatewayConfigFindings } from "./security_gateway_checks.ts";
import { execFindings } from "./security_exec_checks.ts";
import { safeBinFindings } from "./security_safe_bins_checks.ts";
import { sandboxFindings } from "./security_sandbox_checks.ts";
import { modelFindings } from "./security_models_checks.ts";
import { hooksFindings, httpFindings, secretsInConfigFindings } from "./security_hooks_checks.ts";
import { attackSurfaceFindings, exposureMatrixFindings } from "./security_exposure_checks.ts";
import { channelDmFindings, trustModelFindings } from "./security_trust_checks.ts";
import { crossAgentSessionFindings } from "./security_session_checks.ts";
import { auditedAgentIds, filesystemFindings, syncedFindings } from "./security_fs_checks.ts";
import { type FixResult, fixSecurityFootguns } from "./security_fix.ts";
import { type DeepReport, probeGateway } from "./security_probe.ts";

/** Flags of `security audit`. */
export interface SecurityAuditOptions extends GlobalOptions {
  deep?: boolean;
  fix?: boolean;
  json?: boolean;
  auth?: string;
  token?: string;
  password?: string;
}

class AuditFlagError extends Error {}

function nonBlank(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

function authOverride(options: SecurityAuditOptions): AuditAuthOverride | undefined {
  const mode = options.auth?.trim().toLowerCase();
  if (!mode) return undefined;
  if (mode !== "none" && mode !== "token" && mode !== "password" && mode !== "trusted-proxy") {
    throw new AuditFlagError('Invalid --auth value. Expected "none", "token", "password", or "trusted-proxy".');
  }
  const token = nonBlank(options.token);
  const password = nonBlank(options.password);
  if (mode === "token" && !token) {
    throw new AuditFlagError("Invalid --auth token: pass --token <token> for audit auth override.");
  }
  if (mode === "password" && !password) {
    throw new AuditFlagError("Invalid --auth password: pass --password <password> for audit auth override.");
  }
  return { mode: mode as AuthMode, ...(token ? { token } : {}), ...(password ? { password } : {}) };
}

/** The report's findings before suppressions, in the reference's order of checks. */
async function collectFindings(inputs: AuditInputs): Promise<AuditFinding[]> {
  return [
    ...attackSurfaceFindings(inputs),
    ...syncedFindings(inputs),
    ...gatewayConfigFindings(inputs),
    ...execFindings(inputs),
    ...safeBinFindings(inputs),
    ...hooksFindings(inputs),
    ...httpFindings(inputs),
    ...sandboxFindings(inputs),
    ...secretsInConfigFindings(inputs),
    ...modelFindings(inputs),
    ...exposureMatrixFindings(inputs),
    ...trustModelFindings(inputs),
    ...crossAgentSessionFindings(inputs),
    ...await filesystemFindings(inputs),
    ...channelDmFindings(inputs),
  ];
}

/** The reference's refusal of an invalid config: its block on stderr (and the JSON envelope), exit 1. */
function invalidConfig(error: ConfigError, path: string, env: EnvSnapshot, json: boolean | undefined): number {
  if (error.issues.length === 0) {
    if (json) printJson(jsonFailure(error.message));
    printError(error.message);
    return 1;
  }
  const { envelope, stderr } = invalidConfigMachineForm(path, env, error);
  if (json) printJson(envelope);
  printError(stderr);
  return 1;
}

function fixLines(fix: FixResult | null, env: EnvSnapshot): string[] {
  const lines = ["Fix: openclaw security audit --fix"];
  if (!fix) return [...lines, "Fixes: failed to apply (unexpected error)"];
  if (fix.errors.length === 0 && fix.changes.length === 0 && fix.actions.every((action) => !action.ok)) {
    return [...lines, "Fixes: no changes applied"];
  }
  lines.push("", "FIX", ...fix.changes.map((change) => `  ${change}`));
  for (const action of fix.actions) {
    const mode = action.mode.toString(8).padStart(3, "0");
    const path = shortHome(action.path, env);
    if (action.ok) lines.push(`  chmod ${mode} ${path}`);
    else if (action.skipped) lines.push(`  skip chmod ${mode} ${path} (${action.skipped})`);
    else if (action.error) lines.push(`  chmod ${mode} ${path} failed: ${action.error}`);
  }
  for (const error of fix.errors) lines.push(`  error: ${error}`);
  return lines;
}

function textReport(
  report: { summary: Record<string, number>; findings: AuditFinding[]; suppressedFindings?: unknown[] },
  fix: FixResult | null | undefined,
  env: EnvSnapshot,
): string {
  const { summary } = report;
  const lines = [
    "OpenClaw security audit",
    `Summary: ${summary.critical} critical · ${summary.warn} warn · ${summary.info} info`,
  ];
  if ((report.suppressedFindings?.length ?? 0) > 0) {
    lines.push(`Suppressed: ${report.suppressedFindings!.length} configured`);
  }
  lines.push("Run deeper: openclaw security audit --deep");
  if (fix !== undefined) lines.push(...fixLines(fix, env));
  for (const [severity, label] of [["critical", "CRITICAL"], ["warn", "WARN"], ["info", "INFO"]] as const) {
    const list = report.findings.filter((finding) => finding.severity === severity);
    if (list.length === 0) continue;
    lines.push("", label);
    for (const finding of list) {
      lines.push(`${finding.checkId} ${finding.title}`, `  ${finding.detail}`);
      if (finding.remediation?.trim()) lines.push(`  Fix: ${finding.remediation.trim()}`);
    }
  }
  return lines.join("\n");
}

/** Runs the audit (and `--fix` first, when asked) and prints the report. */
export async function securityAudit(options: SecurityAuditOptions): Promise<number> {
  let override: AuditAuthOverride | undefined;
  try {
    override = authOverride(options);
  } catch (error) {
    if (!(error instanceof AuditFlagError)) throw error;
    printFailureBlock(error.message);
    return 1;
  }
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const agentIds = (config: Record<string, unknown>) =>
    auditedAgentIds({ raw: config as AuditInputs["raw"] } as AuditInputs);
  const fix = options.fix
    ? await fixSecurityFootguns({ env, stateDir: paths.stateDir, configPath: paths.configPath, agentIds })
      .catch(() => null)
    : undefined;
  let raw: AuditInputs["raw"];
  try {
    raw = (await loadConfig(paths.configPath, env)).config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return invalidConfig(error, paths.configPath, env, options.json);
  }
  const storedToken = await readStoredToken(paths.stateDir).catch(() => undefined);
  const inputs = auditInputs({
    raw,
    env,
    stateDir: paths.stateDir,
    configPath: paths.configPath,
    storedToken,
    override,
    approvals: readHostApprovals(paths.stateDir),
  });
  const findings = await collectFindings(inputs);
  let deep: DeepReport | undefined;
  if (options.deep) {
    const probe = await probeGateway(options, env);
    deep = probe.deep;
    if (!probe.deep.gateway.ok) {
      findings.push({
        checkId: "gateway.probe_failed",
        severity: "warn",
        title: "Gateway probe failed (deep)",
        detail: probe.deep.gateway.error ?? "gateway unreachable",
        remediation:
          'Run "openclaw status --all" to debug connectivity/auth, then re-run "openclaw security audit --deep".',
      });
    }
  }
  const filtered = applySuppressions(findings, readSuppressions(raw as Record<string, unknown>));
  const report = {
    ts: Date.now(),
    summary: countBySeverity(filtered.findings),
    findings: filtered.findings,
    ...(filtered.suppressedFindings.length > 0 ? { suppressedFindings: filtered.suppressedFindings } : {}),
    ...(deep ? { deep } : {}),
  };
  if (options.json) {
    printJson(fix !== undefined ? { fix, report, secretDiagnostics: [] } : { ...report, secretDiagnostics: [] });
    return 0;
  }
  printLine(textReport(report, fix, env));
  return 0;
}
