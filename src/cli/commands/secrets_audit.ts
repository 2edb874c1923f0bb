// `openclaw secrets audit [--check] [--allow-exec] [--json]`: the reference's read-only scan
// (secrets_audit_scan.ts) over this profile's config, state dir, team store and auth-profile store,
// printed as it prints it: one summary line, up to 20 findings, the exec note; exit 2 for unresolved
// refs, 1 for findings under --check.
import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import { pathExists, resolvePaths } from "../../config/paths.ts";
import { messageOf } from "../../log/error_text.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { auditExitCode, runSecretsAudit } from "./secrets_audit_scan.ts";
import type { AuditReport } from "./secrets_audit_findings.ts";
import { execProviderRunner } from "../../config/secret_exec_runner.ts";
import { fileModeOf } from "../../config/runtime_secret_refs.ts";
import { readLiveStoreEntries, readSharedAuthProfiles } from "./secrets_state_reads.ts";
import { stateDbPath } from "../../state/state_db_existing.ts";

/** Options of `openclaw secrets audit`. */
export interface SecretsAuditOptions extends GlobalOptions {
  check?: boolean;
  allowExec?: boolean;
  json?: boolean;
}

/** Runs the audit for the profile the options name and prints it; returns the exit code. */
export async function secretsAudit(options: SecretsAuditOptions): Promise<number> {
  const env = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  let report: AuditReport;
  try {
    let config: Record<string, unknown> | undefined;
    try {
      config = (await loadConfig(paths.configPath, env)).config;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
    report = await runSecretsAudit({
      configPath: paths.configPath,
      stateDir: paths.stateDir,
      config,
      env,
      readFile: (path) => Deno.readTextFile(path),
      fileMode: fileModeOf,
      storeEntries: () => readLiveStoreEntries(paths.stateDir),
      authStore: () => readSharedAuthProfiles(paths.stateDir),
      runExec: options.allowExec ? execProviderRunner(env) : undefined,
      allowExec: options.allowExec ?? false,
    }, stateDbPath(paths.stateDir));
  } catch (error) {
    if (options.json) printJson({ ok: false, error: { type: "cli_error", message: messageOf(error) } });
    else {
      printError(
        `Secrets audit failed: ${messageOf(error)}. Run openclaw doctor to inspect config and credential state.`,
      );
    }
    return 2;
  }
  if (options.json) printJson(report);
  else printAuditText(report);
  return auditExitCode(report, options.check ?? false);
}

function printAuditText(report: AuditReport): void {
  const s = report.summary;
  printLine(
    `Secrets audit: ${report.status}. plaintext=${s.plaintextCount}, unresolved=${s.unresolvedRefCount}, shadowed=${s.shadowedRefCount}, storeResidue=${s.storeResidueCount}, legacy=${s.legacyResidueCount}.`,
  );
  for (const finding of report.findings.slice(0, 20)) {
    printLine(`- [${finding.code}] ${finding.file}:${finding.jsonPath} ${finding.message}`);
  }
  if (report.findings.length > 20) printLine(`... ${report.findings.length - 20} more finding(s).`);
  if (report.resolution.skippedExecRefs > 0) {
    printLine(
      `Audit note: skipped ${report.resolution.skippedExecRefs} exec SecretRef resolvability check(s). Re-run with --allow-exec to execute exec providers during audit.`,
    );
  }
}
