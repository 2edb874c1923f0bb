import { GatewayRequestError, GatewayTransportError } from "../client/rpc_client.ts";
import type { ResolvedTarget } from "../client/target.ts";
import { redactUrlSecrets } from "../config/sensitive_url.ts";
import { printError, printJson } from "./output.ts";

/**
 * The reference's lines for an unreachable gateway; scripts and operators read them. A URL's user
 * info and credential query values are printed as `***`, as the reference prints them. `sourceLabel`
 * and `bind: false` give the form some reference commands use (`nodes`: `Source: cli --url`, no `Bind:`).
 */
export function unreachableLines(
  error: GatewayTransportError,
  target: ResolvedTarget,
  options: { sourceLabel?: string; bind?: boolean } = {},
): string[] {
  return [
    error.message,
    "Start it with `openclaw gateway run` or check `openclaw gateway status`.",
    `Gateway target: ${redactUrlSecrets(target.url)}`,
    `Source: ${options.sourceLabel ?? target.urlSource}`,
    `Config: ${target.configPath}`,
    ...(options.bind === false ? [] : [`Bind: ${target.bind}`]),
  ];
}

/** Whether the gateway answered and refused the credentials (it is up; the token or password is wrong or missing). */
export function isAuthFailure(error: unknown): error is GatewayRequestError {
  if (!(error instanceof GatewayRequestError)) return false;
  const code = error.detail("code");
  return (typeof code === "string" && code.startsWith("AUTH_")) || error.message.startsWith("unauthorized");
}

/**
 * What to do about a refused credential: the gateway is running, so say where the CLI's token
 * came from and how to get the one the gateway uses, instead of pointing at reachability.
 */
export function authFailureHints(target: ResolvedTarget): string[] {
  const sent = target.tokenSource
    ? `This CLI sent the token from ${target.tokenSource}.`
    : target.password
    ? "This CLI sent a password and no token."
    : "This CLI sent no token: none was given, configured or stored for this state dir.";
  return [
    `The gateway at ${redactUrlSecrets(target.url)} is running and refused this CLI's credentials (unauthorized).`,
    sent,
    "Get the right token on the gateway's host: `openclaw dashboard` prints the Control UI link with it (after " +
    "#token=), and a generated one is kept in <stateDir>/credentials/gateway-token. Pass it with --token or " +
    "OPENCLAW_GATEWAY_TOKEN.",
  ];
}

/**
 * Reports a failed gateway call in the reference's shape (text on stderr, or the JSON error
 * envelope) and returns exit code 1. Anything else is not a gateway failure and is rethrown.
 */
export function reportGatewayFailure(
  error: unknown,
  target: ResolvedTarget,
  options: { json: boolean; action: string },
): number {
  if (error instanceof GatewayTransportError) {
    if (options.json) {
      printJson({
        ok: false,
        error: { type: "gateway_transport_error", kind: error.kind, message: error.message, reason: error.reason },
        gateway: { url: redactUrlSecrets(target.url), urlSource: target.urlSource, bindDetail: `Bind: ${target.bind}` },
      });
    } else {
      for (const line of unreachableLines(error, target)) printError(line);
    }
    return 1;
  }
  if (error instanceof GatewayRequestError) {
    if (options.json) {
      printJson({
        ok: false,
        error: {
          type: "gateway_request_error",
          code: error.code,
          message: error.message,
          details: error.details,
          retryable: error.retryable,
        },
      });
    } else {
      printError(`${options.action} failed: ${error.message}`);
      if (isAuthFailure(error)) { for (const line of authFailureHints(target)) printError(line); }
    }
    return 1;
  }
  throw error;
}

/** The capability label for a set of scopes (human form; JSON uses underscores). */
export function capabilityOf(scopes: readonly string[]): string {
  if (scopes.includes("operator.admin")) return "admin-capable";
  if (scopes.includes("operator.write")) return "write-capable";
  if (scopes.includes("operator.read")) return "read-only";
  return "connected-no-operator-scope";
}
