import { userInfo } from "node:os";
import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { resolveGatewayConfig } from "../../config/resolve.ts";
import { lockPath, readLock } from "../../server/instance_lock.ts";
import { gatewayCommand } from "../../service/exec_command.ts";
import {
  controlService,
  installService,
  ServiceError,
  servicePath,
  type ServiceTarget,
  uninstallService,
} from "../../service/install.ts";
import { launchdLabel, systemdUnitName } from "../../service/names.ts";
import { runCommand } from "../../service/runtime.ts";
import { buildUnitSpec } from "../../service/spec.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";

/** Options shared by the service commands. */
export interface ServiceOptions extends GlobalOptions {
  system?: boolean;
  json?: boolean;
  force?: boolean;
  port?: string;
  allowUnconfigured?: boolean;
}

function serviceTarget(options: ServiceOptions, env: EnvSnapshot): ServiceTarget {
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  return {
    manager: Deno.build.os === "darwin" ? "launchd" : "systemd",
    system: options.system ?? false,
    home: paths.home,
    profile: paths.profile,
    uid: Deno.uid() ?? 0,
    run: runCommand,
  };
}

/** The OS account running the installer, for a system unit when $USER and $LOGNAME are unset. */
function osAccount(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

function kindLabel(target: ServiceTarget): string {
  return target.manager === "launchd" ? "LaunchAgent" : target.system ? "systemd system service" : "systemd service";
}

function report(action: string, options: ServiceOptions, result: Record<string, unknown>, lines: string[]): number {
  if (options.json) printJson({ action, ok: true, ...result });
  else for (const line of lines) printLine(line);
  return 0;
}

function fail(action: string, options: ServiceOptions, message: string): number {
  if (options.json) printJson({ action, ok: false, error: message });
  else printError(message);
  return 1;
}

/**
 * `openclaw gateway install [--force] [--system]`: writes the unit for this profile with the
 * resolved port pinned, then enables and starts it. Refuses a config the gateway would refuse.
 */
export async function gatewayInstall(options: ServiceOptions): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const target = serviceTarget(options, env);
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  let port: number;
  try {
    const snapshot = await loadConfig(paths.configPath, env);
    if (!snapshot.exists && !options.allowUnconfigured) {
      return fail(
        "install",
        options,
        `Gateway install blocked: no config at ${paths.configPath}. Run \`openclaw setup\` first, or pass --allow-unconfigured.`,
      );
    }
    port = resolveGatewayConfig({ paths, config: snapshot.config, env, flags: { port: options.port } }).port;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return fail("install", options, `Gateway install blocked: ${error.message}`);
  }
  const command = gatewayCommand(
    { execPath: Deno.execPath(), mainModule: Deno.mainModule },
    { port, allowUnconfigured: options.allowUnconfigured },
  );
  const spec = buildUnitSpec({ paths, env, port, command, system: target.system, osUser: osAccount() });
  if (target.manager === "systemd" && spec.system && !spec.user) {
    return fail(
      "install",
      options,
      "Gateway install blocked: cannot tell which account the system unit should run as ($USER, $LOGNAME and the OS account are all unknown). Rerun with USER=<account> set",
    );
  }
  try {
    const result = await installService(target, spec, { force: options.force ?? false });
    if (result.status === "unchanged") {
      return report("install", options, { result: "unchanged", path: result.path }, [
        "Gateway service already enabled.",
        "Reinstall with: openclaw gateway install --force",
      ]);
    }
    const lines = [
      "",
      `Installed ${kindLabel(target)}: ${result.path}`,
      ...(result.backup ? [`Previous unit backed up to: ${result.backup}`] : []),
      "Gateway service installed. Check with openclaw gateway status and openclaw health.",
    ];
    if (target.manager === "systemd" && !target.system) {
      const user = env.USER ?? env.LOGNAME;
      const linger = user ? await runCommand("loginctl", ["show-user", user, "--property=Linger"]) : undefined;
      if (!linger?.stdout.includes("Linger=yes")) {
        lines.push(
          `Hint: run \`loginctl enable-linger ${user ?? "$USER"}\` so the gateway keeps running after you log out.`,
        );
      }
    }
    return report(
      "install",
      options,
      { result: result.status, path: result.path, backup: result.backup ?? null },
      lines,
    );
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return fail("install", options, `Gateway install failed: ${error.message}`);
  }
}

/** `openclaw gateway uninstall`: stops, disables and removes the unit. */
export async function gatewayUninstall(options: ServiceOptions): Promise<number> {
  const target = serviceTarget(options, Deno.env.toObject());
  try {
    const removed = await uninstallService(target);
    const path = servicePath(target);
    return report("uninstall", options, { result: removed ? "removed" : "not-installed", path }, [
      removed ? `Removed ${kindLabel(target)}: ${path}` : `${kindLabel(target)} not found at ${path}`,
    ]);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return fail("uninstall", options, `Gateway uninstall failed: ${error.message}`);
  }
}

/**
 * `openclaw gateway start|stop|restart`: through the service manager. A restart with no service
 * installed goes to a foreground gateway of this state dir (SIGUSR2), as the reference does.
 */
export async function gatewayControl(action: "start" | "stop" | "restart", options: ServiceOptions): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const target = serviceTarget(options, env);
  const name = target.manager === "launchd" ? launchdLabel(target.profile) : systemdUnitName(target.profile);
  if (action === "restart" && !pathExists(servicePath(target))) {
    const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
    const lock = await readLock(lockPath(paths.stateDir));
    if (lock) {
      try {
        Deno.kill(lock.pid, "SIGUSR2");
        return report("restart", options, { result: "restarted", pid: lock.pid }, [
          `Gateway restart request sent to foreground process on port ${lock.port}: ${lock.pid}.`,
        ]);
      } catch {
        // The recorded owner is gone: fall through to the "not installed" message.
      }
    }
  }
  try {
    await controlService(target, action);
    const verb = { start: "Started", stop: "Stopped", restart: "Restarted" }[action];
    return report(action, options, { result: action === "stop" ? "stopped" : `${action}ed`, unit: name }, [
      `${verb} ${kindLabel(target)}: ${name}`,
    ]);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    return fail(action, options, `Gateway ${action} failed: ${error.message}`);
  }
}
