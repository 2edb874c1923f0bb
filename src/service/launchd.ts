import { launchdLabel } from "./names.ts";
import { OPEN_FILES_LIMIT, type UnitSpec } from "./systemd.ts";
import { unitEnvironment } from "./unit_env.ts";

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The soft open-file limit of the LaunchAgent: the systemd value, within macOS's per-process cap. */
const LAUNCHD_OPEN_FILES = Math.min(OPEN_FILES_LIMIT, 16_384);

/** The LaunchAgent plist, a pure function of the spec; environment inline, never a secret. */
export function launchdPlist(spec: UnitSpec): string {
  const label = launchdLabel(spec.profile);
  const logName = spec.profile ? `gateway-${spec.profile}.log` : "gateway.log";
  const logPath = `${spec.home}/Library/Logs/openclaw/${logName}`;
  const env = unitEnvironment(spec, ["OPENCLAW_LAUNCHD_LABEL", label]);
  const string = (value: string) => `    <string>${xml(value)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "  <dict>",
    "    <key>Label</key>",
    string(label),
    "    <key>Comment</key>",
    string(spec.profile ? `OpenClaw Gateway (profile: ${spec.profile})` : "OpenClaw Gateway"),
    "    <key>RunAtLoad</key>",
    "    <true/>",
    "    <key>KeepAlive</key>",
    "    <dict>",
    "      <key>SuccessfulExit</key>",
    "      <false/>",
    "    </dict>",
    "    <key>ExitTimeOut</key>",
    "    <integer>20</integer>",
    "    <key>ProcessType</key>",
    "    <string>Interactive</string>",
    "    <key>ThrottleInterval</key>",
    "    <integer>10</integer>",
    "    <key>Umask</key>",
    "    <integer>63</integer>",
    // launchd's default soft limit is 256 open files; macOS caps a process near 24576.
    "    <key>SoftResourceLimits</key>",
    "    <dict>",
    "      <key>NumberOfFiles</key>",
    `      <integer>${LAUNCHD_OPEN_FILES}</integer>`,
    "    </dict>",
    "    <key>StandardInPath</key>",
    "    <string>/dev/null</string>",
    "    <key>ProgramArguments</key>",
    "    <array>",
    ...spec.command.map((arg) => `  ${string(arg)}`),
    "    </array>",
    "    <key>EnvironmentVariables</key>",
    "    <dict>",
    ...env.flatMap(([key, value]) => [`      <key>${xml(key)}</key>`, `  ${string(value)}`]),
    "    </dict>",
    "    <key>WorkingDirectory</key>",
    string(spec.stateDir ?? `${spec.home}/.openclaw${spec.profile ? `-${spec.profile}` : ""}`),
    "    <key>StandardOutPath</key>",
    string(logPath),
    "    <key>StandardErrorPath</key>",
    string(logPath),
    "  </dict>",
    "</plist>",
    "",
  ].join("\n");
}
