// `openclaw reset --scope config|config+creds+sessions|full`: removes config, credentials and
// sessions, or the whole state dir and the workspaces, as the reference does; keeps the CLI.

import { agentSessionDirs, removeTarget } from "../../state/cleanup_paths.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printLine } from "../output.ts";
import {
  cleanupPaths,
  cleanupServiceTarget,
  consoleOutput,
  ownershipRefusal,
  removeStateOwned,
  resolvePlan,
  serviceServesState,
  stdinIsTerminal,
  stopInstalledService,
} from "./cleanup_common.ts";

/** Options of `openclaw reset`. */
export interface ResetOptions extends GlobalOptions {
  scope?: string;
  yes?: boolean;
  nonInteractive?: boolean;
  dryRun?: boolean;
}

const SCOPES = ["config", "config+creds+sessions", "full"];

/** `openclaw reset`: exit 0 when every selected path is gone (or a dry run listed them), else 1. */
export async function reset(options: ResetOptions): Promise<number> {
  // Without a terminal a prompt cannot be answered: refuse as --non-interactive does (the reference hangs on it).
  const interactive = !options.nonInteractive && stdinIsTerminal();
  if (!interactive && !options.yes) {
    printError("Non-interactive mode requires --yes.");
    return 1;
  }
  const scope = options.scope;
  if (!scope) {
    printError("Non-interactive mode requires --scope.");
    return 1;
  }
  if (!SCOPES.includes(scope)) {
    printError('Invalid --scope. Expected "config", "config+creds+sessions", or "full".');
    return 1;
  }
  if (interactive && !options.yes && !confirm(`Proceed with ${scope} reset?`)) {
    printLine("Reset cancelled.");
    return 0;
  }
  const env = Deno.env.toObject();
  const paths = cleanupPaths(options, env);
  const dryRun = options.dryRun ?? false;
  const context = { home: paths.home, cwd: Deno.cwd(), dryRun, out: consoleOutput };
  if (scope === "config") return await removeTarget(paths.configPath, context) ? 0 : 1;

  printLine("Recommended first: openclaw backup create");
  if (dryRun) printLine("[dry-run] stop gateway service");
  else if (
    await serviceServesState(cleanupServiceTarget(paths), paths) &&
    !await stopInstalledService(cleanupServiceTarget(paths))
  ) return 1;
  const plan = await resolvePlan(paths, env, dryRun);
  if (!plan) return 1;
  // Sessions and state are written by a running gateway: remove them only with the state dir free.
  const refusal = dryRun ? undefined : await ownershipRefusal(plan.stateDir);
  if (refusal) {
    printError(refusal);
    return 1;
  }
  let ok = true;
  if (scope === "config+creds+sessions") {
    ok = await removeTarget(plan.configPath, context) && ok;
    ok = await removeTarget(plan.credsDir, context) && ok;
    const sessions = await agentSessionDirs(plan.stateDir);
    if (sessions.outside) {
      printError(`Refusing to remove sessions through a link out of the state dir: ${sessions.outside}`);
      ok = false;
    }
    for (const dir of sessions.dirs) ok = await removeTarget(dir, context) && ok;
  } else {
    const stateRefusal = await removeStateOwned(plan, [], context);
    if (stateRefusal) printError(stateRefusal);
    ok = stateRefusal === undefined;
    if (ok && !plan.configInsideState) ok = await removeTarget(plan.configPath, context);
    if (ok && !plan.credsInsideState) ok = await removeTarget(plan.credsDir, context);
    for (const dir of plan.workspaceDirs) ok = await removeTarget(dir, context) && ok;
  }
  printLine("Next: openclaw onboard --install-daemon");
  return ok ? 0 : 1;
}
