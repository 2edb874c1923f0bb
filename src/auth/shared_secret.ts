import { safeEqualSecret } from "./secret_compare.ts";

/** The gateway's auth mode and secrets in force. */
export interface SharedSecretConfig {
  mode: "none" | "token" | "password" | "trusted-proxy";
  token: string | undefined;
  password: string | undefined;
}

/** Why a credential was refused, as the reference names it in `details.authReason`. */
export type AuthFailureReason =
  | "token_missing"
  | "token_mismatch"
  | "token_missing_config"
  | "password_missing"
  | "password_mismatch"
  | "password_missing_config"
  | "rate_limited";

/** The outcome of checking a shared secret. */
export type SharedSecretResult =
  | { ok: true; method: "none" | "token" | "password" }
  | { ok: false; reason: AuthFailureReason };

/**
 * Checks a presented credential against the configured one. Either field may carry either
 * secret, as with the reference (HTTP bearer values are tried as both).
 */
export function checkSharedSecret(
  config: SharedSecretConfig,
  given: { token?: string | undefined; password?: string | undefined },
): SharedSecretResult {
  if (config.mode === "none") return { ok: true, method: "none" };
  const presented = [given.token, given.password].filter((v): v is string => typeof v === "string" && v !== "");
  if (config.mode === "password") {
    if (config.password === undefined) return { ok: false, reason: "password_missing_config" };
    if (presented.length === 0) return { ok: false, reason: "password_missing" };
    return presented.some((v) => safeEqualSecret(v, config.password))
      ? { ok: true, method: "password" }
      : { ok: false, reason: "password_mismatch" };
  }
  if (config.token === undefined) return { ok: false, reason: "token_missing_config" };
  if (presented.length === 0) return { ok: false, reason: "token_missing" };
  return presented.some((v) => safeEqualSecret(v, config.token))
    ? { ok: true, method: "token" }
    : { ok: false, reason: "token_mismatch" };
}

const HINT = "use this gateway's gateway.auth.token or pair the device";

/** The reference's exact human message for each refusal; clients match on these prefixes. */
export function authFailureMessage(reason: AuthFailureReason): string {
  switch (reason) {
    case "token_missing":
      return `unauthorized: gateway token missing (${HINT})`;
    case "token_mismatch":
      return `unauthorized: gateway token mismatch (${HINT})`;
    case "token_missing_config":
      return "unauthorized: gateway token not configured on gateway (set gateway.auth.token)";
    case "password_missing":
      return "unauthorized: gateway password missing (use this gateway's gateway.auth.password)";
    case "password_mismatch":
      return "unauthorized: gateway password mismatch (use this gateway's gateway.auth.password)";
    case "password_missing_config":
      return "unauthorized: gateway password not configured on gateway (set gateway.auth.password)";
    case "rate_limited":
      return "unauthorized: too many failed authentication attempts (retry later)";
  }
}
