import { delay } from "../async/delay.ts";
// doctor's checks of what runs the config: file modes, the port and whether the gateway answers,
// and the installed service unit; the config checks live in doctor_config_checks.ts.
import { connectGateway } from "../client/rpc_client.ts";
import { loadConfig } from "../config/load.ts";
import type { EnvSnapshot, GatewayPaths } from "../config/paths.ts";
import { resolveGatewayConfig } from "../config/resolve.ts";
import { readStoredToken, storedTokenPath } from "../state/stored_token.ts";
import { lockPath, readLock } from "../server/instance_lock.ts";
import { findPortListeners } from "../server/port_owner.ts";
import { gatewayCommand } from "../service/exec_command.ts";
import { checkAuth, checkConfig, checkModels } from "./doctor_config_checks.ts";
import type { CompletionShell } from "./completion_profile.ts";
import { checkShellCompletion } from "./doctor_completion_check.ts";
import { isAuthFailure } from "./gateway_failure.ts";
import { installService, servicePath, type ServiceTarget } from "../service/install.ts";
import { buildUnitSpec } from "../service/spec.ts";
import { readUnit } from "../service/systemd.ts";
import { messageOf } from "../log/error_text.ts";

/** One doctor finding; `fix` repairs it when the operator passed `--fix`. */
export interface Finding {
  id: string;
  severity: "ok" | "warn" | "error";
  message: string;
  /** `writesConfig`: the repair writes the config file, which a running gateway then reloads. */
  fix?: { describe: string; run(): Promise<void>; writesConfig?: boolean };
}

/** What every check may look at. */
export interface DoctorContext {
  paths: GatewayPaths;
  env: EnvSnapshot;
  service: ServiceTarget;
  /**
   * How long a gateway that refuses the credentials may take to apply a config this run just
   * wrote (0 or unset: report at once). A refusal within it is the old secret still in force.
   */
  reloadGraceMs?: number;
  /** Writes the cached completion script for `shell` (unset: completion findings have no repair). */
  writeCompletionCache?: (shell: CompletionShell) => Promise<void>;
}

async function mode(path: string): Promise<number | undefined> {
  try {
    return (await Deno.stat(path)).mode! & 0o777;
  } catch {
    return undefined;
  }
}

/** State dir 0700; config, stored token and the state database (device tokens) 0600. */
async function checkModes(ctx: DoctorContext): Promise<Finding[]> {
  const wanted: [string, number][] = [
    [ctx.paths.stateDir, 0o700],
    [ctx.paths.configPath, 0o600],
    [storedTokenPath(ctx.paths.stateDir), 0o600],
    [`${ctx.paths.stateDir}/state/openclaw.sqlite`, 0o600],
  ];
  const findings: Finding[] = [];
  for (const [path, want] of wanted) {
    const have = await mode(path);
    if (have === undefined || (have & ~want) === 0) continue;
    findings.push({
      id: "file-mode",
      severity: "warn",
      message: `${path} is mode ${have.toString(8)}; it holds secrets or state and should be ${want.toString(8)}`,
      fix: { describe: `chmod ${want.toString(8)} ${path}`, run: () => Deno.chmod(path, want) },
    });
  }
  return findings;
}

