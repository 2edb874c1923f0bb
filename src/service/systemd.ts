import { systemdUnitName } from "./names.ts";
import { unitEnvironment } from "./unit_env.ts";

/**
 * The open-file limit units give the gateway: each client holds a socket, and a login shell's
 * 1024 is one flood away from EMFILE (docs/security.md, "Connection limits").
 */
export const OPEN_FILES_LIMIT = 65_536;

/** What a unit pins: the command, the profile, the port, and the paths it must use. */
export interface UnitSpec {
  command: string[];
  profile: string | undefined;
  port: number;
  home: string;
  /** Set only when the operator chose a non-default state dir or config path. */
  stateDir?: string | undefined;
  configPath?: string | undefined;
  path: string;
  /** A system unit (/etc/systemd/system, `--system`): runs as `user`, wanted by multi-user.target. */
  system?: boolean | undefined;
  /** For a system unit: the account the gateway runs as. */
  user?: string | undefined;
}

/** systemd quoting: wrap values with whitespace, quotes or backslashes; double `%`. */
export function quoteSystemd(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`systemd values cannot contain line breaks: ${JSON.stringify(value)}`);
  const escaped = value.replace(/%/g, "%%");
  return /[\s"\\]/.test(escaped) ? `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : escaped;
}

/**
 * The unit text, a pure function of the spec. The [Service] policy block is fixed: restart on
 * failure, but never on exit 78 (a start-up refusal: bad config, state dir owned by another gateway;
 * a taken port exits 1 and is retried), a stop timeout longer than the gateway's drain, and room
 * for many open sockets. No secret is ever written here.
 */
export function systemdUnit(spec: UnitSpec): string {
  // A system unit without User= would run the gateway as root with a user unit's target: never guess.
  if (spec.system && !spec.user) throw new Error("a system unit needs the account it runs as (UnitSpec.user)");
  const description = spec.profile ? `OpenClaw Gateway (profile: ${spec.profile})` : "OpenClaw Gateway";
  const env = unitEnvironment(spec, ["OPENCLAW_SYSTEMD_UNIT", systemdUnitName(spec.profile)]);
  const lines = [
    "[Unit]",
    `Description=${description}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "StartLimitBurst=10",
    "StartLimitIntervalSec=300",
    "",
    "[Service]",
    ...(spec.system ? [`User=${quoteSystemd(spec.user!)}`] : []),
    `ExecStart=${spec.command.map(quoteSystemd).join(" ")}`,
    // SIGHUP reloads the config in place (never stops the gateway), so `systemctl reload` works.
    "ExecReload=/bin/kill -HUP $MAINPID",
    "Restart=always",
    "RestartSec=5",
    "RestartPreventExitStatus=78",
    "TimeoutStopSec=330",
    "TimeoutStartSec=30",
    "SuccessExitStatus=0 143",
    "OOMPolicy=continue",
    "KillMode=mixed",
    `LimitNOFILE=${OPEN_FILES_LIMIT}`,
    ...env.map(([key, value]) => `Environment=${quoteSystemd(`${key}=${value}`)}`),
    "",
    "[Install]",
    `WantedBy=${spec.system ? "multi-user.target" : "default.target"}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Reads the pinned port back out of a unit, for the doctor's drift check. */
export function readUnit(text: string): { port: number | undefined } {
  const port = /^Environment=OPENCLAW_GATEWAY_PORT=(\d+)$/m.exec(text)?.[1];
  return { port: port ? Number(port) : undefined };
}
