import { authFailureMessage, checkSharedSecret, type SharedSecretConfig } from "../auth/shared_secret.ts";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import { PROTOCOL_VERSION } from "../version.ts";
import { CloseCode } from "./socket.ts";
import type { ErrorShape, HandshakeOutcome } from "./connection.ts";

/** Oldest protocol a `probe` client may speak (the CLI status probe sends min 3, max 4). */
export const MIN_PROBE_PROTOCOL = 3;

/** Operator scopes a shared-secret holder may be granted. */
export const OPERATOR_SCOPES = [
  "operator.admin",
  "operator.read",
  "operator.write",
  "operator.approvals",
  "operator.pairing",
  "operator.talk.secrets",
] as const;

/** Every scope name the protocol defines; anything else in `connect.scopes` is ignored. */
const KNOWN_SCOPES = new Set<string>([
  ...OPERATOR_SCOPES,
  "operator.sessions.read",
  "operator.sessions.write",
  "operator.questions",
  "operator.talk",
]);

/** The subset of `connect` params the handshake decides on (already schema-validated). */
export interface ConnectParams {
  minProtocol: number;
  maxProtocol: number;
  client: { id: string; version: string; platform: string; mode: string; displayName?: string; instanceId?: string };
  role?: string;
  scopes?: string[];
  auth?: { token?: string; password?: string; deviceToken?: string; bootstrapToken?: string };
  device?: unknown;
}

/** Who the client turned out to be. */
export interface ConnectIdentity {
  role: "operator";
  scopes: string[];
  method: "none" | "token" | "password";
  client: ConnectParams["client"];
}

/** The handshake's outcome before hello-ok is assembled. */
export type HandshakeDecision =
  | { ok: true; identity: ConnectIdentity }
  | { ok: false; error: ErrorShape; closeCode: number; closeReason: string; countsAsFailure: boolean };

function refuse(
  error: ErrorShape,
  options: { closeCode?: number; closeReason?: string; countsAsFailure?: boolean } = {},
): HandshakeDecision {
  return {
    ok: false,
    error,
    closeCode: options.closeCode ?? CloseCode.policyViolation,
    closeReason: options.closeReason ?? error.message,
    countsAsFailure: options.countsAsFailure ?? false,
  };
}

/** True when the client's protocol range admits v4 (or v3 for probes). */
export function protocolAccepted(params: Pick<ConnectParams, "minProtocol" | "maxProtocol" | "client">): boolean {
  if (params.minProtocol <= PROTOCOL_VERSION && PROTOCOL_VERSION <= params.maxProtocol) return true;
  return params.client.mode === "probe" && params.minProtocol <= PROTOCOL_VERSION &&
    params.maxProtocol >= MIN_PROBE_PROTOCOL;
}

/**
 * Decides a `connect`: protocol range, role, rate limit, then the shared secret. The role and
 * scopes are the server's decision: a shared-secret holder is an operator and gets the operator
 * scopes it asked for (or all of them when it asked for none), never more.
 */
export function decideConnect(input: {
  params: ConnectParams;
  remoteAddr: string;
  auth: SharedSecretConfig;
  limiter: AuthRateLimiter;
}): HandshakeDecision {
  const { params } = input;
  if (!protocolAccepted(params)) {
    return refuse({
      code: "INVALID_REQUEST",
      message: "protocol mismatch",
      details: {
        code: "PROTOCOL_MISMATCH",
        clientMinProtocol: params.minProtocol,
        clientMaxProtocol: params.maxProtocol,
        expectedProtocol: PROTOCOL_VERSION,
        minimumProbeProtocol: MIN_PROBE_PROTOCOL,
      },
    }, { closeCode: CloseCode.protocolError });
  }
  const role = params.role ?? "operator";
  if (role !== "operator") {
    return refuse({
      code: "INVALID_REQUEST",
      message: role === "node" ? "node role is not supported" : "invalid role",
    });
  }
  const verdict = input.limiter.check("shared-secret", input.remoteAddr);
  if (!verdict.allowed) {
    return refuse({
      code: "INVALID_REQUEST",
      message: authFailureMessage("rate_limited"),
      retryable: true,
      retryAfterMs: verdict.retryAfterMs,
      details: {
        code: "AUTH_RATE_LIMITED",
        authReason: "rate_limited",
        canRetryWithDeviceToken: false,
        recommendedNextStep: "wait_then_retry",
      },
    });
  }
  const given = params.auth ?? {};
  if (input.auth.mode !== "none" && !given.token && !given.password && params.device === undefined) {
    return refuse({
      code: "NOT_PAIRED",
      message: "device identity required",
      details: { code: "DEVICE_IDENTITY_REQUIRED" },
    });
  }
  const result = checkSharedSecret(input.auth, given);
  if (!result.ok) {
    const missing = result.reason.endsWith("_missing") || result.reason.endsWith("_missing_config");
    return refuse({
      code: "INVALID_REQUEST",
      message: authFailureMessage(result.reason),
      details: {
        code: detailCode(result.reason),
        authReason: result.reason,
        canRetryWithDeviceToken: false,
        recommendedNextStep: missing ? "update_auth_configuration" : "update_auth_credentials",
      },
    }, { countsAsFailure: result.reason.endsWith("_mismatch") });
  }
  const requested = (params.scopes ?? []).filter((s) => KNOWN_SCOPES.has(s));
  const scopes = requested.length > 0 ? [...new Set(requested)] : [...OPERATOR_SCOPES];
  return { ok: true, identity: { role: "operator", scopes, method: result.method, client: params.client } };
}

function detailCode(reason: string): string {
  return `AUTH_${reason.toUpperCase().replace("_MISSING_CONFIG", "_NOT_CONFIGURED")}`;
}

/** Turns a refused decision into the connection's outcome. */
export function refusalOutcome(decision: Extract<HandshakeDecision, { ok: false }>): HandshakeOutcome {
  return { ok: false, error: decision.error, closeCode: decision.closeCode, closeReason: decision.closeReason };
}