/** Who listens on the gateway's port, and whether the gateway answers. */
async function checkPortAndReachability(ctx: DoctorContext): Promise<Finding[]> {
  let port: number;
  let token: string | undefined;
  let password: string | undefined;
  try {
    const snapshot = await loadConfig(ctx.paths.configPath, ctx.env);
    const resolved = resolveGatewayConfig({ paths: ctx.paths, config: snapshot.config, env: ctx.env });
    port = resolved.port;
    token = resolved.auth.token ?? await readStoredToken(ctx.paths.stateDir);
    password = resolved.auth.password;
  } catch {
    return [];
  }
  const listeners = await findPortListeners(port);
  const lock = await readLock(lockPath(ctx.paths.stateDir));
  const strangers = listeners.filter((l) => l.pid !== lock?.pid);
  const findings: Finding[] = [];
  if (strangers.length > 0) {
    findings.push({
      id: "port-owner",
      severity: "warn",
      message: `Port ${port} is held by another process: ${
        strangers.map((l) => `pid ${l.pid} (${l.command})`).join(", ")
      }`,
    });
  }
  if (listeners.length === 0) {
    findings.push({ id: "gateway-reachable", severity: "warn", message: `Gateway not running on port ${port}` });
    return findings;
  }
  try {
    await probeAfterReload({ url: `ws://127.0.0.1:${port}`, token, password }, ctx.reloadGraceMs ?? 0);
    findings.push({ id: "gateway-reachable", severity: "ok", message: `Gateway reachable on ws://127.0.0.1:${port}` });
  } catch (error) {
    findings.push({
      id: "gateway-reachable",
      severity: "warn",
      message: `Gateway on port ${port} refused the probe: ${messageOf(error)}`,
    });
  }
  return findings;
}

/**
 * Connects once; while the gateway refuses the credentials and `graceMs` has not passed, tries
 * again: a config this run wrote (a moved token) takes effect when the gateway reloads it, and
 * its answer to the new secret is the signal that it has. Each refusal is itself delayed by the
 * gateway's loopback limiter, which paces the tries.
 */
async function probeAfterReload(
  target: { url: string; token: string | undefined; password: string | undefined },
  graceMs: number,
): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    try {
      (await connectGateway(target, { timeoutMs: 3000 })).close();
      return;
    } catch (error) {
      if (!isAuthFailure(error) || Date.now() >= deadline) throw error;
      await delay(100);
    }
  }
}

/** An installed unit pins the resolved port and runs this program; drift is rewritten by --fix. */
async function checkServiceDrift(ctx: DoctorContext): Promise<Finding[]> {
  const path = servicePath(ctx.service);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return [];
  }
  let port: number;
  try {
    const snapshot = await loadConfig(ctx.paths.configPath, ctx.env);
    port = resolveGatewayConfig({ paths: ctx.paths, config: snapshot.config, env: ctx.env }).port;
  } catch {
    return [];
  }
  const command = gatewayCommand({ execPath: Deno.execPath(), mainModule: Deno.mainModule }, { port });
  const spec = buildUnitSpec({ paths: ctx.paths, env: ctx.env, port, command });
  const unit = readUnit(text);
  const issues: string[] = [];
  if (ctx.service.manager === "systemd" && unit.port !== port) {
    issues.push(`Gateway service port does not match current gateway config. (${unit.port ?? "none"} -> ${port})`);
  }
  if (ctx.service.manager === "systemd" && !/^RestartPreventExitStatus=78$/m.test(text)) {
    issues.push("Service restarts on start-up refusals (RestartPreventExitStatus=78 missing)");
  }
  if (/OPENCLAW_GATEWAY_(TOKEN|PASSWORD)=/.test(text)) {
    issues.push("Gateway service embeds a secret and should be reinstalled.");
  }
  if (issues.length === 0) {
    return [{ id: "service-drift", severity: "ok", message: `Service file matches the config: ${path}` }];
  }
  return [{
    id: "service-drift",
    severity: "warn",
    message: `Service config looks out of date: ${issues.join("; ")} (${path})`,
    fix: {
      describe: `rewrote ${path} and restarted the service`,
      run: async () => void await installService(ctx.service, spec, { force: true }),
    },
  }];
}

/** Every check, in the order the report shows them. */
export async function runChecks(ctx: DoctorContext): Promise<Finding[]> {
  const groups = await Promise.all([
    checkConfig(ctx),
    checkAuth(ctx),
    checkModels(ctx),
    checkModes(ctx),
    checkServiceDrift(ctx),
    checkPortAndReachability(ctx),
    checkShellCompletion(ctx),
  ]);
  return groups.flat();
}
