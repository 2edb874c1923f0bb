// `openclaw uninstall --service --state --workspace --app | --all`: removes the gateway service and
// local data as the reference does, reporting every requested scope and exiting 1 if any failed.

import { ServiceError, servicePath, uninstallService } from "../../service/install.ts";
import { type CleanupPlan, removeTarget } from "../../state/cleanup_paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printLine } from "../output.ts";
import {
  cleanupPaths,
  cleanupServiceTarget,
  consoleOutput,
  removeStateOwned,
  resolvePlan,
  serviceInstalled,
  serviceServesState,
  serviceStateDir,
  stdinIsTerminal,
  stopInstalledService,
} from "./cleanup_common.ts";

/** Options of `openclaw uninstall`. */
export interface UninstallOptions extends GlobalOptions {
  service?: boolean;
  state?: boolean;
  workspace?: boolean;
  app?: boolean;
  all?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  dryRun?: boolean;
}

type Scope = "service" | "state" | "workspace" | "app";

/** Stops and removes this profile's gateway service unit; false when either step failed. */
async function removeService(options: UninstallOptions): Promise<boolean> {
  const paths = cleanupPaths(options, Deno.env.toObject());
  const target = cleanupServiceTarget(paths);
  if (!serviceInstalled(target)) {
    printLine(`Gateway service ${target.manager === "launchd" ? "not loaded" : "disabled"}.`);
    return true;
  }
  if (!await serviceServesState(target, paths)) {
    printError(
      `Gateway uninstall failed: service management skipped: non-default state dir or config path (the installed service runs on ${await serviceStateDir(
        target,
        paths,
      )}, not ${paths.stateDir}).`,
    );
    return false;
  }
  if (!await stopInstalledService(target)) return false;
  try {
    await uninstallService(target);
    printLine(`Removed ${target.manager === "launchd" ? "LaunchAgent" : "systemd service"}: ${servicePath(target)}`);
    return true;
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    printError(`Gateway uninstall failed: ${error.message}. Run openclaw gateway status --deep for the service state.`);
    return false;
  }
}

/** Removes the state dir (keeping workspaces inside it unless `--workspace`) and a config/credentials dir outside it. */
async function removeState(plan: CleanupPlan, keepWorkspaces: boolean, dryRun: boolean): Promise<boolean> {
  const context = { home: plan.home, cwd: Deno.cwd(), dryRun, out: consoleOutput };
  const preserve = keepWorkspaces ? plan.workspaceDirs : [];
  const refusal = await removeStateOwned(plan, preserve, context);
  if (refusal) printError(`State cleanup failed: ${refusal}`);
  let ok = refusal === undefined;
  if (ok && !plan.configInsideState) ok = await removeTarget(plan.configPath, context);
  if (ok && !plan.credsInsideState) ok = await removeTarget(plan.credsDir, context);
  return ok;
}

/** `openclaw uninstall`: exit 0 when every requested scope was cleaned (or a dry run listed it), else 1. */
export async function uninstall(options: UninstallOptions): Promise<number> {
  const scopes = new Set<Scope>(
    (["service", "state", "workspace", "app"] as const).filter((scope) => options.all || options[scope]),
  );
  // Without a terminal a prompt cannot be answered: refuse as --non-interactive does (the reference hangs on it).
  const interactive = !options.nonInteractive && stdinIsTerminal();
  if (!interactive && !options.yes) {
    printError("Non-interactive uninstall requires --yes. Preview first with openclaw uninstall --dry-run --all.");
    return 1;
  }
  if (scopes.size === 0) {
    printError(
      "Non-interactive uninstall requires explicit scopes. Use --all, or choose scopes such as --service --state.",
    );
    return 1;
  }
  if (interactive && !options.yes && !confirm("Proceed with uninstall?")) {
    printLine("Uninstall cancelled.");
    return 0;
  }
  const dryRun = options.dryRun ?? false;
  const env = Deno.env.toObject();
  let failed = false;
  const removesLocalData = scopes.has("state") || scopes.has("workspace");
  if (removesLocalData) printLine("Recommended first: openclaw backup create");
  let serviceSafe = true;
  if (scopes.has("service")) {
    if (dryRun) printLine("[dry-run] remove gateway service");
    else if (!await removeService(options)) serviceSafe = false;
  }
  failed ||= !serviceSafe;
  let plan: CleanupPlan | undefined;
  if (removesLocalData && serviceSafe) {
    plan = await resolvePlan(cleanupPaths(options, env), env, dryRun);
    failed ||= !plan;
  } else if (removesLocalData) {
    printError("State and workspace cleanup blocked because gateway service teardown failed.");
  }
  let stateOk = true;
  if (scopes.has("state") && plan) {
    stateOk = await removeState(plan, !scopes.has("workspace"), dryRun);
    failed ||= !stateOk;
  }
  if (scopes.has("workspace") && plan && !stateOk) {
    printError("Workspace cleanup blocked because state cleanup could not safely complete.");
  } else if (scopes.has("workspace") && plan) {
    const context = { home: plan.home, cwd: Deno.cwd(), dryRun, out: consoleOutput };
    const left = [];
    for (const dir of plan.workspaceDirs) if (!await removeTarget(dir, context)) left.push(dir);
    if (left.length > 0) {
      printError(`Workspace cleanup incomplete: ${left.join(", ")}`);
      failed = true;
    }
  }
  if (scopes.has("app")) printLine("macOS app cleanup is not applicable on this platform.");
  if (!failed) printLine("CLI removal instructions: https://docs.openclaw.ai/install/uninstall");
  if (
    scopes.has("state") && !scopes.has("workspace") && plan?.workspaceDirs.some((dir) => dir.startsWith(plan!.home))
  ) {
    printLine("Tip: workspaces were preserved. Re-run with --workspace to remove them.");
  }
  return failed ? 1 : 0;
}
