import type { MiddlewareHandler } from "hono";
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { RunRequest, StartResult } from "../agent/runs.ts";
import { bearerSecret } from "../auth/http_bearer.ts";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import { safeEqualSecret } from "../auth/secret_compare.ts";
import { readBody } from "./body.ts";
import { HttpError, plainError } from "./http_error.ts";
import { parseJsonObject } from "./json_body.ts";
import type { HttpEnv } from "./types.ts";

/** The hooks settings in force (`hooks.*`). */
export interface HooksSettings {
  enabled: boolean;
  /** Normalized base path, e.g. `/hooks`. */
  path: string;
  token: string | undefined;
  allowRequestSessionKey: boolean;
  allowedAgentIds: string[] | undefined;
}

/** What the hook routes need. */
export interface HooksDeps {
  settings(): HooksSettings;
  /** Hook failures are limited separately from operator auth, and loopback is not exempt. */
  limiter: AuthRateLimiter;
  wake(input: { text: string; mode: "now" | "next-heartbeat" }): "queued" | "coalesced";
  agents(): AgentsConfig;
  startRun(request: RunRequest): StartResult;
}

/** Largest hook body, as in the reference. */
export const MAX_HOOK_BODY_BYTES = 256 * 1024;

/** A hook refusal in the reference's `{ok: false, error}` shape. */
function fail(status: number, error: string): HttpError {
  return new HttpError(status, error, { json: { ok: false, error } });
}

/** Normalizes `hooks.path`: a leading slash, no trailing slash; `/` alone is not allowed. */
export function normalizeHooksPath(path: string | undefined): string {
  const trimmed = (path ?? "/hooks").trim().replace(/\/+$/, "");
  const withSlash = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  return withSlash === "" || withSlash === "/" ? "/hooks" : withSlash;
}

/** Reads a hook's JSON object body (empty is `{}`); a body too large, too slow or not an object is thrown as the refusal. */
async function readJson(request: Request): Promise<Record<string, unknown>> {
  const read = await readBody(request, { maxBytes: MAX_HOOK_BODY_BYTES });
  if (!read.ok) {
    throw read.reason === "too_large"
      ? plainError(413, "Payload Too Large", { connection: "close" })
      : plainError(408, "Request Timeout", { connection: "close" });
  }
  const parsed = parseJsonObject(read.bytes, { emptyIsObject: true });
  if (!parsed.ok) throw fail(400, parsed.syntax ?? "body must be a JSON object");
  return parsed.value;
}

/**
 * `POST <hooks.path>/wake` and `/agent`, guarded by `hooks.token` (a secret of its own: the
 * gateway token is not accepted), taken from headers only, never the query string. While hooks
 * are disabled the paths fall through to the rest of the app.
 */
export function hooksMiddleware(deps: HooksDeps): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const settings = deps.settings();
    // Every request passes here; with hooks off (the default) it costs no URL parse.
    if (!settings.enabled) return await next();
    const url = new URL(c.req.url);
    if (url.pathname !== settings.path && !url.pathname.startsWith(`${settings.path}/`)) return await next();
    if (url.searchParams.has("token")) {
      throw plainError(
        400,
        "Hook token must be provided via Authorization: Bearer <token> or X-OpenClaw-Token header (query parameters are not allowed).",
      );
    }
    if (c.req.method !== "POST") throw plainError(405, "Method Not Allowed", { allow: "POST" });
    const bearer = bearerSecret(c.req.header("authorization"));
    const given = bearer || c.req.header("x-openclaw-token")?.trim();
    const remote = c.env.remoteAddr;
    if (!safeEqualSecret(given, settings.token)) {
      const locked = deps.limiter.check("hook-auth", remote);
      if (!locked.allowed) {
        throw plainError(429, "Too Many Requests", { "retry-after": String(Math.ceil(locked.retryAfterMs / 1000)) });
      }
      if (given) deps.limiter.recordFailure("hook-auth", remote);
      throw plainError(401, "Unauthorized");
    }
    deps.limiter.recordSuccess("hook-auth", remote);
    const name = url.pathname.slice(settings.path.length).replace(/^\/+/, "");
    if (name !== "wake" && name !== "agent") throw plainError(404, "Not Found");
    const body = await readJson(c.req.raw);

    if (name === "wake") {
      if (typeof body.text !== "string" || body.text.trim() === "") throw fail(400, "text required");
      const mode = body.mode === "next-heartbeat" ? "next-heartbeat" : "now";
      return Response.json({ ok: true, mode, eventOutcome: deps.wake({ text: body.text, mode }) });
    }

    if (typeof body.message !== "string" || body.message.trim() === "") throw fail(400, "message required");
    const agents = deps.agents();
    const agentId = typeof body.agentId === "string" ? body.agentId : agents.defaultAgentId;
    if (
      !agents.agents.some((a) => a.id === agentId) ||
      (settings.allowedAgentIds && !settings.allowedAgentIds.includes(agentId))
    ) {
      throw fail(400, `unknown agentId "${agentId}"`);
    }
    if (typeof body.sessionKey === "string" && !settings.allowRequestSessionKey) {
      throw fail(
        400,
        "sessionKey is disabled for externally supplied hook payload values; set hooks.allowRequestSessionKey=true to enable",
      );
    }
    const idempotencyKey = c.req.header("idempotency-key") ?? c.req.header("x-openclaw-idempotency-key") ??
      (typeof body.idempotencyKey === "string" ? body.idempotencyKey : crypto.randomUUID());
    const sessionKey = typeof body.sessionKey === "string"
      ? body.sessionKey
      : `agent:${agentId}:hook:${
        typeof body.name === "string" && /^[\w-]{1,64}$/.test(body.name) ? body.name : idempotencyKey
      }`;
    const started = deps.startRun({ agentId, sessionKey, message: body.message, idempotencyKey });
    const runId = started.kind === "done" ? started.outcome.runId : started.runId;
    if (body.waitForCompletion !== true || started.kind !== "accepted") return Response.json({ ok: true, runId });
    const outcome = await started.done;
    return Response.json({
      ok: true,
      runId,
      completion: {
        status: outcome.status === "ok" ? "ok" : "error",
        replyDisposition: "visible",
        delivered: false,
        deliveryAttempted: false,
        ...(outcome.error ? { error: outcome.error } : {}),
      },
    });
  };
}
