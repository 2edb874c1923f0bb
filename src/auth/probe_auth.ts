import { bearerSecret } from "./http_bearer.ts";
import { directLoopback } from "./proxy_attribution.ts";
import { safeEqualSecret } from "./secret_compare.ts";

/**
 * Whether a readiness or start-up probe (`/readyz`, `/startupz`) may show its details: local callers without proxy
 * headers may, and so may callers with a valid bearer secret (tried as token and as password).
 */
export function probeDetailsAllowed(input: {
  headers: Headers;
  remoteAddr: string;
  secrets: { token: string | undefined; password: string | undefined };
}): boolean {
  if (directLoopback(input.headers, input.remoteAddr)) return true;
  const bearer = bearerSecret(input.headers.get("authorization"));
  const { token, password } = input.secrets;
  return safeEqualSecret(bearer, token) || safeEqualSecret(bearer, password);
}
