// The exec tool's settings (`tools.exec.*`) and the sandbox (`agents.*.sandbox`) as the reference
// writes them, resolved per agent: the agent's own block over `agents.defaults` / `tools`, each key
// on its own, then the reference's defaults. Only what this gateway acts on is read here; the
// docker-only keys stay unread, so `ignoredKeys` names them at start-up and in `doctor`.
import { isOneOf } from "./literal_choice.ts";
import { objectOrEmpty } from "../log/json_object.ts";

/** `sandbox.mode`: which sessions run their tools in the sandbox. */
export type SandboxMode = "off" | "non-main" | "all";
/** `sandbox.scope`: how many sandboxes (and private workspaces) there are. */
export type SandboxScope = "session" | "agent" | "shared";
/** `sandbox.workspaceAccess`: what the sandbox sees of the agent's workspace. */
export type WorkspaceAccess = "none" | "ro" | "rw";
/** `tools.exec.host`: where a command runs. */
export type ExecHost = "auto" | "sandbox" | "gateway" | "node";

/** An agent's sandbox after precedence and defaults. */
export interface ResolvedSandbox {
  mode: SandboxMode;
  /** `backend` as written (trimmed, lower case), or `"bwrap"` when absent: the only one this gateway runs. */
  backend: string;
  scope: SandboxScope;
  workspaceAccess: WorkspaceAccess;
  /** Where private sandbox workspaces live (`workspaceRoot`, default `<stateDir>/sandboxes`). */
  workspaceRoot: string;
  /** `docker.network`: `"none"` (the default) unshares the network; any other value keeps the host's. */
  network: string;
  /** `docker.env`: variables set inside the sandbox. */
  env: Record<string, string>;
}

/** The exec tool's own settings for one agent (`tools.exec.*`, per agent over global). */
export interface ResolvedExecSettings {
  host: ExecHost;
  /** Default process lifetime in seconds (`timeoutSeconds`, default 1800); 0 disables it. */
  timeoutSec: number;
  /** Default wait before a command is backgrounded (`backgroundMs`, default 10000). */
  backgroundMs: number;
  /** How long a finished background session is kept (`cleanupMs`, default 30 min, 1 min to 3 h). */
  cleanupMs: number;
  /** Directories put in front of `PATH` (`pathPrepend`). */
  pathPrepend: string[];
}

/** The longest timeout a timer holds, in seconds (2^31-1 ms). */
const MAX_TIMEOUT_SEC = Math.floor(2_147_483_647 / 1000);

const MODES: readonly SandboxMode[] = ["off", "non-main", "all"];
const SCOPES: readonly SandboxScope[] = ["session", "agent", "shared"];
const ACCESS: readonly WorkspaceAccess[] = ["none", "ro", "rw"];
const HOSTS: readonly ExecHost[] = ["auto", "sandbox", "gateway", "node"];

function oneOf<T extends string>(values: readonly T[], ...candidates: unknown[]): T | undefined {
  for (const candidate of candidates) {
    if (isOneOf(values, candidate)) return candidate;
  }
  return undefined;
}

function positive(...candidates: unknown[]): number | undefined {
  return candidates.find((value): value is number => typeof value === "number" && Number.isFinite(value) && value > 0);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(objectOrEmpty(value)).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** The gateway user's home (undefined when the environment may not be read). */
function userHome(): string | undefined {
  try {
    return Deno.env.get("HOME") || undefined;
  } catch {
    return undefined;
  }
}

/** `~` and `~/x` against `home`; unchanged (so refused later as relative) without one. */
function expandTilde(path: string, home: string | undefined): string {
  if (home === undefined) return path;
  if (path === "~") return home;
  return path.startsWith("~/") ? `${home.replace(/\/+$/, "")}/${path.slice(2)}` : path;
}

/**
 * An agent's sandbox: its own `sandbox` block over `agents.defaults.sandbox`, key by key. Under
 * `scope: "shared"` the agent's `docker` block is ignored, as the reference ignores it.
 */
export function resolveSandbox(
  defaults: Record<string, unknown>,
  entry: Record<string, unknown>,
  stateDir: string,
  home: string | undefined = userHome(),
): ResolvedSandbox {
  const global = objectOrEmpty(defaults.sandbox);
  const own = objectOrEmpty(entry.sandbox);
  const scope = oneOf(SCOPES, own.scope, global.scope) ?? "agent";
  const globalDocker = objectOrEmpty(global.docker);
  const ownDocker = scope === "shared" ? {} : objectOrEmpty(own.docker);
  const backend = [own.backend, global.backend].find((value): value is string =>
    typeof value === "string" && value.trim() !== ""
  );
  // `~` is the gateway user's home, as the reference expands it; a relative root is kept as written
  // and refused when a sandboxed command would use it (sandbox_dirs.ts), never silently replaced.
  const root = [own.workspaceRoot, global.workspaceRoot].find((value): value is string =>
    typeof value === "string" && value.trim() !== ""
  )?.trim();
  const network = [ownDocker.network, globalDocker.network].find((value): value is string =>
    typeof value === "string" && value.trim() !== ""
  );
  return {
    mode: oneOf(MODES, own.mode, global.mode) ?? "off",
    backend: backend?.trim().toLowerCase() ?? "bwrap",
    scope,
    workspaceAccess: oneOf(ACCESS, own.workspaceAccess, global.workspaceAccess) ?? "none",
    // No trailing slash: private workspaces are `<root>/<name>`, checked to sit directly under it.
    workspaceRoot: root === undefined ? `${stateDir}/sandboxes` : expandTilde(root, home).replace(/(.)\/+$/, "$1"),
    network: network?.trim().toLowerCase() ?? "none",
    env: { ...stringMap(globalDocker.env), ...stringMap(ownDocker.env) },
  };
}

/** An agent's exec settings: `agents.*.tools.exec.<key>` over `tools.exec.<key>`, then the defaults. */
export function resolveExecSettings(tools: unknown, entry: Record<string, unknown>): ResolvedExecSettings {
  const global = objectOrEmpty(objectOrEmpty(tools).exec);
  const own = objectOrEmpty(objectOrEmpty(entry.tools).exec);
  const timeout = [own.timeoutSeconds, global.timeoutSeconds].find((value): value is number =>
    typeof value === "number" && Number.isFinite(value) && value >= 0
  );
  const cleanup = positive(own.cleanupMs, global.cleanupMs) ?? 1_800_000;
  return {
    host: oneOf(HOSTS, own.host, global.host) ?? "auto",
    // A timer holds at most 2^31-1 ms; a longer timeout would fire at once.
    timeoutSec: Math.min(timeout ?? 1800, MAX_TIMEOUT_SEC),
    backgroundMs: Math.min(Math.max(positive(own.backgroundMs, global.backgroundMs) ?? 10_000, 10), 120_000),
    cleanupMs: Math.min(Math.max(cleanup, 60_000), 10_800_000),
    pathPrepend: strings(own.pathPrepend) ?? strings(global.pathPrepend) ?? [],
  };
}
