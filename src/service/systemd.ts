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
 * failure, but never on exit 78 (a start-up refusal: bad config, lock held, port taken), a
 * stop timeout longer than the gateway's drain, and room for many open sockets. No secret is ever written here.
 */
export function systemdUnit(spec: UnitSpec): string {
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
    ...(spec.user ? [`User=${spec.user}`] : []),
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
    `WantedBy=${spec.user ? "multi-user.target" : "default.target"}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Reads the pinned port back out of a unit, for the doctor's drift check. */
export function readUnit(text: string): { port: number | undefined } {
  const port = /^Environment=OPENCLAW_GATEWAY_PORT=(\d+)$/m.exec(text)?.[1];
  return { port: port ? Number(port) : undefined };
}
