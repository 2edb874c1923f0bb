import { Hono } from "hono";
import { methodNotAllowed } from "./http_error.ts";
import type { GatewayPhase, HttpEnv } from "./types.ts";

/** What the probe routes need to know, and nothing more. */
export interface ProbeDeps {
  phase(): GatewayPhase;
  uptimeMs(): number;
  version: string;
  /** True when the request may see details: direct loopback, or a valid bearer secret. */
  detailed(request: Request, remoteAddr: string): boolean;
  /** False while a host suspension holds admission closed: not ready (`gateway-draining`), still live. */
  admissionOpen?: (() => boolean) | undefined;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

function probe(request: Request, status: number, body: unknown): Response {
  return new Response(request.method === "HEAD" ? null : JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/**
 * Liveness (`/healthz`, `/health`), readiness (`/readyz`, `/ready`) and start-up (`/startupz`,
 * `/startup`) probes. Unauthenticated by design; details only for local or authenticated callers.
 */
export function probeRoutes(deps: ProbeDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const only = (paths: string[], handler: (request: Request, remoteAddr: string) => Response) => {
    for (const path of paths) {
      app.all(path, (c) => {
        if (c.req.method !== "GET" && c.req.method !== "HEAD") throw methodNotAllowed("GET, HEAD");
        return handler(c.req.raw, c.env.remoteAddr);
      });
    }
  };
  only(["/healthz", "/health"], (request) => probe(request, 200, { ok: true, status: "live" }));
  only(["/readyz", "/ready"], (request, remoteAddr) => {
    const phase = deps.phase();
    const draining = phase === "draining" || (phase === "ready" && deps.admissionOpen?.() === false);
    const failing = phase === "ready" && !draining ? [] : [draining ? "gateway-draining" : "gateway-starting"];
    const ready = failing.length === 0;
    const body = deps.detailed(request, remoteAddr) ? { ready, failing, uptimeMs: deps.uptimeMs() } : { ready };
    return probe(request, ready ? 200 : 503, body);
  });
  only(["/startupz", "/startup"], (request, remoteAddr) => {
    const phase = deps.phase();
    const status = phase === "ready" ? "started" : phase;
    const ok = phase === "ready";
    const body = deps.detailed(request, remoteAddr)
      ? { ok, status, version: deps.version, uptimeMs: deps.uptimeMs() }
      : { ok, status };
    return probe(request, ok ? 200 : 503, body);
  });
  return app;
}
