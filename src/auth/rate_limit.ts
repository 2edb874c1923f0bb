import { isLoopbackHost } from "../config/resolve.ts";

/** Limits on failed credential attempts (`gateway.auth.rateLimit`). */
export interface RateLimitPolicy {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
  exemptLoopback: boolean;
}

/** The limiter's verdict before a credential is even compared. */
export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Entry {
  failures: number[];
  lockedUntil: number;
  /** Exempt callers only: no attempt is checked before this instant (the backoff of the last failure). */
  notBefore: number;
}

/** Who is asking, beyond the address: browser-origin sockets are never loopback-exempt. */
export interface AttemptSource {
  browser?: boolean | undefined;
}

const MAX_ENTRIES = 10_000;
/** How much earlier than its delayed answer an exempt caller's gate reopens (clock skew margin). */
const GATE_SLACK_MS = 10;
/** Longest backoff an exempt (loopback) caller waits after a failure. */
export const MAX_BACKOFF_MS = 5000;

/**
 * Failed-auth limiter keyed by scope and client address, one instance shared by HTTP and
 * WebSocket: `maxAttempts` failures within `windowMs` lock the key out for `lockoutMs`. Loopback
 * may be exempt from lockout (`exemptLoopback`), but not from backoff: each failure is answered
 * after a growing delay (250 ms doubling, capped at 5 s) and, unlike the reference, the address
 * may not try again before that delay has passed, so parallel requests or sockets get "rate
 * limited" instead of each being delayed on its own (which let 100 sockets guess 18 times a
 * second). Browser-origin attempts are never exempt.
 */
export class AuthRateLimiter {
  #policy: RateLimitPolicy;
  #entries = new Map<string, Entry>();
  #now: () => number;

  constructor(policy: RateLimitPolicy, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  /** Replaces the policy (on reload); counts already made are kept. */
  setPolicy(policy: RateLimitPolicy): void {
    this.#policy = policy;
  }

  /** Whether an attempt from this address may be checked at all. */
  check(scope: string, address: string, source: AttemptSource = {}): RateLimitVerdict {
    const entry = this.#entries.get(`${scope}:${address}`);
    if (!entry) return { allowed: true };
    const now = this.#now();
    const until = this.#exempt(address, source) ? entry.notBefore : entry.lockedUntil;
    return until > now ? { allowed: false, retryAfterMs: until - now } : { allowed: true };
  }

  /**
   * Records a failed attempt. Returns how long to wait before answering: zero, except for
   * exempt loopback callers (250 ms doubling per failure, capped at 5 s).
   */
  recordFailure(scope: string, address: string, source: AttemptSource = {}): number {
    const key = `${scope}:${address}`;
    const now = this.#now();
    const entry = this.#entries.get(key) ?? { failures: [], lockedUntil: 0, notBefore: 0 };
    entry.failures = entry.failures.filter((t) => now - t < this.#policy.windowMs);
    entry.failures.push(now);
    const exempt = this.#exempt(address, source);
    if (!exempt && entry.failures.length >= this.#policy.maxAttempts) {
      entry.lockedUntil = now + this.#policy.lockoutMs;
      entry.failures = [];
    }
    const delay = exempt ? Math.min(250 * 2 ** (entry.failures.length - 1), MAX_BACKOFF_MS) : 0;
    // The gate closes a hair before the delayed answer goes out, so a client that waits for its
    // answer before retrying (every honest one) is never refused; only overlapping attempts are.
    entry.notBefore = now + Math.max(0, delay - GATE_SLACK_MS);
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return delay;
  }

  /** A success clears the key's failures. */
  recordSuccess(scope: string, address: string): void {
    this.#entries.delete(`${scope}:${address}`);
  }

  #exempt(address: string, source: AttemptSource): boolean {
    return this.#policy.exemptLoopback && !source.browser && isLoopbackHost(address);
  }
}
