import { delay } from "../async/delay.ts";
import type { MiddlewareHandler } from "hono";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import { apiError, type HttpError, methodNotAllowed, notFound } from "./http_error.ts";
import type { HttpEnv } from "./types.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import { admittedWork } from "./work_fence.ts";

/** What an API route admits: whether it is on, its one method, and who may call it. */
export interface AdmissionRule {
  /** Read per request, so a reload applies at once. */
  enabled(): boolean;
  method: string;
  authorize(request: Request, remoteAddr: string): BearerVerdict;
  /** The work admission fence: while a host suspension closes it, the route answers 503 (before auth, as the reference). */
  work?: WorkAdmission | undefined;
}

/** 401 or 429 for a refused bearer credential. */
function denied(verdict: Exclude<BearerVerdict, { ok: true }>): HttpError {
  if (verdict.status === 429) {
    return apiError(429, "Too many failed authentication attempts. Please try again later.", "rate_limited", {
      "retry-after": String(Math.ceil(verdict.retryAfterMs / 1000)),
    });
  }
  return apiError(401, "Unauthorized", "unauthorized");
}

/**
 * The checks every API route runs first, in the reference's order: the endpoint is enabled
 * (else a plain 404), work is admitted (503 while a host suspension holds), the method is right
 * (405 before auth), the bearer credential holds (401/429).
 */
export function admission(rule: AdmissionRule): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    if (!rule.enabled()) throw notFound();
    await admittedWork(rule.work, async () => {
      if (c.req.method !== rule.method) throw methodNotAllowed(rule.method);
      const verdict = rule.authorize(c.req.raw, c.env.remoteAddr);
      if (!verdict.ok) {
        // A loopback caller's wrong guess is answered after the limiter's backoff, as the reference does.
        const delayMs = verdict.status === 401 ? verdict.delayMs ?? 0 : 0;
        if (delayMs > 0) await delay(delayMs);
        throw denied(verdict);
      }
      await next();
    });
  };
}
