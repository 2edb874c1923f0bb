// `openclaw onboard --non-interactive --accept-risk [--mode local]`, as the reference (OpenClaw
// 2026.9.6) runs it: the `main` agent and its workspace first (its own config write, as the
// reference's), then the gateway, skills, hooks and wizard settings merged into the config as
// written, both through `config set`'s writer (validation, hash guard, `.bak`, 0600). An invalid
// config is refused untouched. Progress lines go to stdout, or to stderr with `--json`.
import { cliWriteAccess } from "./state_write_access.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolveHome, resolvePaths } from "../../config/paths.ts";
import {
  agentDir,
  agentSessionsDir,
  agentWorkspace,
  hasRoster,
  IMPLICIT_AGENT_ID,
  resolveUserPath,
  type RosterPaths,
  withAgentEntry,
} from "../../config/agent_roster.ts";
import { seedAgentWorkspace } from "../../state/agent_workspace.ts";
import { generateToken } from "../../state/stored_token.ts";
import { VERSION } from "../../version.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { invalidConfigMachineForm, shortHome } from "./config_common.ts";
import { CommandFailure, commitTree, invalidBlock } from "./config_write.ts";
import { isJsonObject } from "../../log/json_object.ts";
import {
  anthropicCredential,
  authChoiceOf,
  preflightCredentialStore,
  storeAnthropicCredential,
  withAnthropicProfile,
} from "./onboard_auth.ts";
import { onboardHealth } from "./onboard_health.ts";
import { type LocalRequest, OnboardRefusal, onboardTree } from "./onboard_local_config.ts";
import type { OnboardOptions } from "./onboard_options.ts";

