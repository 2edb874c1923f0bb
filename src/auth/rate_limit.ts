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
}

const MAX_ENTRIES = 10_000;

/**
 * Failed-auth limiter keyed by scope and client address: `maxAttempts` failures within
 * `windowMs` lock the key out for `lockoutMs`. Loopback may be exempt from lockout, but then
 * each failure is answered only after a growing delay, so a local brute force is still slow.
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
  check(scope: string, address: string): RateLimitVerdict {
    if (this.#exempt(address)) return { allowed: true };
    const entry = this.#entries.get(`${scope}:${address}`);
    const now = this.#now();
    if (entry && entry.lockedUntil > now) return { allowed: false, retryAfterMs: entry.lockedUntil - now };
    return { allowed: true };
  }

  /**
   * Records a failed attempt. Returns how long to wait before answering: zero, except for
   * exempt loopback callers (250 ms doubling per failure, capped at 5 s).
   */
  recordFailure(scope: string, address: string): number {
    const key = `${scope}:${address}`;
    const now = this.#now();
    const entry = this.#entries.get(key) ?? { failures: [], lockedUntil: 0 };
    entry.failures = entry.failures.filter((t) => now - t < this.#policy.windowMs);
    entry.failures.push(now);
    if (!this.#exempt(address) && entry.failures.length >= this.#policy.maxAttempts) {
      entry.lockedUntil = now + this.#policy.lockoutMs;
      entry.failures = [];
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    if (!this.#exempt(address)) return 0;
    return Math.min(250 * 2 ** (entry.failures.length - 1), 5000);
  }

  /** A success clears the key's failures. */
  recordSuccess(scope: string, address: string): void {
    this.#entries.delete(`${scope}:${address}`);
  }

  #exempt(address: string): boolean {
    return this.#policy.exemptLoopback && isLoopbackHost(address);
  }
}
