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
  const secret = /^bearer\s+(.+)$/i.exec(input.authorization ?? "")?.[1]?.trim();
  if (!secret) return { ok: false, status: 401 };
  const result = checkSharedSecret(input.auth, { token: secret, password: secret });
  if (result.ok) {
    input.limiter.recordSuccess("shared-secret", input.remoteAddr);
    return { ok: true };
  }
  const delayMs = input.limiter.recordFailure("shared-secret", input.remoteAddr);
  return { ok: false, status: 401, delayMs };
}
