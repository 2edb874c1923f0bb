// What local non-interactive onboarding writes into the config as written, as the reference
// (OpenClaw 2026.9.6) writes it: the workspace default, the `main` roster entry, the gateway's
// mode/auth/port/bind/tailscale, skills' node manager, the session-memory hook, `tools.profile` and
// the wizard's run stamp. Everything else in the file is kept; existing settings win over defaults.
import { isJsonObject } from "../../log/json_object.ts";

/** The resolved gateway settings onboarding reports (`gateway` of the JSON summary). */
export interface OnboardGateway {
  port: number;
  bind: string;
  authMode: "token" | "password";
  tailscaleMode: string;
}

/** What a local run asks for, already validated. */
export interface LocalRequest {
  workspace: string;
  /** The roster existed before: its workspace stays, as the reference keeps it. */
  keepWorkspace: boolean;
  skipBootstrap: boolean;
  skipSkills: boolean;
  skipHooks: boolean;
  nodeManager?: string | undefined;
  port?: number | undefined;
  bind?: string | undefined;
  authMode?: string | undefined;
  token?: string | undefined;
  password?: string | undefined;
  /** The token used when token auth has none (given, configured or from the environment). */
  generatedToken: string;
  envPassword?: string | undefined;
  /** `--secret-input-mode ref`: gateway secrets are written as env references, never as plaintext. */
  secretRef?: boolean | undefined;
  /** `OPENCLAW_GATEWAY_TOKEN` as exported, for a reference to it. */
  envToken?: string | undefined;
  now: Date;
  version: string;
  /** The model credential's config side (`auth.profiles`, default model), placed where the reference puts it. */
  withProfile?: ((tree: Record<string, unknown>) => Record<string, unknown>) | undefined;
}

/** A refusal of the local run (exit 1, nothing written); `json` is its `--json` form when not the options envelope. */
export class OnboardRefusal extends Error {
  readonly json: { envelope: Record<string, unknown>; stderr: string } | undefined;
  constructor(message: string, json?: { envelope: Record<string, unknown>; stderr: string }) {
    super(message);
    this.name = "OnboardRefusal";
    this.json = json;
  }
}

const section = (value: unknown): Record<string, unknown> => isJsonObject(value) ? value : {};
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() ? value.trim() : undefined;

/** An env-backed secret reference in the reference's form. */
export function envRef(id: string): { source: "env"; provider: "default"; id: string } {
  return { source: "env", provider: "default", id };
}

/** Why `gateway.customBindHost` cannot serve `--gateway-bind custom` (a canonical dotted IPv4), in the reference's words. */
function customBindIssue(host: string | undefined): string | undefined {
  if (!host) return "IP address is required for custom bind mode";
  const parts = host.split(".");
  const canonical = parts.length === 4 &&
    parts.every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part) && Number(part) <= 255);
  return canonical ? undefined : "Invalid IPv4 address (e.g., 192.168.1.100)";
}

