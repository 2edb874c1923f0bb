import { userInfo } from "node:os";
import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { startRefusal } from "../../server/prepare.ts";
import { lockOwner } from "../../server/instance_lock.ts";
import { stopLockOwner } from "../stop_lock_owner.ts";
import { restartLockOwner } from "../restart_lock_owner.ts";
import { gatewayCommand } from "../../service/exec_command.ts";
import {
  activationHints,
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
import { invalidConfigMachineForm } from "./config_common.ts";

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

function fail(
  action: string,
  options: ServiceOptions,
  message: string,
  extra: { fields?: Record<string, unknown>; hints?: string[] } = {},
): number {
  if (options.json) printJson({ action, ok: false, error: message, ...extra.fields, hints: extra.hints ?? [] });
  else for (const line of [message, ...extra.hints ?? []]) printError(line);
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
    // The guards a start runs (gateway.mode, weak or missing secrets, hooks token, exposed bind):
    // a unit for a config the gateway refuses would only start into exit 78.
    const checked = await startRefusal(
      {
        profile: options.profile,
        dev: options.dev,
        allowUnconfigured: options.allowUnconfigured,
        flags: { port: options.port },
      },
      env,
      snapshot,
    );
    if (checked.refusal) return fail("install", options, `Gateway install blocked: ${checked.refusal.message}`);
    port = checked.config.port;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (!options.json && error.issues.some((issue) => issue.segments !== undefined)) {
      // The reference's config guard block first (its own words), then our refusal.
      printError(invalidConfigMachineForm(paths.configPath, env, error).stderr);
      return fail("install", options, "Gateway install blocked: the config above is invalid; fix it, then retry.");
    }
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
    if (error.unitPath === undefined) return fail("install", options, `Gateway install failed: ${error.message}`);
    return fail("install", options, `Gateway install failed: ${error.message}`, {
      fields: { path: error.unitPath, unitKept: true },
      hints: [
        `The unit is written and kept: ${error.unitPath}`,
        ...activationHints(target, env.USER || env.LOGNAME || osAccount()),
      ],
    });
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
 * `openclaw gateway start|stop|restart`: through the service manager. With no service installed,
 * restart (SIGUSR2, then wait until it serves again) and stop (SIGTERM, then wait until it lets go) reach the
 * gateway that holds this state dir's lock, as the reference does; stop with nothing to stop fails and says why.
 */
export async function gatewayControl(action: "start" | "stop" | "restart", options: ServiceOptions): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const target = serviceTarget(options, env);
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const name = target.manager === "launchd" ? launchdLabel(target.profile) : systemdUnitName(target.profile);
  const installed = pathExists(servicePath(target));
  if (action === "stop" && !installed) {
    const stopped = await stopLockOwner(paths.stateDir);
    if (!stopped) {
      return fail(
        "stop",
        options,
        `Gateway stop failed: no gateway service is installed (${
          servicePath(target)
        }) and no gateway owns ${paths.stateDir}; nothing was stopped. Check with openclaw gateway status`,
      );
    }
    if (!stopped.ok) return fail("stop", options, `Gateway stop failed: ${stopped.error}`);
    return report("stop", options, { result: "stopped", pid: stopped.pid, port: stopped.port }, [
      `Stopped foreground gateway (pid ${stopped.pid}) on port ${stopped.port}.`,
    ]);
  }
  if (action === "restart" && !installed && await lockOwner(paths.stateDir)) {
    // A config that does not load would be refused by the restart itself (the gateway keeps the one it has).
    try {
      await loadConfig(paths.configPath, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return fail(
        "restart",
        options,
        `Gateway restart refused (the running gateway keeps its config): ${error.message}`,
      );
    }
    const restarted = await restartLockOwner({ stateDir: paths.stateDir, configPath: paths.configPath });
    if (restarted && !restarted.ok) {
      return fail("restart", options, `Gateway restart failed: ${restarted.error}`, {
        fields: { pid: restarted.pid, port: restarted.port },
      });
    }
    if (restarted) {
      const { pid, port, confirmed } = restarted;
      return report("restart", options, { result: "restarted", pid, port, confirmed }, [
        `Gateway restart request sent to foreground process on port ${port}: ${pid}.`,
        ...(confirmed ? [`Gateway restarted in place (pid ${pid}) and serving on port ${port}.`] : []),
      ]);
    }
    // The owner went away meanwhile: fall through to the service manager ("not installed").
  }
  try {
    await controlService(target, action);
    const verb = { start: "Started", stop: "Stopped", restart: "Restarted" }[action];
    const lines = [`${verb} ${kindLabel(target)}: ${name}`];
    const result: Record<string, unknown> = { result: action === "stop" ? "stopped" : `${action}ed`, unit: name };
    if (action === "stop") {
      // The unit is down; a gateway started by hand on the same state dir would still be serving.
      const rest = await stopLockOwner(paths.stateDir);
      if (rest && !rest.ok) return fail("stop", options, `${lines[0]}, but: ${rest.error}`);
      if (rest?.ok) {
        lines.push(`Stopped foreground gateway (pid ${rest.pid}) on port ${rest.port}.`);
        Object.assign(result, { pid: rest.pid, port: rest.port });
      }
    }
    return report(action, options, result, lines);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    // The manager is unreachable, but the gateway that owns the state dir may be a foreground one.
    const rest = action === "stop" ? await stopLockOwner(paths.stateDir) : undefined;
    if (!rest?.ok) {
      return fail(action, options, `Gateway ${action} failed: ${error.message}${rest ? `; ${rest.error}` : ""}`);
    }
    if (!options.json) printError(`Warning: the ${kindLabel(target)} was not stopped: ${error.message}`);
    return report("stop", options, { result: "stopped", pid: rest.pid, port: rest.port, warning: error.message }, [
      `Stopped foreground gateway (pid ${rest.pid}) on port ${rest.port}.`,
    ]);
  }
}
