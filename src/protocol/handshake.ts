import { type DeviceProof, verifyDeviceProof } from "../auth/device_identity.ts";
import type { DeviceRole, DeviceStore, IssuedDeviceToken, SetupCompletion } from "../auth/device_store.ts";
import type { FiledRequest } from "../auth/pairing_requests.ts";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import { authFailureMessage, checkSharedSecret, type SharedSecretConfig } from "../auth/shared_secret.ts";
import { KNOWN_SCOPES, OPERATOR_SCOPES } from "../rpc/scopes.ts";
import { PROTOCOL_VERSION } from "../version.ts";
import type { ErrorShape } from "./frames.ts";
import { pairedDecision } from "./pairing_decision.ts";
import { bootstrapDecision } from "./bootstrap_decision.ts";
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
  /** What a `node` declares it can do (`caps`, `commands`, `permissions`, its `PATH`). */
  caps?: string[];
  commands?: string[];
  permissions?: Record<string, boolean>;
  pathEnv?: string;
  auth?: { token?: string; password?: string; deviceToken?: string; bootstrapToken?: string };
  device?: DeviceProof;
}

/** Client ids the reference treats as browser UIs. */
const BROWSER_CLIENT_IDS = new Set(["openclaw-control-ui", "webchat-ui", "webchat", "openclaw-browser-copilot"]);

/**
 * Whether a `connect` comes from a browser: the upgrade carried an `Origin` (browsers always send
 * one, other clients none) or the client names itself a browser UI. Browser clients get no scope
 * from the shared secret alone: their device identity must be paired (see {@link decideConnect}).
 */
export function isBrowserClient(params: Pick<ConnectParams, "client">, origin: string | undefined): boolean {
  return origin !== undefined || BROWSER_CLIENT_IDS.has(params.client.id) || params.client.mode === "webchat" ||
    params.client.mode === "ui";
}

/** Who the client turned out to be. */
export interface ConnectIdentity {
  role: DeviceRole;
  scopes: string[];
  method: "none" | "token" | "password" | "device-token" | "bootstrap-token";
  deviceId?: string | undefined;
  /** Set when this connect paired the device: returned once in `hello-ok.auth`. */
  deviceToken?: { token: string; issuedAtMs: number } | undefined;
  /** A setup-code handoff's tokens for the device's other roles (`hello-ok.auth.deviceTokens`). */
  deviceTokens?: IssuedDeviceToken[] | undefined;
  /** The outcome of the setup code this connect used up, confirmed once hello-ok is sent. */
  setupCompletion?: SetupCompletion | undefined;
  /**
   * This connect paired the device (or widened its grant) without an operator: `silent` as a trusted local
   * client, `bootstrap` through a setup code's handoff. Operators hear of both.
   */
  autoApproved?: "silent" | "bootstrap" | undefined;
}

/** The handshake's verdict. */
export type HandshakeDecision =
  | { ok: true; identity: ConnectIdentity }
  | {
    ok: false;
    error: ErrorShape;
    closeCode: number;
    closeReason: string;
    /** A wrong credential: already recorded with the limiter. */
    countsAsFailure: boolean;
    /** How long to hold the answer back (the limiter's backoff for a loopback caller). */
    delayMs?: number | undefined;
  };

/** What {@link decideConnect} needs besides the params. */
export interface HandshakeInput {
  params: ConnectParams;
  remoteAddr: string;
  /** This connection's challenge nonce. */
  nonce: string;
  auth: SharedSecretConfig;
  limiter: AuthRateLimiter;
  devices: DeviceStore;
  /** The upgrade's `Origin` header, when it had one. */
  origin?: string | undefined;
  /** True for a direct loopback peer without proxy headers: the only place pairing is automatic. */
  direct: boolean;
  /**
   * `gateway.nodes.pairing.autoApproveLocal` (default true): false sends a local device's first pairing and
   * its role and scope upgrades through approval too, as the reference does.
   */
  autoApproveLocal?: boolean | undefined;
  /** A device-pairing request was filed (or refreshed): operators hear `device.pair.requested`. */
  onPairingRequest?: ((filed: FiledRequest) => void) | undefined;
  now?: number;
}

function refuse(
  error: ErrorShape,
  options: { closeCode?: number; closeReason?: string } = {},
): HandshakeDecision {
  return {
    ok: false,
    error,
    closeCode: options.closeCode ?? CloseCode.policyViolation,
    closeReason: options.closeReason ?? error.message,
    countsAsFailure: false,
  };
}

function authRefusal(reason: Parameters<typeof authFailureMessage>[0]): HandshakeDecision {
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
  });
}

function rateLimited(retryAfterMs: number): HandshakeDecision {
  return refuse({
    code: "INVALID_REQUEST",
    message: authFailureMessage("rate_limited"),
    retryable: true,
    retryAfterMs,
    details: {
      code: "AUTH_RATE_LIMITED",
      authReason: "rate_limited",
      canRetryWithDeviceToken: false,
      recommendedNextStep: "wait_then_retry",
    },
  });
}

/** True when the client's protocol range admits v4 (or v3..4 for probes). */
export function protocolAccepted(params: Pick<ConnectParams, "minProtocol" | "maxProtocol" | "client">): boolean {
  if (params.minProtocol <= PROTOCOL_VERSION && PROTOCOL_VERSION <= params.maxProtocol) return true;
  return params.client.mode === "probe" && params.minProtocol <= PROTOCOL_VERSION &&
    params.maxProtocol >= MIN_PROBE_PROTOCOL;
}

