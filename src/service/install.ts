import { readTextIfExists, writeTextAtomic } from "../config/write.ts";
import { launchdPlist } from "./launchd.ts";
import { launchdLabel, systemdUnitName } from "./names.ts";
import type { CommandRunner } from "./runtime.ts";
import { systemdUnit, type UnitSpec } from "./systemd.ts";

/** Which service manager and scope an operation targets. */
export interface ServiceTarget {
  manager: "systemd" | "launchd";
  /** systemd only: a system unit under /etc/systemd/system instead of a user unit. */
  system: boolean;
  home: string;
  profile: string | undefined;
  /** launchd's `gui/<uid>` domain. */
  uid: number;
  run: CommandRunner;
}

/** A service operation failed: the action, what the manager said, and what to do. */
export class ServiceError extends Error {
  /** Set when an install wrote its unit and kept it although activating it failed. */
  readonly unitPath: string | undefined;

  constructor(message: string, options: { unitPath?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ServiceError";
    this.unitPath = options.unitPath;
  }
}

/**
 * What to do when the service manager refused to activate a written unit. A failing
 * `systemctl --user` almost always means this account has no user manager (no login session,
 * a container, su without a session): a system unit, lingering, or the foreground are the ways out.
 */
export function activationHints(target: ServiceTarget, account: string | undefined): string[] {
  if (target.manager === "launchd") {
    return [
      `Check the agent: launchctl print gui/${target.uid}/${launchdLabel(target.profile)}`,
      "Or run the gateway in the foreground: openclaw gateway run",
    ];
  }
  const unit = systemdUnitName(target.profile);
  if (target.system) {
    return [
      "A system unit needs root: rerun with sudo openclaw gateway install --system",
      `Check the unit: systemctl status ${unit}; journalctl -u ${unit} -n 50`,
      "Or run the gateway in the foreground: openclaw gateway run",
    ];
  }
  const who = account ?? "$USER";
  return [
    "systemd has no user manager reachable for this account (no login session, a container, or su/sudo without one). Either:",
    "  - install a system unit instead: sudo openclaw gateway install --system",
    `  - or enable lingering so the user manager runs without a login: sudo loginctl enable-linger ${who}, then log in again as ${who} (or export XDG_RUNTIME_DIR=/run/user/$(id -u ${who})) and rerun openclaw gateway install`,
    "  - or run the gateway in the foreground: openclaw gateway run",
  ];
}

/** Where the unit or plist lives. */
export function servicePath(target: ServiceTarget): string {
  if (target.manager === "launchd") return `${target.home}/Library/LaunchAgents/${launchdLabel(target.profile)}.plist`;
  const unit = systemdUnitName(target.profile);
  return target.system ? `/etc/systemd/system/${unit}` : `${target.home}/.config/systemd/user/${unit}`;
}

/** The unit or plist text for a spec. */
export function serviceText(target: ServiceTarget, spec: UnitSpec): string {
  return target.manager === "launchd" ? launchdPlist(spec) : systemdUnit(spec);
}

async function manager(target: ServiceTarget, args: string[]): Promise<string> {
  const [command, full] = target.manager === "launchd"
    ? ["launchctl", args]
    : ["systemctl", target.system ? args : ["--user", ...args]];
  const out = await target.run(command, full);
  if (!out) throw new ServiceError(`${command} is not available on this host; cannot manage the gateway service`);
  if (!out.ok) {
    // The tool's own reason (`Failed to connect to bus: …`) is on stderr; stdout is the fallback.
    const reason = (out.stderr ?? "").trim() || out.stdout.trim();
    throw new ServiceError(`${command} ${full.join(" ")} failed${reason ? `: ${reason}` : ""}`);
  }
  return out.stdout;
}

async function enabled(target: ServiceTarget): Promise<boolean> {
  const args = target.manager === "launchd"
    ? ["print", `gui/${target.uid}/${launchdLabel(target.profile)}`]
    : ["is-enabled", systemdUnitName(target.profile)];
  return await manager(target, args).then(() => true, () => false);
}

/** The outcome of an install, for text and `--json`. */
export interface InstallResult {
  path: string;
  status: "installed" | "reinstalled" | "unchanged";
  backup: string | undefined;
}

/**
 * Writes the unit and enables and (re)starts it. An identical unit already in place is left
 * alone unless `force`; a different one is kept as `.bak`. If activation fails the written unit
 * stays (the error says so and carries the manager's reason): the operator can fix what the
 * manager lacks (a user session, lingering) and activate it, and nothing is silently undone.
 */
export async function installService(
  target: ServiceTarget,
  spec: UnitSpec,
  options: { force: boolean },
): Promise<InstallResult> {
  const path = servicePath(target);
  const text = serviceText(target, spec);
  const previous = await readTextIfExists(path);
  // An identical unit is "already enabled" only if the manager says so: a unit kept after a
  // failed activation is activated by the next install instead of being reported as done.
  if (previous === text && !options.force && await enabled(target)) {
    return { path, status: "unchanged", backup: undefined };
  }
  const backup = previous !== undefined && previous !== text ? `${path}.bak` : undefined;
  if (backup) await writeTextAtomic(backup, previous!, { mode: 0o600 });
  await writeTextAtomic(path, text, { mode: target.manager === "launchd" ? 0o644 : 0o600 });
  try {
    if (target.manager === "launchd") {
      const domain = `gui/${target.uid}`;
      await manager(target, ["bootout", `${domain}/${launchdLabel(target.profile)}`]).catch(() => "");
      await manager(target, ["bootstrap", domain, path]);
    } else {
      const unit = systemdUnitName(target.profile);
      await manager(target, ["daemon-reload"]);
      await manager(target, ["enable", unit]);
      await manager(target, ["restart", unit]);
    }
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    throw new ServiceError(error.message, { unitPath: path, cause: error });
  }
  return { path, status: previous === undefined ? "installed" : "reinstalled", backup };
}

/** Disables, stops and removes the unit; false when there was none. */
export async function uninstallService(target: ServiceTarget): Promise<boolean> {
  const path = servicePath(target);
  if (await readTextIfExists(path) === undefined) return false;
  if (target.manager === "launchd") {
    await manager(target, ["bootout", `gui/${target.uid}/${launchdLabel(target.profile)}`]).catch(() => "");
  } else {
    await manager(target, ["disable", "--now", systemdUnitName(target.profile)]);
  }
  await Deno.remove(path);
  await Deno.remove(`${path}.bak`).catch(() => {});
  if (target.manager === "systemd") await manager(target, ["daemon-reload"]);
  return true;
}

/** Starts, stops or restarts the installed service. */
export async function controlService(target: ServiceTarget, action: "start" | "stop" | "restart"): Promise<void> {
  const path = servicePath(target);
  if (await readTextIfExists(path) === undefined) {
    if (action === "stop") return; // stopping what is not installed is a successful no-op
    throw new ServiceError(
      `The gateway service is not installed (${path}). Install it with: openclaw gateway install`,
    );
  }
  if (target.manager === "launchd") {
    const service = `gui/${target.uid}/${launchdLabel(target.profile)}`;
    if (action === "stop") await manager(target, ["bootout", service]);
    else if (action === "start") await manager(target, ["bootstrap", `gui/${target.uid}`, path]);
    else await manager(target, ["kickstart", "-k", service]);
    return;
  }
  const unit = systemdUnitName(target.profile);
  if (action !== "stop") await manager(target, ["reset-failed", unit]).catch(() => "");
  await manager(target, [action, unit]);
}
