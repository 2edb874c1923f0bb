// `openclaw sessions cleanup`: session-store maintenance now, as the reference runs it. `--dry-run`
// previews each selected store read-only (its counts, a table of planned actions); a real run cleans
// each store in one transaction on this host, or, while a gateway owns the state dir (and no `--store`
// is given), asks that gateway's `sessions.cleanup` to, as the reference delegates to a running gateway.
import { connectGateway, GatewayRequestError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { dmScopeIsMain, sessionMaintenance } from "../../config/session_maintenance.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { lockOwner } from "../../server/instance_lock.ts";
import type { CleanupFailure, CleanupRunOptions, CleanupSummary } from "../../server/local_sessions_cleanup.ts";
import { agentDbPath } from "../../state/agent_db_path.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printFailureBlock, printJson, printLine } from "../output.ts";
import { jsonFailure } from "./config_common.ts";
import { printApplied, printDryRun } from "./sessions_cleanup_output.ts";
import { rowContext } from "./sessions_list.ts";
import { selectTargets, SessionsCliError } from "./sessions_targets.ts";

/** Flags of `openclaw sessions cleanup`. */
export interface SessionsCleanupOptions extends GlobalOptions {
  store?: string;
  agent?: string;
  allAgents?: boolean;
  dryRun?: boolean;
  enforce?: boolean;
  fixMissing?: boolean;
  fixDmScope?: boolean;
  activeKey?: string;
  json?: boolean;
}

/** A gateway's answer: one store's summary, or several (with a partial failure). */
type GatewayCleanupResult = CleanupSummary | { stores: CleanupSummary[]; partialError?: { message: string } };

/** Asks the gateway that owns the state dir to clean up; exit code as the reference's. */
async function delegate(options: SessionsCleanupOptions): Promise<number> {
  const json = options.json === true;
  const target = await resolveTarget({ profile: options.profile, dev: options.dev }, Deno.env.toObject());
  let result: GatewayCleanupResult;
  try {
    const connection = await connectGateway(target, { scopes: ["operator.admin"], timeoutMs: 30_000 });
    try {
      result = await connection.request<GatewayCleanupResult>("sessions.cleanup", {
        agent: options.agent,
        allAgents: options.allAgents,
        enforce: options.enforce,
        activeKey: options.activeKey,
        fixMissing: options.fixMissing,
        fixDmScope: options.fixDmScope,
      }, 600_000);
    } finally {
      connection.close();
    }
  } catch (error) {
    // A store that failed after others were cleaned: the gateway's error carries the partial document.
    const details = error instanceof GatewayRequestError ? error.details : undefined;
    if (!isJsonObject(details) || !isJsonObject(details.partialError) || !Array.isArray(details.stores)) {
      return reportGatewayFailure(error, target, { json, action: "Session cleanup" });
    }
    result = details as unknown as GatewayCleanupResult;
  }
  const partial = "stores" in result ? result.partialError : undefined;
  if (json) printJson(result);
  else {
    printApplied("stores" in result ? result.stores : [result]);
    if (partial) printError(`[error] ${partial.message}`);
  }
  return partial ? 1 : 0;
}

async function cleanup(options: SessionsCleanupOptions): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  if (!options.dryRun && options.store === undefined && await lockOwner(paths.stateDir)) return delegate(options);
  const { config } = await loadConfig(paths.configPath, env);
  const { agents, ctx } = await rowContext(paths, env);
  const targets = await selectTargets(options, paths.stateDir, agents.agents.map((a) => a.id), agents.defaultAgentId);
  const maintenance = sessionMaintenance(config);
  const run: CleanupRunOptions = {
    maintenance,
    mode: options.enforce ? "enforce" : maintenance.mode,
    activeKey: options.activeKey,
    fixMissing: options.fixMissing === true,
    fixDmScope: options.fixDmScope === true,
    dmScopeMain: dmScopeIsMain(config),
  };
  const local = await import("../../server/local_sessions_cleanup.ts");
  if (options.dryRun) {
    const previews = [];
    for (const target of targets) previews.push(await local.previewCleanup(target, run));
    if (options.json) printJson(local.cleanupJson(run.mode, true, previews.map((p) => p.summary)));
    else {
      previews.forEach((preview, i) => {
        if (i > 0) printLine("");
        printDryRun(preview, ctx, previews.length > 1);
      });
    }
    return 0;
  }
  const stateDir = targets.length === 1 && options.store !== undefined
    ? stateDirOf(targets[0]!.path, targets[0]!.agentId)
    : paths.stateDir;
  if (stateDir === undefined) {
    throw new SessionsCliError(
      `Cannot clean up ${
        targets[0]!.path
      }: it is not an agent database under a state dir (agents/<id>/agent/openclaw-agent.sqlite). Pass --dry-run to preview it, or select the agent with --agent`,
    );
  }
  // A gateway keeps its own view of the store; only it may change the store while it runs.
  if (await lockOwner(stateDir)) {
    throw new SessionsCliError(
      `Cannot clean up ${
        targets[0]!.path
      } while the Gateway owns its state directory. Run without --store to have the Gateway clean it up, or stop the Gateway and retry`,
    );
  }
  let result: { summaries: CleanupSummary[]; failure?: CleanupFailure };
  try {
    result = await local.cleanLocally(stateDir, targets, run);
  } catch (error) {
    if (error instanceof local.SessionsCleanupError) throw new SessionsCliError(error.message);
    throw error;
  }
  const { summaries, failure } = result;
  if (options.json) printJson(local.cleanupJson(run.mode, false, summaries, failure));
  else {
    printApplied(summaries);
    if (failure) printError(`[error] ${failure.message}`);
  }
  return failure ? 1 : 0;
}

/** The state dir an agent database lives in (`<stateDir>/agents/<id>/agent/openclaw-agent.sqlite`). */
function stateDirOf(path: string, agentId: string): string | undefined {
  const suffix = agentDbPath("", agentId);
  return path.endsWith(suffix) ? path.slice(0, -suffix.length) : undefined;
}

/** `openclaw sessions cleanup`: exit 0 when every selected store was cleaned (or previewed). */
export async function sessionsCleanup(options: SessionsCleanupOptions): Promise<number> {
  try {
    return await cleanup(options);
  } catch (error) {
    if (!(error instanceof SessionsCliError)) throw error;
    if (options.json) printJson(jsonFailure(error.message));
    if (error.block) printFailureBlock(error.message);
    else printError(error.message);
    return 1;
  }
}
