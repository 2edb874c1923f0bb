// `openclaw hooks list|info|check|enable|disable`: the internal hooks of an agent's workspace, as the
// reference runs them. The reports ask the local gateway (`hooks.status`, 1.5 s) and, when none
// answers, build the same report on this host; `enable`/`disable` always decide locally and write
// `hooks.internal.entries.<key>.enabled` through `config set`'s writer. Failures are `Error: …` on
// stderr, exit 1 (with `--json`, a report command also prints the reference's envelope on stdout).
import { connectGateway, GatewayRequestError, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, loadConfig } from "../../config/load.ts";
import { resolveGatewayConfig } from "../../config/resolve.ts";
import { type EnvSnapshot, pathExists, resolveHome, resolvePaths } from "../../config/paths.ts";
import { isJsonObject } from "../../log/json_object.ts";
import {
  type HooksAgent,
  hooksAgent,
  type HooksReport,
  type HookStatus,
  localHooksReport,
} from "../../server/local_hooks.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { jsonFailure } from "./config_common.ts";
import { commitTree, invalidBlock } from "./config_write.ts";
import { formatHookInfo, formatHooksCheck, formatHooksList, missingSummary, sample } from "./hooks_format.ts";

/** Options of the hooks commands (the parent's `--agent`/`--json` already merged in). */
export interface HooksOptions extends GlobalOptions {
  agent?: string;
  json?: boolean;
  eligible?: boolean;
  verbose?: boolean;
}

/** How long the reference waits for the gateway's report before it gives up. */
const GATEWAY_TIMEOUT_MS = 1500;

/** A refusal in the reference's words, printed after `Error: `. */
class HooksFailure extends Error {}

/** The config, paths and agent a hooks command works on. */
interface HooksContext {
  env: EnvSnapshot;
  configPath: string;
  stateDir: string;
  snapshot: ConfigSnapshot;
  agent: HooksAgent;
  /** `gateway.mode`: a remote gateway's failure is never answered locally. */
  gatewayMode: string | undefined;
  /** `gateway.auth.mode` after precedence: with token or password auth, a call without either is not tried. */
  authMode: string;
}

async function loadContext(options: HooksOptions): Promise<HooksContext> {
  const env: EnvSnapshot = Deno.env.toObject();
  if (options.agent !== undefined && !options.agent.trim()) throw new HooksFailure("--agent must not be blank");
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  let snapshot: ConfigSnapshot;
  try {
    snapshot = await loadConfig(paths.configPath, env);
  } catch (error) {
    if (!(error instanceof ConfigError) || error.issues.length === 0) throw error;
    throw new HooksFailure(invalidBlock(paths.configPath, env, error));
  }
  const agent = hooksAgent(snapshot.config, paths, options.agent?.trim());
  if (typeof agent === "string") throw new HooksFailure(agent);
  const { mode, auth } = resolveGatewayConfig({ paths, config: snapshot.config, env });
  return {
    env,
    configPath: paths.configPath,
    stateDir: paths.stateDir,
    snapshot,
    agent,
    gatewayMode: mode,
    authMode: auth.mode,
  };
}

function localReport(context: HooksContext, config: Readonly<Record<string, unknown>>): HooksReport {
  return localHooksReport(config, context.agent, {
    stateDir: context.stateDir,
    home: resolveHome(context.env),
    cwd: Deno.cwd(),
  });
}

/** Whether a failed call may be answered locally: nothing answered (or an older gateway) at the implicit local target. */
function mayFallBack(context: HooksContext, error: unknown): boolean {
  if (context.gatewayMode === "remote") return false;
  if (error instanceof GatewayTransportError) return true;
  return error instanceof GatewayRequestError && error.code === "INVALID_REQUEST" &&
    (error.message === "unknown method: hooks.status" ||
      error.message === "invalid hooks.status params: unexpected property agentId" ||
      error.message === "invalid hooks.status params: at root: unexpected property 'agentId'");
}

/** The report: the running gateway's, else (nothing answering on the local target) this host's. */
async function loadReport(context: HooksContext, options: HooksOptions): Promise<HooksReport> {
  try {
    const target = await resolveTarget({ profile: options.profile, dev: options.dev }, context.env);
    // As the reference: no credentials for a gateway that wants them is answered locally, unasked.
    const needsSecret = context.authMode === "token" || context.authMode === "password";
    if (
      needsSecret && target.token === undefined && target.password === undefined && context.gatewayMode !== "remote"
    ) {
      return localReport(context, context.snapshot.config);
    }
    const connection = await connectGateway(target, { clientId: "cli", mode: "cli", timeoutMs: GATEWAY_TIMEOUT_MS });
    try {
      return await connection.request<HooksReport>(
        "hooks.status",
        { agentId: context.agent.agentId },
        GATEWAY_TIMEOUT_MS,
      );
    } finally {
      connection.close();
    }
  } catch (error) {
    if (!mayFallBack(context, error)) throw error;
    return localReport(context, context.snapshot.config);
  }
}

