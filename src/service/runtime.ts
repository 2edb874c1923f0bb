import { systemdUnitName } from "./names.ts";

/** What the service manager says about the gateway's unit. */
export interface ServiceRuntime {
  manager: "systemd" | "none";
  unit: string;
  /** `loaded` when the manager knows the unit (installed). */
  loaded: boolean;
  status: "running" | "stopped" | "unknown";
  pid: number | undefined;
  /** The line printed after `Runtime:`, in the reference's format. */
  detail: string;
  /** Raw `systemctl show` properties, for `--json`. */
  properties: Record<string, string>;
}

/**
 * Runs a command and returns whether it succeeded with its output (stderr carries the tool's own
 * reason when it fails), or undefined when the command is missing.
 */
export type CommandRunner = (
  command: string,
  args: string[],
) => Promise<{ ok: boolean; stdout: string; stderr?: string } | undefined>;

/** The default runner: a real subprocess; a missing binary yields undefined. */
export const runCommand: CommandRunner = async (command, args) => {
  try {
    const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped", stdin: "null" }).output();
    const decoder = new TextDecoder();
    return { ok: out.success, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
  } catch {
    return undefined;
  }
};

const SIGNALS: Record<number, string> = {
  129: "SIGHUP",
  130: "SIGINT",
  131: "SIGQUIT",
  134: "SIGABRT",
  137: "SIGKILL",
  143: "SIGTERM",
};

/** Parses `systemctl show` output into a runtime summary (pure). */
export function parseSystemctlShow(unit: string, text: string): ServiceRuntime {
  const properties: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const index = line.indexOf("=");
    if (index > 0) properties[line.slice(0, index)] = line.slice(index + 1);
  }
  const loaded = properties.LoadState === "loaded";
  const active = properties.ActiveState ?? "unknown";
  const status = !loaded
    ? "unknown"
    : active === "active"
    ? "running"
    : active === "inactive" || active === "failed"
    ? "stopped"
    : "unknown";
  const pid = Number(properties.MainPID) > 0 ? Number(properties.MainPID) : undefined;
  const exit = Number(properties.ExecMainStatus ?? "0");
  const parts = [
    ...(pid ? [`pid ${pid}`] : []),
    `state ${active}`,
    `sub ${properties.SubState ?? "unknown"}`,
    `last exit ${exit}${SIGNALS[exit] ? ` (${SIGNALS[exit]})` : ""}`,
  ];
  return {
    manager: "systemd",
    unit,
    loaded,
    status,
    pid,
    detail: loaded ? `${status} (${parts.join(", ")})` : `not installed (${unit})`,
    properties,
  };
}

/** Asks systemd (user manager, or the system manager with `system`) about the gateway's unit. */
export async function inspectService(
  input: { profile: string | undefined; system?: boolean; run?: CommandRunner },
): Promise<ServiceRuntime> {
  const unit = systemdUnitName(input.profile);
  const run = input.run ?? runCommand;
  const scope = input.system ? [] : ["--user"];
  const out = await run("systemctl", [
    ...scope,
    "show",
    unit,
    "--no-page",
    "--property",
    "Id,LoadState,ActiveState,SubState,Result,NRestarts,MainPID,ExecMainStatus,ExecMainCode,FragmentPath",
  ]);
  if (!out || !out.ok || !out.stdout.includes("LoadState=")) {
    return {
      manager: "none",
      unit,
      loaded: false,
      status: "unknown",
      pid: undefined,
      detail: "unknown (diagnostic only, not the probe target)",
      properties: {},
    };
  }
  return parseSystemctlShow(unit, out.stdout);
}

/** The systemd unit a process's cgroup places it in (`/proc/<pid>/cgroup`), when that is a `.service`. */
export function cgroupUnit(text: string): { unit: string; user: boolean } | undefined {
  for (const line of text.split("\n")) {
    const path = /^(?:0::|\d+:name=systemd:)(\/.*)$/.exec(line.trim())?.[1];
    const unit = path?.split("/").pop();
    // A terminal or login session ends in `.scope`: only a `.service` restarts what it runs.
    if (path && unit?.endsWith(".service")) return { unit, user: /\/user@\d+\.service\//.test(path) };
  }
  return undefined;
}

/**
 * The service unit supervising `pid`, if any: SIGTERM would only make it restart the gateway,
 * so a stop must go through that unit instead.
 */
export async function supervisingUnit(pid: number): Promise<{ unit: string; user: boolean } | undefined> {
  try {
    return cgroupUnit(await Deno.readTextFile(`/proc/${pid}/cgroup`));
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}