async function readSnapshot(path: string, env: EnvSnapshot): Promise<ConfigSnapshot> {
  try {
    return await loadConfig(path, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (error.issues.length === 0) throw new OnboardRefusal(error.message);
    // With `--json` the reference gives its generic invalid-config envelope and a shorter block.
    throw new OnboardRefusal(invalidBlock(path, env, error), invalidConfigMachineForm(path, env, error));
  }
}

/** Runs local non-interactive onboarding; returns the exit code (refusals are thrown as {@link OnboardRefusal}). */
export async function onboardLocal(options: GlobalOptions & OnboardOptions, port: number | undefined): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const resolved = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const paths: RosterPaths = { stateDir: resolved.stateDir, home: resolveHome(env) };
  const say = options.json ? printError : printLine;
  const cwd = Deno.cwd();
  let snapshot = await readSnapshot(resolved.configPath, env);
  const base = snapshot.authored;
  const rostered = hasRoster(base);
  const defaults = (base.agents as { defaults?: { workspace?: unknown } } | undefined)?.defaults;
  const requested = resolveUserPath(
    options.workspace?.trim() ||
      (typeof defaults?.workspace === "string" && defaults.workspace.trim()) ||
      env.OPENCLAW_WORKSPACE_DIR?.trim() || `${resolved.stateDir}/workspace`,
    paths.home,
    cwd,
  );
  const current = rostered ? agentWorkspace(base, IMPLICIT_AGENT_ID, paths) : requested;
  if (rostered && current !== requested) {
    printError([
      "Warning: existing agents keep their current workspace during non-interactive onboarding.",
      `Current workspace: ${current}`,
      `Requested workspace: ${requested}`,
      "Run `openclaw onboard --classic` to confirm moving the existing agent fleet.",
    ].join("\n"));
  }
  const authChoice = authChoiceOf(options);
  if (authChoice !== "skip" && authChoice !== "apiKey") {
    throw new OnboardRefusal(
      `Auth choice "${authChoice}" is not served by this gateway's onboarding (served: apiKey, skip). Run openclaw onboard --non-interactive --accept-risk --auth-choice apiKey --anthropic-api-key <key>, or --auth-choice skip.`,
    );
  }
  const credential = authChoice === "apiKey"
    ? anthropicCredential(options.anthropicApiKey, options.secretInputMode, env)
    : undefined;
  // A state database that does not open, or a key store that could not be written, stops the run
  // before its first write, as the reference stops.
  preflightCredentialStore(resolved.stateDir, credential, { access: cliWriteAccess() });
  const request: LocalRequest = {
    workspace: requested,
    keepWorkspace: rostered,
    skipBootstrap: options.skipBootstrap === true,
    skipSkills: options.skipSkills === true,
    skipHooks: options.skipHooks === true,
    nodeManager: options.nodeManager,
    port,
    bind: options.gatewayBind,
    authMode: options.gatewayAuth,
    token: options.gatewayToken,
    password: options.gatewayPassword,
    generatedToken: env.OPENCLAW_GATEWAY_TOKEN?.trim() || generateToken(24), // the reference's form: 24 bytes, 48 hex
    envPassword: env.OPENCLAW_GATEWAY_PASSWORD?.trim() || undefined,
    secretRef: options.secretInputMode === "ref",
    envToken: env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined,
    now: new Date(),
    version: VERSION,
    withProfile: credential ? withAnthropicProfile : undefined,
  };
  // Every refusal of the options comes before the first write, so a refused run changes nothing.
  onboardTree(base, request);
  if (!rostered) {
    // The reference creates the first agent in its own write (what `.bak` then holds).
    const withAgent = withAgentEntry(base, IMPLICIT_AGENT_ID, {
      name: IMPLICIT_AGENT_ID,
      workspace: requested,
      agentDir: agentDir(base, IMPLICIT_AGENT_ID, paths),
      identity: { name: IMPLICIT_AGENT_ID },
    }, paths);
    await commitTree(resolved.configPath, env, snapshot, withAgent);
    snapshot = await readSnapshot(resolved.configPath, env);
  }
  const { tree, gateway } = onboardTree(snapshot.authored, request);
  const sessions = agentSessionsDir(IMPLICIT_AGENT_ID, paths);
  await Deno.mkdir(resolved.stateDir, { recursive: true, mode: 0o700 });
  if (request.skipBootstrap) await Deno.mkdir(current, { recursive: true });
  else await seedAgentWorkspace(current);
  await Deno.mkdir(sessions, { recursive: true });
  say(`Workspace OK: ${shortHome(current, env)}`);
  say(`Sessions OK: ${shortHome(sessions, env)}`);
  if (credential) storeAnthropicCredential(resolved.stateDir, credential, { access: cliWriteAccess() });
  await commitTree(resolved.configPath, env, snapshot, tree);
  say(`Updated config: ${shortHome(resolved.configPath, env)}`);
  if (pathExists(`${resolved.configPath}.bak`)) say(`  Backup: ${shortHome(`${resolved.configPath}.bak`, env)}`);
  let reachable = true;
  if (!options.skipHealth) {
    const step = await onboardHealth(options, { gateway, ...probeSecret(tree, env) }, daemonSkipped(options));
    if (typeof step === "number") return step;
    reachable = step.reachable;
  }
  if (options.json) {
    printJson({
      ok: true,
      mode: "local",
      workspace: current,
      authChoice,
      gateway: reachable ? gateway : { ...gateway, reachable: false },
      installDaemon: false,
      skipSkills: options.skipSkills === true,
      skipHealth: options.skipHealth === true,
    });
    return 0;
  }
  printLine(
    "Tip: run `openclaw configure --section web` to store your Brave API key for web_search. Docs: https://docs.openclaw.ai/tools/web",
  );
  return 0;
}

/** `--skip-daemon` / `--no-install-daemon`: the operator said no gateway is to be started. */
function daemonSkipped(options: OnboardOptions): boolean {
  return options.skipDaemon === true || options.installDaemon === false;
}

/** The secret the health probe presents: the configured one (plaintext), else the environment's. */
function probeSecret(tree: Record<string, unknown>, env: EnvSnapshot): { token?: string; password?: string } {
  const gateway = isJsonObject(tree.gateway) ? tree.gateway : {};
  const auth = isJsonObject(gateway.auth) ? gateway.auth : {};
  if (auth.mode === "password") {
    const password = typeof auth.password === "string" ? auth.password : env.OPENCLAW_GATEWAY_PASSWORD;
    return password ? { password } : {};
  }
  const token = typeof auth.token === "string" ? auth.token : env.OPENCLAW_GATEWAY_TOKEN;
  return token ? { token } : {};
}

/** Turns the config writer's refusals into onboarding's (printed the same way). */
export function asOnboardRefusal(error: unknown): OnboardRefusal | undefined {
  if (error instanceof OnboardRefusal) return error;
  if (error instanceof CommandFailure) return new OnboardRefusal(error.message);
  return undefined;
}