/**
 * The scopes granted: what the client asked for within `ceiling`, or all of `ceiling` if it asked
 * for none. Scopes this gateway does not know grant nothing: a request naming only unknown scopes
 * gets an empty set, never the ceiling.
 */
export function grantScopes(requested: readonly string[] | undefined, ceiling: readonly string[]): string[] {
  if (requested === undefined || requested.length === 0) return [...ceiling];
  const asked = requested.filter((s) => KNOWN_SCOPES.has(s));
  const allowed = new Set(ceiling);
  // operator.admin in the ceiling covers every operator scope the client may name.
  return [...new Set(asked.filter((s) => allowed.has(s) || allowed.has("operator.admin")))];
}

/**
 * Decides a `connect`: protocol range, role, rate limit, device proof, then credentials. Role and
 * scopes are the server's decision, never more than asked: a shared-secret holder without a device
 * is an operator with up to every operator scope, except browser clients, which get none; a
 * device presented with the shared secret must be paired (automatically only over direct
 * loopback, else by an operator's approval) and gets at most what it was approved for; a device
 * token grants what it was issued with.
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
  if (role !== "operator" && role !== "node") return refuse({ code: "INVALID_REQUEST", message: "invalid role" });

  // Check, compare and record happen with no await in between, so parallel attempts from one
  // address cannot all pass the check before the first failure is counted.
  const source = { browser: isBrowserClient(params, input.origin) };
  const limited = (): HandshakeDecision | undefined => {
    const verdict = input.limiter.check("shared-secret", input.remoteAddr, source);
    return verdict.allowed ? undefined : rateLimited(verdict.retryAfterMs);
  };
  const counted = (decision: HandshakeDecision): HandshakeDecision =>
    decision.ok ? decision : {
      ...decision,
      countsAsFailure: true,
      delayMs: input.limiter.recordFailure("shared-secret", input.remoteAddr, source),
    };
  const early = limited();
  if (early) return early;

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
      const refusal = refuse({
        code: "INVALID_REQUEST",
        message: check.message,
        details: { code: check.code, reason: check.reason },
      });
      if (check.code !== "DEVICE_AUTH_SIGNATURE_INVALID") return refusal;
      return limited() ?? counted(refusal);
    }
    deviceId = check.deviceId;
    devicePublicKey = check.publicKey;
  }

  // A node is always a device: its identity is what pairing, node.list and node.invoke address.
  if (role === "node" && !deviceId) {
    return refuse({
      code: "NOT_PAIRED",
      message: "device identity required",
      details: { code: "DEVICE_IDENTITY_REQUIRED" },
    });
  }
  // A node holds no operator scope; what it may call is decided by its role.
  const wanted = role === "node" ? [] : grantScopes(params.scopes, OPERATOR_SCOPES);

  if (input.auth.mode === "none") {
    // No secret to check, but a node still pairs (the reference skips pairing for Control UI
    // clients only): node.pair.approve and node.invoke address its paired-device record.
    if (role === "node" && deviceId) {
      return await pairedDecision(input, { deviceId, publicKey: devicePublicKey, wanted, method: "none", role });
    }
    return { ok: true, identity: { role, scopes: wanted, method: "none", deviceId } };
  }

  // The reference client sends a stored device token as `auth.token` too (it has no shared
  // secret then): a token equal to the device token is that device token, not a wrong secret.
  const deviceTokenOnly = given.deviceToken !== undefined && given.token === given.deviceToken && !given.password;
  if ((given.token || given.password) && !(deviceTokenOnly && deviceId)) {
    const gate = limited();
    if (gate) return gate;
    const result = checkSharedSecret(input.auth, given);
    if (!result.ok) {
      const refusal = authRefusal(result.reason);
      return result.reason.endsWith("_mismatch") ? counted(refusal) : refusal;
    }
    const method = result.method === "password" ? "password" : "token";
    if (deviceId) return await pairedDecision(input, { deviceId, publicKey: devicePublicKey, wanted, method, role });
    // The shared secret alone is enough for CLI and backend clients; a browser page holding it
    // (perhaps one the user never meant to trust) gets nothing until its device is paired.
    const scopes = isBrowserClient(params, input.origin) ? [] : wanted;
    return { ok: true, identity: { role, scopes, method, deviceId } };
  }

  if (given.deviceToken && deviceId) {
    // Device tokens are 256-bit random, so the await inside verifyToken leaves no useful race.
    const before = limited();
    if (before) return before;
    const tokenScopes = await input.devices.verifyToken(deviceId, given.deviceToken, role);
    if (!tokenScopes) {
      return limited() ?? counted(refuse({
        code: "INVALID_REQUEST",
        message: "unauthorized: device token mismatch (rotate/reissue device token)",
        details: {
          code: "AUTH_DEVICE_TOKEN_MISMATCH",
          authReason: "device_token_mismatch",
          canRetryWithDeviceToken: false,
          recommendedNextStep: "update_auth_credentials",
        },
      }));
    }
    return {
      ok: true,
      identity: {
        role,
        scopes: role === "node" ? [] : grantScopes(params.scopes, tokenScopes),
        method: "device-token",
        deviceId,
      },
    };
  }

  if (given.bootstrapToken && deviceId) {
    const gate = limited();
    if (gate) return gate;
    return await bootstrapDecision(input, { deviceId, publicKey: devicePublicKey, role, wanted }, counted);
  }

  if (params.device) return authRefusal(input.auth.mode === "password" ? "password_missing" : "token_missing");
  return refuse({
    code: "NOT_PAIRED",
    message: "device identity required",
    details: { code: "DEVICE_IDENTITY_REQUIRED" },
  });
}
