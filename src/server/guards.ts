import { isWeakSecret } from "../auth/weak_secret.ts";
import { isLoopbackHost, type ResolvedGatewayConfig } from "../config/resolve.ts";
import { StartupError } from "./startup_error.ts";

// The error class lives on its own so the CLI's exit path (src/cli/exit.ts) does not load the config
// resolver and its schema with these checks.
export { StartupError, type StartupErrorKind } from "./startup_error.ts";

/** OpenClaw's start-up failure signatures. Operators and scripts grep for these: keep them verbatim. */
export const SIGNATURES = {
  missingConfig: "Missing config. Run `openclaw setup` or set gateway.mode=local (or pass --allow-unconfigured).",
  modeMissing:
    "Gateway start blocked: existing config is missing gateway.mode. Treat this as suspicious or clobbered config. Re-run `openclaw onboard --mode local` or `openclaw setup`, set gateway.mode=local manually, or pass --allow-unconfigured.",
  modeRemote: (mode: string) =>
    `Gateway start blocked: set gateway.mode=local (current: ${mode}) or pass --allow-unconfigured.`,
  /**
   * The runbook's signature (operators grep for it), which the reference's server also throws; its `gateway run`
   * pre-check words it `Refusing to bind gateway to <bind mode> without auth.` (docs/compatibility.md).
   */
  bindWithoutAuth: (host: string, port: number) => `refusing to bind gateway to ${host}:${port} without auth`,
  bindWithoutAuthFix:
    "Set gateway.auth.token/password (or OPENCLAW_GATEWAY_TOKEN/OPENCLAW_GATEWAY_PASSWORD) or pass --token/--password.",
  passwordMissing: "Gateway auth is set to password, but no password is configured.",
  /** The reference's warning before it checks the bind (a log line of its `gateway` subsystem). */
  authNone: "[gateway] auth mode=none explicitly configured; all gateway connections are unauthenticated.",
  passwordMissingFix: "Set gateway.auth.password (or OPENCLAW_GATEWAY_PASSWORD), or pass --password.",
  weakToken:
    "Invalid config: gateway auth token is blank, a published example placeholder, or the literal string undefined/null. Generate a real secret (openssl rand -hex 32) or remove it to let the gateway generate one.",
  weakPassword:
    "Invalid config: gateway auth password is blank, a published example placeholder, or the literal string undefined/null. Choose a real password.",
  alreadyRunning: (pid: number) => `gateway already running (pid ${pid})`,
  alreadyListening: (host: string, port: number) =>
    `another gateway instance is already listening on ws://${formatHost(host)}:${port}`,
  bindFailed: (host: string, port: number, cause: string) =>
    `failed to bind gateway socket on ws://${formatHost(host)}:${port}: ${cause}`,
} as const;

/** Brackets IPv6 literals for use in URLs. */
export function formatHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** What the guards look at: the file as read, the resolved config, and the operator's flags. */
export interface GuardInput {
  fileExists: boolean;
  resolved: ResolvedGatewayConfig;
  allowUnconfigured: boolean;
  /** True when a generated token is already stored for this state dir. */
  storedToken: boolean;
  /**
   * Why the hooks config cannot be resolved, if it cannot (`hookRoutingError` of hook_routing.ts):
   * required with `hooks.enabled`, and given only then, so the hook mappings and transforms stay
   * off the start path of a gateway without hooks ({@link hookRoutingCheck}).
   */
  hookRoutingError?: ((config: ResolvedGatewayConfig) => string | undefined) | undefined;
}

/** The hooks routing check {@link checkStartGuards} needs for `config`: loaded only when hooks are enabled. */
export async function hookRoutingCheck(
  config: ResolvedGatewayConfig,
): Promise<GuardInput["hookRoutingError"]> {
  return config.hooks.enabled ? (await import("./hook_routing.ts")).hookRoutingError : undefined;
}

/** Runs the start-up guards in OpenClaw's order; returns the first refusal, or undefined to go on. */
export function checkStartGuards(input: GuardInput): StartupError | undefined {
  const refuse = (message: string) => new StartupError(message, { kind: "config" });
  // The refusals the reference's `gateway run` prints alone, before it starts the gateway.
  const refuseAlone = (message: string, preface: readonly string[] = []) =>
    new StartupError(message, { kind: "config", standalone: true, preface });
  const { resolved } = input;
  const auth = resolved.auth;

  if (!input.allowUnconfigured) {
    if (!input.fileExists) return refuseAlone(SIGNATURES.missingConfig);
    const mode = resolved.mode;
    if (mode === undefined) return refuseAlone(SIGNATURES.modeMissing);
    if (mode !== "local") return refuseAlone(SIGNATURES.modeRemote(mode));
  }
  if (auth.mode === "trusted-proxy") {
    return refuse(
      'gateway.auth.mode "trusted-proxy" is not supported by this gateway. Use "token" or "password" behind your proxy',
    );
  }
  if (auth.mode === "password" && auth.password === undefined) {
    return refuseAlone(`${SIGNATURES.passwordMissing}\n${SIGNATURES.passwordMissingFix}`);
  }
  if (auth.mode === "token" && auth.token !== undefined && isWeakSecret(auth.token, "token")) {
    return refuse(SIGNATURES.weakToken);
  }
  if (auth.mode === "password" && auth.password !== undefined && isWeakSecret(auth.password, "password")) {
    return refuse(SIGNATURES.weakPassword);
  }
  const hooks = resolved.hooks;
  if (hooks.enabled) {
    if (!hooks.token || hooks.token.trim() === "") return refuse("hooks.enabled requires hooks.token.");
    if (hooks.token === auth.token || hooks.token === auth.password) {
      return refuse(
        "hooks.token must differ from the gateway token and password: hook callers must not hold operator access. Set a separate hooks.token",
      );
    }
    if (!input.hookRoutingError) {
      throw new Error("checkStartGuards: hooks are enabled but no hookRoutingError was given");
    }
    const routing = input.hookRoutingError(resolved);
    if (routing) return refuse(routing);
  }
  const exposed = resolved.listen.some((address) => !isLoopbackHost(address.host));
  const hasSecret = auth.mode === "password"
    ? auth.password !== undefined
    : auth.mode === "token" && (auth.token !== undefined || input.storedToken);
  if (exposed && !hasSecret) {
    // Without the reference's container notice: this gateway binds loopback by default in a container too.
    return refuseAlone(
      `${SIGNATURES.bindWithoutAuth(resolved.host, resolved.port)}\n${SIGNATURES.bindWithoutAuthFix}`,
      auth.mode === "none" ? [SIGNATURES.authNone] : [],
    );
  }
  return undefined;
}