/** The gateway section onboarding leaves, and the settings it reports; throws {@link OnboardRefusal}. */
export function onboardGateway(
  tree: Record<string, unknown>,
  request: LocalRequest,
): { gateway: Record<string, unknown>; summary: OnboardGateway } {
  const existing = section(tree.gateway);
  const auth = section(existing.auth);
  const port = request.port ?? (typeof existing.port === "number" ? existing.port : 18789);
  const bind = request.bind ?? text(existing.bind) ?? "loopback";
  const tailscaleMode = text(section(existing.tailscale).mode) ?? "off";
  const authMode = request.authMode ??
    (request.token !== undefined ? "token" : request.password !== undefined ? "password" : text(auth.mode)) ??
    "token";
  const issue = bind === "custom" ? customBindIssue(text(existing.customBindHost)) : undefined;
  if (issue) {
    throw new OnboardRefusal(
      `--gateway-bind custom requires gateway.customBindHost: ${issue}. Set it with openclaw config set gateway.customBindHost <ipv4> and rerun, or run openclaw onboard interactively to be prompted for it.`,
    );
  }
  let nextAuth: Record<string, unknown>;
  if (authMode === "password") {
    const password = request.password !== undefined ? text(request.password) : undefined;
    if (!password && !(request.password === undefined && (auth.password !== undefined || request.envPassword))) {
      throw new OnboardRefusal(
        "Missing --gateway-password for password auth. Pass --gateway-password or use --gateway-auth token.",
      );
    }
    if (password && request.secretRef) {
      if (!request.envPassword) {
        throw new OnboardRefusal(
          "--gateway-password requires OPENCLAW_GATEWAY_PASSWORD to be set when --secret-input-mode ref is used.",
        );
      }
      if (password !== request.envPassword) {
        throw new OnboardRefusal(
          "--gateway-password does not match OPENCLAW_GATEWAY_PASSWORD. Set the environment variable to the same value or omit the flag.",
        );
      }
    }
    const stored = request.secretRef ? envRef("OPENCLAW_GATEWAY_PASSWORD") : password;
    nextAuth = { ...auth, mode: "password", ...(password ? { password: stored } : {}) };
  } else {
    const configured = typeof auth.token === "string" ? text(auth.token) : undefined;
    const reference = isJsonObject(auth.token) ? auth.token : undefined;
    const token = text(request.token) ?? configured;
    if (reference && !text(request.token)) nextAuth = { ...auth, mode: "token" };
    else if (!request.secretRef) nextAuth = { ...auth, mode: "token", token: token ?? request.generatedToken };
    else if (!token && request.envToken) nextAuth = { ...auth, mode: "token", token: envRef("OPENCLAW_GATEWAY_TOKEN") };
    else {
      // The reference keeps such a token in its SQLite secret store, which this gateway does not serve.
      throw new OnboardRefusal(
        "--secret-input-mode ref stores the gateway token as a reference to OPENCLAW_GATEWAY_TOKEN here: export OPENCLAW_GATEWAY_TOKEN and rerun without --gateway-token (the secret store the reference would use is not served).",
      );
    }
  }
  const gateway = {
    ...existing,
    mode: text(existing.mode) ?? "local",
    auth: nextAuth,
    port,
    bind,
    tailscale: { ...section(existing.tailscale), mode: tailscaleMode },
  };
  return { gateway, summary: { port, bind, authMode: authMode as "token" | "password", tailscaleMode } };
}

/** The whole tree after onboarding (the roster entry already added by the caller). */
export function onboardTree(
  tree: Record<string, unknown>,
  request: LocalRequest,
): { tree: Record<string, unknown>; gateway: OnboardGateway } {
  const agents = section(tree.agents);
  const defaults = section(agents.defaults);
  const next: Record<string, unknown> = {
    ...tree,
    // A new `defaults` leads the section, where the reference writes it.
    agents: {
      ...("defaults" in agents ? agents : { defaults: {}, ...agents }),
      defaults: {
        ...defaults,
        ...(request.keepWorkspace ? {} : { workspace: request.workspace }),
        ...(request.skipBootstrap ? { skipBootstrap: true } : {}),
      },
    },
  };
  const { gateway, summary } = onboardGateway(tree, request);
  next.gateway = gateway;
  const tools = section(tree.tools);
  if (tools.profile === undefined) next.tools = { ...tools, profile: "full" };
  if (!request.skipSkills) {
    const skills = section(tree.skills);
    const install = section(skills.install);
    next.skills = {
      ...skills,
      install: { ...install, nodeManager: request.nodeManager ?? text(install.nodeManager) ?? "npm" },
    };
  }
  if (request.withProfile) Object.assign(next, request.withProfile(next));
  const hooks = section(tree.hooks);
  const internal = section(hooks.internal);
  const memory = section(section(internal.entries)["session-memory"]);
  // A hook or hook system the operator switched off stays off, as the reference leaves it.
  if (!request.skipHooks && internal.enabled !== false && memory.enabled === undefined) {
    next.hooks = {
      ...hooks,
      internal: {
        ...internal,
        entries: { ...section(internal.entries), "session-memory": { ...memory, enabled: true } },
      },
    };
  }
  next.wizard = {
    ...section(tree.wizard),
    lastRunAt: request.now.toISOString(),
    lastRunVersion: request.version,
    lastRunCommand: "onboard",
    lastRunMode: "local",
  };
  return { tree: next, gateway: summary };
}
