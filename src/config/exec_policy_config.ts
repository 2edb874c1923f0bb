// The `tools.exec` policy a config asks for (global, then the agent's own `tools.exec` key by key),
// and this gateway's safer default where neither the config nor the host approvals document says
// anything: host commands run under security "allowlist" with ask "on-miss" (the reference runs
// them unasked: full/off). docs/decisions/0014-host-exec-asks-by-default.md says why. One rule,
// used by the runtime (authorize), `exec.approvals.get` and `openclaw approvals get`.

import { isOneOf } from "./literal_choice.ts";

type Json = Record<string, unknown>;

/** The `tools.exec` policy knobs exec approvals combine with the host document, stricter wins. */
export interface ExecPolicySettings {
  mode?: "deny" | "allowlist" | "ask" | "auto" | "full" | undefined;
  security?: "deny" | "allowlist" | "full" | undefined;
  ask?: "off" | "on-miss" | "always" | undefined;
  safeBins?: string[] | undefined;
  safeBinTrustedDirs?: string[] | undefined;
  safeBinProfiles?:
    | Record<
      string,
      { minPositional?: number; maxPositional?: number; allowedValueFlags?: string[]; deniedFlags?: string[] }
    >
    | undefined;
}

/** The configured `tools.exec` settings approvals read, with where each policy knob came from. */
export interface ConfiguredExecPolicy extends ExecPolicySettings {
  host?: string | undefined;
  pathPrepend?: string[] | undefined;
  /** The config path each set knob was read from. */
  sources: { mode?: string; security?: string; ask?: string; host?: string };
}

/** The safer default security (the reference: full). */
export const SAFE_DEFAULT_SECURITY = "allowlist";
/** The safer default ask (the reference: off). */
export const SAFE_DEFAULT_ASK = "on-miss";
/** How the reports name the safer default. */
export const SAFE_DEFAULT_SOURCE = "gateway default (no tools.exec or approvals policy)";

const MODES = ["deny", "allowlist", "ask", "auto", "full"] as const;
const SECURITIES = ["deny", "allowlist", "full"] as const;
const ASKS = ["off", "on-miss", "always"] as const;

function record(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value as Json : undefined;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value as string[] : undefined;
}

/** The agent's own `tools.exec` (`agents.entries.<id>` or the `agents.list[]` entry) with its config path. */
function agentExec(raw: Json, agentId: string): { exec: Json; path: string } | undefined {
  const agents = record(raw.agents);
  const entry = record(record(agents?.entries)?.[agentId]);
  const fromEntries = record(record(entry?.tools)?.exec);
  if (fromEntries) return { exec: fromEntries, path: `agents.entries.${agentId}.tools.exec` };
  const list = Array.isArray(agents?.list) ? agents.list : [];
  const index = list.findIndex((a) => record(a)?.id === agentId);
  const fromList = record(record(record(list[index])?.tools)?.exec);
  return fromList ? { exec: fromList, path: `agents.list[${index}].tools.exec` } : undefined;
}

/**
 * The `tools.exec` policy the config asks of one agent's host commands (the agent's keys over the
 * global ones); without an agent id, the global `tools.exec` alone.
 */
export function configuredExecPolicy(raw: Json, agentId?: string): ConfiguredExecPolicy {
  const layers: { exec: Json; path: string }[] = [];
  const global = record(record(raw.tools)?.exec);
  if (global) layers.push({ exec: global, path: "tools.exec" });
  const own = agentId === undefined ? undefined : agentExec(raw, agentId);
  if (own) layers.push(own);
  const out: ConfiguredExecPolicy = { sources: {} };
  for (const { exec, path } of layers) {
    if (isOneOf(MODES, exec.mode)) {
      out.mode = exec.mode;
      out.sources.mode = `${path}.mode`;
    }
    if (isOneOf(SECURITIES, exec.security)) {
      out.security = exec.security;
      out.sources.security = `${path}.security`;
    }
    if (isOneOf(ASKS, exec.ask)) {
      out.ask = exec.ask;
      out.sources.ask = `${path}.ask`;
    }
    if (typeof exec.host === "string") {
      out.host = exec.host;
      out.sources.host = `${path}.host`;
    }
    out.safeBins = strings(exec.safeBins) ?? out.safeBins;
    out.safeBinTrustedDirs = strings(exec.safeBinTrustedDirs) ?? out.safeBinTrustedDirs;
    out.pathPrepend = strings(exec.pathPrepend) ?? out.pathPrepend;
    const profiles = record(exec.safeBinProfiles);
    if (profiles) out.safeBinProfiles = profiles as ConfiguredExecPolicy["safeBinProfiles"];
  }
  return out;
}

const MODE_KNOBS: Readonly<Record<string, { security: string; ask: string }>> = {
  deny: { security: "deny", ask: "off" },
  allowlist: { security: "allowlist", ask: "off" },
  ask: { security: "allowlist", ask: "on-miss" },
  // The reference's automatic reviewer is not run here: its misses go to the operators, as `ask`.
  auto: { security: "allowlist", ask: "on-miss" },
  full: { security: "full", ask: "off" },
};

/**
 * The requested security and ask: `mode` when set, else `security`/`ask`; a knob neither the config
 * nor the host document sets takes the safer default, one the document sets inherits it (the
 * reference's full/off, so the document alone decides).
 */
export function requestedExecKnobs(
  configured: Pick<ConfiguredExecPolicy, "mode" | "security" | "ask"> & { sources?: ConfiguredExecPolicy["sources"] },
  hostSets: { security: boolean; ask: boolean },
): { security: string; ask: string; securitySource: string; askSource: string } {
  const fromMode = configured.mode ? MODE_KNOBS[configured.mode] : undefined;
  if (fromMode) {
    const source = configured.sources?.mode ?? "tools.exec.mode";
    return { ...fromMode, securitySource: source, askSource: source };
  }
  return {
    security: configured.security ?? (hostSets.security ? "full" : SAFE_DEFAULT_SECURITY),
    securitySource: configured.security
      ? configured.sources?.security ?? "tools.exec.security"
      : hostSets.security
      ? "inherits host approvals policy"
      : SAFE_DEFAULT_SOURCE,
    ask: configured.ask ?? (hostSets.ask ? "off" : SAFE_DEFAULT_ASK),
    askSource: configured.ask
      ? configured.sources?.ask ?? "tools.exec.ask"
      : hostSets.ask
      ? "inherits host approvals policy"
      : SAFE_DEFAULT_SOURCE,
  };
}
