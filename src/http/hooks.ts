import type { Context, MiddlewareHandler } from "hono";
import type { HookAdmission, HookAgentDispatch } from "../automation/hook_runs.ts";
import { bearerSecret } from "../auth/http_bearer.ts";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import { safeEqualSecret } from "../auth/secret_compare.ts";
import { readBody } from "./body.ts";
import { directAgent, directWake, type HookRequest, type HookWake, mappedActions, reply } from "./hook_actions.ts";
import { DEFAULT_HOOK_BODY_BYTES, type HookRouting } from "./hook_config.ts";
import { applyMappings } from "./hook_mappings.ts";
import { HookReplays, idempotencyKeyOf } from "./hook_replay.ts";
import { plainError } from "./http_error.ts";
import { parseJsonObject } from "./json_body.ts";
import type { HttpEnv } from "./types.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import { admittedWork } from "./work_fence.ts";

/** The hooks settings in force (`hooks.*`) that guard the door; the mappings and policy are {@link HookRouting}. */
export interface HooksSettings {
  enabled: boolean;
  /** Normalized base path, e.g. `/hooks`. */
  path: string;
  token: string | undefined;
}

/** What the hook routes need. */
export interface HooksDeps {
  settings(): HooksSettings;
  /** The work admission fence (503 while a host suspension holds). */
  work?: WorkAdmission | undefined;
  /** The mappings and session/agent policy resolved from the config in force. */
  routing(): HookRouting;
  /** Hook failures are limited separately from operator auth, and loopback is not exempt. */
  limiter: AuthRateLimiter;
  /** The channel ids a hook may deliver to (besides `last`). */
  channels(): string[];
  /** Why an explicit `accountId` cannot be used on `channel` (unknown, disabled), or undefined. */
  accountError?(channel: string, accountId: string): string | undefined;
  /** Queues a system event for the agent's heartbeat; `now` asks for the heartbeat at once. */
  wake(input: HookWake): "queued" | "coalesced";
  /** Admits and starts a hook agent run. */
  dispatchAgent(value: HookAgentDispatch): Promise<HookAdmission>;
  log: { info(message: string): void; warn(message: string): void };
}

/** Largest hook body, as in the reference (the Gmail path may allow more). */
export const MAX_HOOK_BODY_BYTES = DEFAULT_HOOK_BODY_BYTES;

/** Normalizes `hooks.path`: a leading slash, no trailing slash; `/` alone is not allowed. */
export function normalizeHooksPath(path: string | undefined): string {
  const trimmed = (path ?? "/hooks").trim().replace(/\/+$/, "");
  const withSlash = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  return withSlash === "" || withSlash === "/" ? "/hooks" : withSlash;
}

/** Reads a hook's JSON body: anything but an object is `{}`; too large, too slow or malformed is the refusal. */
async function readPayload(request: Request, maxBytes: number): Promise<Record<string, unknown> | Response> {
  const read = await readBody(request, { maxBytes });
  if (!read.ok) {
    const tooLarge = read.reason === "too_large";
    return Response.json({ ok: false, error: tooLarge ? "payload too large" : "request body timeout" }, {
      status: tooLarge ? 413 : 408,
      headers: { connection: "close" },
    });
  }
  const parsed = parseJsonObject(read.bytes, { emptyIsObject: true });
  if (parsed.ok) return parsed.value;
  if (parsed.syntax) return reply(400, { ok: false, error: parsed.syntax });
  return {};
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key.toLowerCase()] = value));
  return out;
}

/**
 * `POST <hooks.path>/wake`, `/agent` and `/<name>` (mappings and presets), guarded by `hooks.token`
 * (a secret of its own: the gateway token is not accepted), taken from headers only, never the
 * query string. While hooks are disabled the paths fall through to the rest of the app.
 */
export function hooksMiddleware(deps: HooksDeps): MiddlewareHandler<HttpEnv> {
  const replays = new HookReplays();
  return async (c, next) => {
    const settings = deps.settings();
    // Every request passes here; with hooks off (the default) it costs no URL parse.
    if (!settings.enabled) return await next();
    const url = new URL(c.req.url);
    if (url.pathname !== settings.path && !url.pathname.startsWith(`${settings.path}/`)) return await next();
    return await admittedWork(deps.work, async () => await hookRequest({ deps, replays, c, url, settings }));
  };
}

/** One request on the hooks path, once admitted. */
async function hookRequest(
  { deps, replays, c, url, settings }: {
    deps: HooksDeps;
    replays: HookReplays;
    c: Context<HttpEnv>;
    url: URL;
    settings: HooksSettings;
  },
): Promise<Response> {
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
  const subPath = url.pathname.slice(settings.path.length).replace(/^\/+/, "");
  if (!subPath) throw plainError(404, "Not Found");
  const routing = deps.routing();
  const payload = await readPayload(c.req.raw, routing.bodyLimit(subPath));
  if (payload instanceof Response) return payload;
  const headers = headerRecord(c.req.raw.headers);
  const req: HookRequest = {
    routing,
    deps,
    replays,
    payload,
    subPath,
    idempotencyKey: idempotencyKeyOf(headers, payload),
  };
  if (subPath === "wake") return directWake(req);
  if (subPath === "agent") return await directAgent(req);
  if (routing.mappings.length === 0) throw plainError(404, "Not Found");
  let mapped;
  try {
    mapped = await applyMappings(routing.mappings, { payload, headers, url, path: subPath }, routing.loadTransform);
  } catch (error) {
    // A transform that throws (or cannot load) is the gateway's problem, not the caller's.
    deps.log.warn(`hook mapping failed: ${String(error)}`);
    return reply(500, { ok: false, error: "hook mapping failed" });
  }
  if (!mapped) throw plainError(404, "Not Found");
  if (!mapped.ok) return reply(400, { ok: false, error: mapped.error });
  if (mapped.dropped > 0) {
    deps.log.warn(`hook mapping ${subPath} fan-out dropped ${mapped.dropped} items beyond the 200-item cap`);
  }
  if (mapped.actions.length === 0) {
    if (mapped.fanout) deps.log.info(`hook mapping ${subPath} matched with no items to dispatch`);
    return new Response(null, { status: 204 });
  }
  return await mappedActions(req, mapped.actions, mapped.fanout);
}
