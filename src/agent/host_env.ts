// A host command's environment, by the reference's policy (host_env_policy.ts): what it inherits of
// the gateway's, and which of the model's overrides are refused, in the reference's words.
import {
  BLOCKED_INHERITED_KEYS,
  BLOCKED_OVERRIDE_KEYS,
  BLOCKED_OVERRIDE_PREFIXES,
  BLOCKED_PREFIXES,
  CREDENTIAL_NAME,
} from "./host_env_policy.ts";

const PORTABLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Windows-style names such as `ProgramFiles(x86)` are accepted as overrides too. */
const WINDOWS_KEY = /^[A-Za-z_][A-Za-z0-9_()]*$/;
const CARGO_TARGET_RUNNER = /^CARGO_TARGET_[A-Z0-9_]+_(?:LINKER|RUNNER)$/;
/** The protocols an inherited GIT_ALLOW_PROTOCOL may keep (no `ext::` command transport). */
const GIT_SAFE_PROTOCOLS = new Set(["git", "http", "https", "ssh"]);

function startsWithAny(key: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => key.startsWith(prefix));
}

function permissive(value: string): boolean {
  const normalized = value.trim().toLowerCase();
  return ["true", "yes", "on"].includes(normalized) ||
    (/^[+-]?\d+$/.test(normalized) && !/^[+-]?0+$/.test(normalized));
}

/** The gateway's variables a host command inherits: credentials and start-up hooks dropped, git's made safe. */
export function inheritedHostEnv(base: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [raw, value] of Object.entries(base)) {
    const key = raw.trim();
    if (!key) continue;
    const upper = key.toUpperCase();
    if (upper === "GIT_ALLOW_PROTOCOL") {
      env[key] = value.trim().split(":").filter((protocol) => GIT_SAFE_PROTOCOLS.has(protocol)).join(":");
    } else if (upper === "GIT_PROTOCOL_FROM_USER") {
      env[key] = permissive(value) ? "0" : value;
    } else if (
      !BLOCKED_INHERITED_KEYS.has(upper) && !startsWithAny(upper, BLOCKED_PREFIXES) && !CREDENTIAL_NAME.test(upper)
    ) env[key] = value;
  }
  return env;
}

/** The model's overrides a host command gets, or the reference's "Security Violation" refusal. */
export function hostEnvOverrides(
  overrides: Record<string, string>,
): { env: Record<string, string> } | { violation: string } {
  const env: Record<string, string> = {};
  const blocked = new Set<string>();
  const invalid = new Set<string>();
  for (const [raw, value] of Object.entries(overrides)) {
    const key = raw.trim();
    if (!key || !(PORTABLE_KEY.test(key) || WINDOWS_KEY.test(key))) {
      invalid.add(key || raw);
      continue;
    }
    const upper = key.toUpperCase();
    if (upper === "PATH") blocked.add(upper);
    else if ((upper === "PAGER" || upper === "GIT_PAGER") && (value === "" || value === "cat")) env[key] = "";
    else if (
      BLOCKED_OVERRIDE_KEYS.has(upper) || CARGO_TARGET_RUNNER.test(upper) ||
      startsWithAny(upper, BLOCKED_PREFIXES) || startsWithAny(upper, BLOCKED_OVERRIDE_PREFIXES)
    ) blocked.add(upper);
    else env[key] = value;
  }
  const violation = violationText([...blocked].sort(), [...invalid].sort());
  return violation ? { violation } : { env };
}

function violationText(blocked: string[], invalid: string[]): string | undefined {
  if (blocked.length === 0 && invalid.length === 0) return undefined;
  const pathBlocked = blocked.includes("PATH");
  if (pathBlocked && blocked.length === 1 && invalid.length === 0) {
    return "Security Violation: Custom 'PATH' variable is forbidden during host execution.";
  }
  if (blocked.length === 1 && invalid.length === 0) {
    return `Security Violation: Environment variable '${blocked[0]}' is forbidden during host execution.`;
  }
  const details = [];
  if (blocked.length > 0) details.push(`blocked override keys: ${blocked.join(", ")}`);
  if (invalid.length > 0) details.push(`invalid non-portable override keys: ${invalid.join(", ")}`);
  const suffix = details.join("; ");
  return pathBlocked
    ? `Security Violation: Custom 'PATH' variable is forbidden during host execution (${suffix}).`
    : `Security Violation: ${suffix}.`;
}
