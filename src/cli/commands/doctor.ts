import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { runCommand } from "../../service/runtime.ts";
import { type Finding, runChecks } from "../doctor_checks.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";

const MARK: Record<Finding["severity"], string> = { ok: "✓", warn: "!", error: "✗" };

/**
 * `openclaw doctor [--fix] [--yes]`: config validity and legacy keys, auth, file modes, port
 * owner, service drift and reachability. Reports by default; `--fix` (or `--yes`) applies each
 * repair it names, with a `.bak` for every config it writes. Exit 1 while errors remain.
 */
export async function doctor(
  options: GlobalOptions & { fix?: boolean; yes?: boolean; json?: boolean },
): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const ctx = {
    paths,
    env,
    service: {
      manager: Deno.build.os === "darwin" ? "launchd" as const : "systemd" as const,
      system: false,
      home: paths.home,
      profile: paths.profile,
      uid: Deno.uid() ?? 0,
      run: runCommand,
    },
  };
  let findings = await runChecks(ctx);
  const fixed: string[] = [];
  const failed: string[] = [];
  if (options.fix || options.yes) {
    for (const finding of findings) {
      if (!finding.fix) continue;
      try {
        await finding.fix.run();
        fixed.push(finding.fix.describe);
      } catch (error) {
        failed.push(`${finding.fix.describe}: ${(error as Error).message}`);
      }
    }
    if (fixed.length > 0) findings = await runChecks(ctx);
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  if (options.json) {
    printJson({
      ok: errors === 0,
      findings: findings.map(({ id, severity, message, fix }) => ({
        id,
        severity,
        message,
        fixable: fix !== undefined,
      })),
      fixed,
      fixFailures: failed,
    });
    return errors === 0 ? 0 : 1;
  }
  printLine(`OpenClaw doctor (${paths.stateDir})`);
  for (const finding of findings) printLine(`${MARK[finding.severity]} ${finding.message}`);
  for (const line of fixed) printLine(`- Fixed: ${line}`);
  for (const line of failed) printLine(`- Fix failed: ${line}`);
  const fixable = findings.filter((f) => f.fix).length;
  if (fixable > 0 && !(options.fix || options.yes)) {
    printLine(`${fixable} issue(s) can be repaired: run openclaw doctor --fix`);
  }
  printLine(errors === 0 ? "Doctor complete." : `Doctor found ${errors} error(s).`);
  return errors === 0 ? 0 : 1;
}
