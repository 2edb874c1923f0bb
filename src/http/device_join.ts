// `GET /j/<shortcode>`: the join URL `device.pair.setupCode {joinUrl: true}` (and `openclaw devices
// join-code`) hands out, as the reference serves it. Unauthenticated: the shortcode is the credential,
// good once, and guessing is rate limited per address with no loopback exemption. Like the reference,
// it owns every path ending in `/j` or holding `/j/`, ahead of hooks, the APIs and the Control UI.
import type { MiddlewareHandler } from "hono";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import type { HttpEnv } from "./types.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import { admittedWork } from "./work_fence.ts";

/** The limiter scope of join attempts (the reference's `device-join`). */
export const DEVICE_JOIN_SCOPE = "device-join";

/** What serving join URLs needs. */
export interface DeviceJoinDeps {
  /** Burns a live shortcode and returns its setup payload; undefined for an unknown, used or lapsed one. */
  redeem(shortcode: string): Promise<object | undefined>;
  limiter: Pick<AuthRateLimiter, "check" | "recordFailure" | "recordSuccess">;
  /** The work admission fence (503 while a host suspension holds). */
  work?: WorkAdmission | undefined;
}

/** The shortcode a join request path names (`""` for a bare `/j`), or undefined for any other path. */
export function joinShortcodeOfPath(pathname: string): string | undefined {
  if (pathname.endsWith("/j")) return "";
  const marker = pathname.lastIndexOf("/j/");
  return marker >= 0 ? pathname.slice(marker + 3) : undefined;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** Answers one join request: the payload once, else `404 {"error":"not_found"}`, or `429` while locked out. */
export async function deviceJoinResponse(
  deps: DeviceJoinDeps,
  request: { method: string; url: string; remoteAddr: string; shortcode: string },
): Promise<Response> {
  const source = { browser: true };
  const verdict = deps.limiter.check(DEVICE_JOIN_SCOPE, request.remoteAddr, source);
  if (!verdict.allowed) {
    const retry: Record<string, string> = verdict.retryAfterMs > 0
      ? { "retry-after": String(Math.ceil(verdict.retryAfterMs / 1000)) }
      : {};
    return json(429, { error: "rate_limited" }, retry);
  }
  // Counted as a failure before the lookup, so guesses sent in parallel are limited too (the reference
  // serializes attempts per address); a hit clears the count.
  deps.limiter.recordFailure(DEVICE_JOIN_SCOPE, request.remoteAddr, source);
  const plain = request.method === "GET" && !new URL(request.url).search;
  const payload = plain ? await deps.redeem(request.shortcode) : undefined;
  if (!payload) return json(404, { error: "not_found" });
  deps.limiter.recordSuccess(DEVICE_JOIN_SCOPE, request.remoteAddr);
  return json(200, payload);
}

/** The middleware that takes join paths off the rest of the app. */
export function deviceJoinMiddleware(deps: DeviceJoinDeps): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    // The path as sent, not percent-decoded: `/%6A/<code>` is no join path, as in the reference.
    const shortcode = joinShortcodeOfPath(new URL(c.req.url).pathname);
    if (shortcode === undefined) return await next();
    return await admittedWork(deps.work, () =>
      deviceJoinResponse(deps, {
        method: c.req.method,
        url: c.req.url,
        remoteAddr: c.env.remoteAddr,
        shortcode,
      }));
  };
}
