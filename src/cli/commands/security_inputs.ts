// What the audit's checks read, gathered once: the config as loaded, the environment, the paths,
// and the gateway's effective auth (config, env, `--auth` override, and the token this gateway
// generates and stores under credentials/ when none is configured).
import { resolveAuth } from "../../config/resolve_auth.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import type { RawConfig } from "../../config/schema.ts";
import type { AuthMode } from "../../config/resolve.ts";
import type { ExecApprovalsFile } from "../../server/runtime_policy_view.ts";

/** `--auth`/`--token`/`--password` of `security audit --auth <mode>`: the runtime auth to audit. */
export interface AuditAuthOverride {
  mode: AuthMode;
  token?: string;
  password?: string;
}

/** The gateway's exposure and auth as the checks see them. */
export interface AuditGateway {
  bind: string;
  controlUiEnabled: boolean;
  trustedProxies: string[];
  authMode: AuthMode;
  /** The selected token/password value (undefined when none is configured or it is unresolvable). */
  token: string | undefined;
  password: string | undefined;
  /** True when a shared secret will be in force (a stored generated token counts). */
  hasAuth: boolean;
  /** With `--auth`: the secret the config alone selects, so a reuse can be told apart from the override's. */
  configSecret: { value: string | undefined } | undefined;
}

/** Everything an audit check reads. */
export interface AuditInputs {
  raw: RawConfig;
  env: EnvSnapshot;
  stateDir: string;
  configPath: string;
  gateway: AuditGateway;
  /** The host exec approvals document in the state database (none when no row exists). */
  approvals: ExecApprovalsFile | undefined;
  /** A value of a section this gateway's schema keeps as written (`security`, `tools.fs`, …). */
  section(...path: string[]): unknown;
}

function walk(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

type SelectedAuth = { mode: AuthMode; token: string | undefined; password: string | undefined };

function selectedAuth(raw: RawConfig, env: EnvSnapshot, override: AuditAuthOverride | undefined): SelectedAuth {
  const flags = override ? { auth: override.mode, token: override.token, password: override.password } : {};
  try {
    return resolveAuth({ flags, config: raw, env, readSecretFile: (path) => Deno.readTextFileSync(path) });
  } catch {
    return { mode: override?.mode ?? raw.gateway?.auth?.mode ?? "token", token: undefined, password: undefined };
  }
}

/** The shared secret a mode puts in force (a stored generated token counts for token mode). */
function activeSecret(auth: SelectedAuth, storedToken: string | undefined): string | undefined {
  if (auth.mode === "token") return auth.token ?? storedToken;
  return auth.mode === "password" || auth.mode === "trusted-proxy" ? auth.password : undefined;
}

/** Builds the inputs; an auth reference that cannot be resolved here counts as no value. */
export function auditInputs(params: {
  raw: RawConfig;
  env: EnvSnapshot;
  stateDir: string;
  configPath: string;
  storedToken: string | undefined;
  override: AuditAuthOverride | undefined;
  approvals?: ExecApprovalsFile | undefined;
}): AuditInputs {
  const { raw, env, override } = params;
  const auth = selectedAuth(raw, env, override);
  const bind = typeof raw.gateway?.bind === "string" ? raw.gateway.bind : "loopback";
  const token = auth.token ?? (auth.mode === "token" ? params.storedToken : undefined);
  // On loopback a token-mode gateway with no secret generates and stores one at start; elsewhere it
  // starts only with a configured or stored secret (src/server/guards.ts).
  const hasAuth = auth.mode === "token"
    ? token !== undefined || bind === "loopback"
    : auth.mode === "password"
    ? auth.password !== undefined
    : false;
  return {
    raw,
    env,
    stateDir: params.stateDir,
    configPath: params.configPath,
    gateway: {
      bind,
      controlUiEnabled: raw.gateway?.controlUi?.enabled !== false,
      trustedProxies: raw.gateway?.trustedProxies ?? [],
      authMode: auth.mode,
      token,
      password: auth.password,
      hasAuth,
      configSecret: override
        ? { value: activeSecret(selectedAuth(raw, env, undefined), params.storedToken) }
        : undefined,
    },
    approvals: params.approvals,
    section: (...path) => walk(raw, path),
  };
}