/** The hook `name` names (by name first, then by hook key); undefined when none does. */
export function selectHook(report: HooksReport, name: string): HookStatus | undefined {
  const byName = report.hooks.filter((hook) => hook.name === name);
  const matches = byName.length > 0 ? byName : report.hooks.filter((hook) => hook.hookKey === name);
  if (matches.length > 1) {
    const candidates = sample(matches.map((hook) => `${hook.name} (${hook.hookKey})`), 5);
    throw new HooksFailure(
      `Hook "${name}" is ambiguous; matches: ${candidates}. Use a unique hook name or hook key.`,
    );
  }
  return matches[0];
}

const messageOf = (error: unknown) => error instanceof Error ? error.message : String(error);

/** Runs a report command: failures as `Error: …` on stderr and, with `--json`, the envelope on stdout. */
async function runReport(options: HooksOptions, task: () => Promise<number>): Promise<number> {
  try {
    return await task();
  } catch (error) {
    const message = messageOf(error);
    printError(`Error: ${message}`);
    if (options.json) printJson(jsonFailure(message));
    return 1;
  }
}

/** `hooks list` (and bare `hooks`): the table, or `--json`. */
export function hooksList(options: HooksOptions): Promise<number> {
  return runReport(options, async () => {
    const context = await loadContext(options);
    printLine(formatHooksList(await loadReport(context, options), options));
    return 0;
  });
}

/** `hooks info <name>`: the details; exit 1 when no hook has that name. */
export function hooksInfo(name: string, options: HooksOptions): Promise<number> {
  return runReport(options, async () => {
    const context = await loadContext(options);
    const hook = selectHook(await loadReport(context, options), name);
    printLine(formatHookInfo(hook, name, { ...options, home: resolveHome(context.env) }));
    return hook ? 0 : 1;
  });
}

/** `hooks check`: how many hooks are ready and why the others are not. */
export function hooksCheck(options: HooksOptions): Promise<number> {
  return runReport(options, async () => {
    const context = await loadContext(options);
    printLine(formatHooksCheck(await loadReport(context, options), options));
    return 0;
  });
}

/** The config as written with `hook` switched on or off (the master switch set when enabling). */
function withHookEnabled(tree: Record<string, unknown>, hookKey: string, enabled: boolean): Record<string, unknown> {
  const hooks = isJsonObject(tree.hooks) ? tree.hooks : {};
  const internal = isJsonObject(hooks.internal) ? hooks.internal : {};
  const entries = isJsonObject(internal.entries) ? internal.entries : {};
  const entry = isJsonObject(entries[hookKey]) ? entries[hookKey] : {};
  return {
    ...tree,
    hooks: {
      ...hooks,
      internal: {
        ...internal,
        ...(enabled ? { enabled: true } : {}),
        entries: { ...entries, [hookKey]: { ...entry, enabled } },
      },
    },
  };
}

/** `hooks enable|disable <name>`: writes the hook's entry and says so; refuses unknown, plugin or ineligible hooks. */
export async function hooksSetEnabled(name: string, enabled: boolean, options: HooksOptions): Promise<number> {
  try {
    const context = await loadContext(options);
    const hook = selectHook(localReport(context, context.snapshot.config), name);
    if (!hook) {
      throw new HooksFailure(`Hook "${name}" not found. Run \`openclaw hooks list\` to see available hooks.`);
    }
    if (hook.managedByPlugin) {
      throw new HooksFailure(
        `Hook "${name}" is managed by plugin "${hook.pluginId ?? "unknown"}" and cannot be enabled/disabled.`,
      );
    }
    if (enabled && !hook.requirementsSatisfied) {
      const install = hook.install.length > 0
        ? ` Install options: ${sample(hook.install.map((option) => option.label), 3)}.`
        : "";
      throw new HooksFailure(
        `Hook "${name}" is not eligible; missing ${
          missingSummary(hook, 3)
        }.${install} Run \`openclaw hooks info ${name}\` for details.`,
      );
    }
    const tree = withHookEnabled(context.snapshot.authored, hook.hookKey, enabled);
    await commitTree(context.configPath, context.env, context.snapshot, tree);
    const shown = hook.emoji ? `${hook.emoji} ${hook.name}` : hook.name;
    printLine(enabled ? `✓ Enabled hook: ${shown}` : `Disabled hook: ${shown}`);
    return 0;
  } catch (error) {
    printError(`Error: ${messageOf(error)}`);
    return 1;
  }
}
