import type { AuthRateLimiter } from "./rate_limit.ts";
import { checkSharedSecret, type SharedSecretConfig } from "./shared_secret.ts";

/** The verdict on an HTTP request's credentials. */
export type BearerVerdict = { ok: true } | {
  ok: false;
  status: 401;
  /** How long to hold the 401 back: the limiter's backoff for a loopback caller, else 0 or absent. */
  delayMs?: number | undefined;
} | {
  ok: false;
  status: 429;
  retryAfterMs: number;
};

/**
 * The secret of an `Authorization: Bearer <secret>` header (scheme case-insensitive, value
 * trimmed), or undefined when the header is absent or names another scheme. The one parser of
 * the header: the OpenAI API, hooks and the probes all read it here.
 */
export function bearerSecret(authorization: string | null | undefined): string | undefined {
  return /^bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
}

/**
 * Checks `Authorization: Bearer <secret>` (the only header the reference reads; the value is
 * tried as token and as password). Lockouts are checked first, so a locked-out address gets 429
 * even with the right secret; only a wrong secret counts as a failure, a missing one does not.
 * The limiter is the one the WebSocket handshake uses, keyed by the same scope and address, so
 * guesses spread over HTTP and sockets share one budget.
 */
export function checkBearer(input: {
  authorization: string | null;
  remoteAddr: string;
  auth: SharedSecretConfig;
  limiter: AuthRateLimiter;
}): BearerVerdict {
  if (input.auth.mode === "none") return { ok: true };
  const verdict = input.limiter.check("shared-secret", input.remoteAddr);
  if (!verdict.allowed) return { ok: false, status: 429, retryAfterMs: verdict.retryAfterMs };
  const secret = bearerSecret(input.authorization);
  if (!secret) return { ok: false, status: 401 };
  const result = checkSharedSecret(input.auth, { token: secret, password: secret });
  if (result.ok) {
    input.limiter.recordSuccess("shared-secret", input.remoteAddr);
    return { ok: true };
  }
  const delayMs = input.limiter.recordFailure("shared-secret", input.remoteAddr);
  return { ok: false, status: 401, delayMs };
}
