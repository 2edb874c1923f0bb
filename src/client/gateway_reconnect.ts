// When a long-lived client (`mcp serve`'s bridge) tries its gateway again after the connection dropped, with the
// reference's gateway client policy: 1 s, doubling up to 30 s, no jitter, back to 1 s after a hello; a connect the
// gateway refuses for a reason retrying cannot fix (credentials, pairing, protocol or client version) pauses it.
import { GatewayRequestError } from "./rpc_client.ts";

const RECONNECT_INITIAL_MS = 1000;
const RECONNECT_MAX_MS = 30_000;

/** Connect refusals (`error.details.code`) that pause reconnecting: the same credentials would be refused again. */
const NON_RECOVERABLE_CODES = new Set([
  "AUTH_TOKEN_MISSING",
  "AUTH_TOKEN_MISMATCH",
  "AUTH_BOOTSTRAP_TOKEN_INVALID",
  "AUTH_PASSWORD_MISSING",
  "AUTH_PASSWORD_MISMATCH",
  "AUTH_RATE_LIMITED",
  "AUTH_DEVICE_TOKEN_MISMATCH",
  "AUTH_SCOPE_MISMATCH",
  "AUTH_IDENTITY_HEADER_REQUIRED",
  "AUTH_VERIFIED_USER_REQUIRED",
  "CONTROL_UI_BUILD_MISMATCH",
  "PAIRING_REQUIRED",
  "CONTROL_UI_DEVICE_IDENTITY_REQUIRED",
  "DEVICE_IDENTITY_REQUIRED",
  "PROTOCOL_MISMATCH",
  "CLIENT_VERSION_MISMATCH",
]);

/** The wait before reconnect attempt `failures + 1` (0 failures since the last hello: 1 s). */
export function reconnectDelayMs(failures: number): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_INITIAL_MS * 2 ** Math.max(0, Math.min(failures, 30)));
}

/** Whether a failed connect pauses reconnecting: the gateway refused it with a code retrying cannot fix. */
export function pausesReconnect(error: unknown): boolean {
  if (!(error instanceof GatewayRequestError)) return false;
  const code = error.detail("code");
  if (typeof code !== "string" || !NON_RECOVERABLE_CODES.has(code)) return false;
  // A pairing the gateway expects to be approved soon is waited for.
  return !(code === "PAIRING_REQUIRED" &&
    (error.detail("pauseReconnect") === false || error.detail("recommendedNextStep") === "wait_then_retry"));
}
