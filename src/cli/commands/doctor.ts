import type { Command } from "commander";
import { messageOf } from "../../log/error_text.ts";
import type { CompletionShell } from "../completion_profile.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { runCommand } from "../../service/runtime.ts";
import { type Finding, runChecks } from "../doctor_checks.ts";
import type { GlobalOptions } from "../main.ts";
import { printJson, printLine } from "../output.ts";

/** Upper bound on the wait for a running gateway to reload a config `--fix` wrote (debounce + apply). */
const RELOAD_GRACE_MS = 10_000;

const MARK: Record<Finding["severity"], string> = { ok: "✓", warn: "!", error: "✗" };

/**
 * `openclaw doctor [--fix] [--yes]`: config validity and legacy keys, auth, file modes, port
 * owner, service drift and reachability. Reports by default; `--fix` (or `--yes`) applies each
 * repair it names, with a `.bak` for every config it writes. Exit 1 while errors remain.
 */
export async function doctor(
  options: GlobalOptions & { fix?: boolean; yes?: boolean; json?: boolean },
  program?: Command,
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
    // The completion script describes the whole program tree, so only the CLI that holds it can write one.
    writeCompletionCache: program &&
      (async (shell: CompletionShell) =>
        (await import("./completion.ts")).writeCompletionCache(program, paths.stateDir, shell)),
  };
  let findings = await runChecks(ctx);
  const fixed: string[] = [];
  const failed: string[] = [];
  if (options.fix || options.yes) {
    let configWritten = false;
    for (const finding of findings) {
      if (!finding.fix) continue;
      try {
        await finding.fix.run();
        fixed.push(finding.fix.describe);
        configWritten ||= finding.fix.writesConfig === true;
      } catch (error) {
        failed.push(`${finding.fix.describe}: ${messageOf(error)}`);
      }
    }
    // A running gateway applies a rewritten config after its reload debounce; until then it still
    // holds the old secret, which is not a mismatch worth reporting.
    const reloadGraceMs = configWritten ? RELOAD_GRACE_MS : 0;
    if (fixed.length > 0) findings = await runChecks({ ...ctx, reloadGraceMs });
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
