// Which sessions run sandboxed, where a command runs (sandbox or gateway host), and what the sandbox
// sees of the workspace: the reference's rules as pure functions over the resolved settings.
import type { ExecHost, ResolvedSandbox } from "../config/resolve_exec.ts";

/** The sandbox every session starts from when none is configured: off. */
export const SANDBOX_OFF: ResolvedSandbox = {
  mode: "off",
  backend: "bwrap",
  scope: "agent",
  workspaceAccess: "none",
  workspaceRoot: "",
  network: "none",
  env: {},
};

/** Backends read as ours: bwrap, and docker/podman configs (their container settings are ignored). */
const LOCAL_BACKENDS = ["bwrap", "docker", "podman"];

/** An agent's main session key (the one `non-main` leaves on the host). */
export function mainSessionKey(agentId: string): string {
  return `agent:${agentId}:main`;
}

/**
 * Whether a session's tools run sandboxed: `all` always, `non-main` for every session but the
 * agent's main one (exactly `agent:<id>:main`, as the reference compares it), `off` never.
 */
export function isSandboxed(sandbox: ResolvedSandbox, agentId: string, sessionKey: string): boolean {
  if (sandbox.mode === "off") return false;
  if (sandbox.mode === "all") return true;
  return sessionKey.trim() !== mainSessionKey(agentId);
}

/** Why this gateway cannot run the configured backend, or undefined when it can. */
export function backendProblem(sandbox: ResolvedSandbox): string | undefined {
  if (LOCAL_BACKENDS.includes(sandbox.backend)) return undefined;
  return `Sandbox backend "${sandbox.backend}" is not available on this gateway: command was not executed. ` +
    `Set agents.defaults.sandbox.backend to "bwrap" (the local bubblewrap sandbox), or turn the sandbox off with agents.defaults.sandbox.mode="off".`;
}

/**
 * Whether the sandbox keeps the host's network (`docker.network` other than `none`), or the
 * reference's refusal of `host` and `container:*`. bwrap has no bridge: any allowed network shares
 * the gateway host's namespace, loopback included (the gateway warns at start; docs/sandbox.md).
 */
export function sandboxNetwork(sandbox: ResolvedSandbox): { share: boolean } | { error: string } {
  const network = sandbox.network;
  if (network === "host") {
    return {
      error:
        `Sandbox security: network mode "${network}" is blocked. Network "host" mode bypasses container network isolation. Use "bridge" or "none" instead.`,
    };
  }
  if (network.startsWith("container:")) {
    return {
      error:
        `Sandbox security: network mode "${network}" is blocked by default. Network "container:*" joins another container namespace and bypasses sandbox network isolation. Use a custom bridge network, or set dangerouslyAllowContainerNamespaceJoin=true only when you fully trust this runtime.`,
    };
  }
  return { share: network !== "none" };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A session key as a bounded directory name: lower case, safe characters, and a hash of the key. */
export async function slugifyScopeKey(value: string): Promise<string> {
  const trimmed = value.trim() || "session";
  const hash = (await sha256Hex(trimmed)).slice(0, 8);
  const safe = trimmed.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 32);
  return `${safe || "session"}-${hash}`;
}

/** Where a sandboxed command's files are: the host directories mounted and the cwd inside. */
export interface SandboxLayout {
  /** The directory mounted at /workspace (the agent's workspace with `rw`, else a private one). */
  workspaceDir: string;
  /** With `ro`, the agent's workspace, mounted read-only at /agent. */
  agentMount: string | undefined;
  /** Whether /workspace (and /agent) are read-only (`ro`, as the reference mounts both). */
  readOnly: boolean;
  /** Whether /workspace is a private directory under `workspaceRoot` (not the agent's workspace). */
  private: boolean;
  /** The sandbox's default cwd (/workspace). */
  containerWorkdir: string;
}

/**
 * The reference's workspace layout: `rw` mounts the agent's workspace at /workspace; `ro` and
 * `none` give a private workspace per scope (`session`: per session, `agent`: per agent, `shared`:
 * one for all) at /workspace, and `ro` mounts it read-only and adds the agent's workspace
 * read-only at /agent.
 */
export async function sandboxLayout(
  sandbox: ResolvedSandbox,
  run: { agentId: string; sessionKey: string; workspace: string },
): Promise<SandboxLayout> {
  const suffix = (await sha256Hex(run.workspace)).slice(0, 32);
  const scopeKey = sandbox.scope === "session"
    ? `${run.sessionKey.trim() || "main"}:workspace:${suffix}`
    : `agent:${run.agentId}:workspace:${suffix}`;
  const privateDir = sandbox.scope === "shared"
    ? sandbox.workspaceRoot
    : `${sandbox.workspaceRoot}/${await slugifyScopeKey(scopeKey)}`;
  return {
    workspaceDir: sandbox.workspaceAccess === "rw" ? run.workspace : privateDir,
    agentMount: sandbox.workspaceAccess === "ro" ? run.workspace : undefined,
    readOnly: sandbox.workspaceAccess === "ro",
    private: sandbox.workspaceAccess !== "rw",
    containerWorkdir: "/workspace",
  };
}

/** Where one call runs, or why it may not. */
export type ExecTarget = { host: "sandbox" | "gateway" } | { error: string };

function label(target: string): string {
  return target === "auto" ? "auto" : target === "sandbox" ? "sandbox" : target === "gateway" ? "gateway" : "node";
}

/**
 * The reference's host resolution: a per-call `host` may only match the configured one, or
 * override `auto` (but not towards gateway or node while a sandbox is active); `auto` is the
 * sandbox when one is active, else the gateway. `node` (paired nodes) is not available here.
 */
export function resolveExecTarget(
  configured: ExecHost,
  requested: string | undefined,
  sandboxActive: boolean,
): ExecTarget {
  const wanted = requested === "auto" || requested === undefined ? undefined : requested;
  if (wanted !== undefined && !["sandbox", "gateway", "node"].includes(wanted)) {
    return { error: `Invalid exec host "${wanted}": expected one of auto, sandbox, gateway, node.` };
  }
  if (wanted !== undefined && wanted !== configured) {
    const allowed = configured === "auto" && !(sandboxActive && (wanted === "gateway" || wanted === "node"));
    if (!allowed) {
      const config = configured === "auto" && sandboxActive
        ? label(wanted)
        : wanted === "gateway" && !sandboxActive
        ? "gateway or auto"
        : `${label(wanted)} or auto`;
      return {
        error: `exec host not allowed (requested ${label(wanted)}; configured host is ${
          label(configured)
        }; set tools.exec.host=${config} to allow this override).`,
      };
    }
  }
  const selected = wanted ?? configured;
  if (selected === "node") {
    return {
      error:
        "exec host=node needs a paired node; this gateway runs commands on the gateway host or in its sandbox. Use host=auto, sandbox or gateway.",
    };
  }
  if (selected === "sandbox" && !sandboxActive) {
    return {
      error:
        'exec host=sandbox requires a sandbox runtime for this session.\nEnable sandbox mode (`agents.defaults.sandbox.mode="non-main"` or `"all"`) or use host=auto/gateway/node.',
    };
  }
  if (selected === "auto") return { host: sandboxActive ? "sandbox" : "gateway" };
  return { host: selected === "sandbox" ? "sandbox" : "gateway" };
}
