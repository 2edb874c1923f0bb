import { type DeviceProof, verifyDeviceProof } from "../auth/device_identity.ts";
import type { DeviceStore } from "../auth/device_store.ts";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import { authFailureMessage, checkSharedSecret, type SharedSecretConfig } from "../auth/shared_secret.ts";
import { KNOWN_SCOPES, OPERATOR_SCOPES } from "../rpc/scopes.ts";
import { PROTOCOL_VERSION } from "../version.ts";
import type { ErrorShape } from "./connection.ts";
import { CloseCode } from "./socket.ts";

/** Oldest protocol a `probe` client may speak (the CLI status probe sends min 3, max 4). */
export const MIN_PROBE_PROTOCOL = 3;

/** The `connect` params the handshake decides on (already schema-validated). */
export interface ConnectParams {
  minProtocol: number;
  maxProtocol: number;
  client: {
    id: string;
    version: string;
    platform: string;
    mode: string;
    displayName?: string;
    deviceFamily?: string;
    instanceId?: string;
  };
  role?: string;
  scopes?: string[];
  auth?: { token?: string; password?: string; deviceToken?: string; bootstrapToken?: string };
  device?: DeviceProof;
}

/** Who the client turned out to be. */
export interface ConnectIdentity {
  role: "operator";
  scopes: string[];
  method: "none" | "token" | "password" | "device-token";
  deviceId?: string | undefined;
  /** Set when this connect paired the device: returned once in `hello-ok.auth`. */
  deviceToken?: { token: string; issuedAtMs: number } | undefined;
}

/** The handshake's verdict. */
export type HandshakeDecision =
  | { ok: true; identity: ConnectIdentity }
  | { ok: false; error: ErrorShape; closeCode: number; closeReason: string; countsAsFailure: boolean };

/** What {@link decideConnect} needs besides the params. */
export interface HandshakeInput {
  params: ConnectParams;
  remoteAddr: string;
  /** This connection's challenge nonce. */
  nonce: string;
  auth: SharedSecretConfig;
  limiter: AuthRateLimiter;
  devices: DeviceStore;
  now?: number;
}

function refuse(
  error: ErrorShape,
  options: { closeCode?: number; countsAsFailure?: boolean } = {},
): HandshakeDecision {
  return {
    ok: false,
    error,
    closeCode: options.closeCode ?? CloseCode.policyViolation,
    closeReason: error.message,
    countsAsFailure: options.countsAsFailure ?? false,
  };
}

function authRefusal(reason: Parameters<typeof authFailureMessage>[0], countsAsFailure: boolean): HandshakeDecision {
  const missing = reason.endsWith("_missing") || reason.endsWith("_missing_config");
  return refuse({
    code: "INVALID_REQUEST",
    message: authFailureMessage(reason),
    details: {
      code: `AUTH_${reason.toUpperCase().replace("_MISSING_CONFIG", "_NOT_CONFIGURED")}`,
      authReason: reason,
      canRetryWithDeviceToken: false,
      recommendedNextStep: missing ? "update_auth_configuration" : "update_auth_credentials",
    },
  }, { countsAsFailure });
}

/** True when the client's protocol range admits v4 (or v3..4 for probes). */
export function protocolAccepted(params: Pick<ConnectParams, "minProtocol" | "maxProtocol" | "client">): boolean {
  if (params.minProtocol <= PROTOCOL_VERSION && PROTOCOL_VERSION <= params.maxProtocol) return true;
  return params.client.mode === "probe" && params.minProtocol <= PROTOCOL_VERSION &&
    params.maxProtocol >= MIN_PROBE_PROTOCOL;
}

/** The scopes granted: what the client asked for within `ceiling`, or all of `ceiling` if it asked for none. */
export function grantScopes(requested: readonly string[] | undefined, ceiling: readonly string[]): string[] {
  const asked = (requested ?? []).filter((s) => KNOWN_SCOPES.has(s));
  if (asked.length === 0) return [...ceiling];
  const allowed = new Set(ceiling);
  // operator.admin in the ceiling covers every operator scope the client may name.
  return [...new Set(asked.filter((s) => allowed.has(s) || allowed.has("operator.admin")))];
}

/**
 * Decides a `connect`: protocol range, role, rate limit, device proof, then credentials. Role and
 * scopes are the server's decision: a shared-secret holder is an operator with up to every
 * operator scope; a device token grants what it was issued with. Never more than asked.
 */
export async function decideConnect(input: HandshakeInput): Promise<HandshakeDecision> {
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
  if (role !== "operator") return refuse({ code: "INVALID_REQUEST", message: "invalid role" });

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
  let deviceId: string | undefined;
  let devicePublicKey = "";
  if (params.device) {
    const check = await verifyDeviceProof(params.device, {
      nonce: input.nonce,
      clientId: params.client.id,
      clientMode: params.client.mode,
      role,
      scopes: params.scopes ?? [],
      token: given.token ?? given.deviceToken ?? given.bootstrapToken ?? "",
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
      now: input.now ?? Date.now(),
    });
    if (!check.ok) {
      return refuse({
        code: "INVALID_REQUEST",
        message: check.message,
        details: { code: check.code, reason: check.reason },
      }, {
        countsAsFailure: check.code === "DEVICE_AUTH_SIGNATURE_INVALID",
      });
    }
    deviceId = check.deviceId;
    devicePublicKey = check.publicKey;
  }

  if (input.auth.mode === "none") {
    return {
      ok: true,
      identity: { role: "operator", scopes: grantScopes(params.scopes, OPERATOR_SCOPES), method: "none", deviceId },
    };
  }

  if (given.token || given.password) {
    const result = checkSharedSecret(input.auth, given);
    if (!result.ok) return authRefusal(result.reason, result.reason.endsWith("_mismatch"));
    const scopes = grantScopes(params.scopes, OPERATOR_SCOPES);
    const identity: ConnectIdentity = {
      role: "operator",
      scopes,
      method: result.method === "password" ? "password" : "token",
      deviceId,
    };
    if (deviceId) {
      // The shared secret vouches for the device: pair it and hand out its own token.
      identity.deviceToken = await input.devices.pair({
        deviceId,
        publicKey: devicePublicKey,
        clientId: params.client.id,
        clientMode: params.client.mode,
        platform: params.client.platform,
        deviceFamily: params.client.deviceFamily,
        scopes,
      });
    }
    return { ok: true, identity };
  }

  if (given.deviceToken && deviceId) {
    const tokenScopes = await input.devices.verifyToken(deviceId, given.deviceToken);
    if (!tokenScopes) {
      return refuse({
        code: "INVALID_REQUEST",
        message: "unauthorized: device token mismatch (rotate/reissue device token)",
        details: {
          code: "AUTH_DEVICE_TOKEN_MISMATCH",
          authReason: "device_token_mismatch",
          canRetryWithDeviceToken: false,
          recommendedNextStep: "update_auth_credentials",
        },
      }, { countsAsFailure: true });
    }
    return {
      ok: true,
      identity: { role: "operator", scopes: grantScopes(params.scopes, tokenScopes), method: "device-token", deviceId },
    };
  }

  if (params.device) return authRefusal(input.auth.mode === "password" ? "password_missing" : "token_missing", false);
  return refuse({
    code: "NOT_PAIRED",
    message: "device identity required",
    details: { code: "DEVICE_IDENTITY_REQUIRED" },
  });
}
