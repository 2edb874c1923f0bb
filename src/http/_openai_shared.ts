import { AGENT_ID, type AgentsConfig, type ModelRef, parseModelRef } from "../agent/agents_config.ts";
import type { RunOutcome } from "../agent/runs.ts";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import { readBody } from "./body.ts";

/** Largest request body of the OpenAI-compatible APIs, as in the reference. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** An error in OpenAI's shape: `{"error":{"message","type"}}`. */
export function openAiError(
  status: number,
  message: string,
  type = "invalid_request_error",
  headers: HeadersInit = {},
): Response {
  return Response.json({ error: { message, type } }, { status, headers });
}

/** 405 with the `Allow` header the reference sends. */
export function methodNotAllowed(allow: string): Response {
  return new Response("Method Not Allowed", {
    status: 405,
    headers: { allow, "content-type": "text/plain; charset=utf-8" },
  });
}

/** 401 or 429 for a refused bearer credential. */
export function deniedResponse(verdict: Exclude<BearerVerdict, { ok: true }>): Response {
  if (verdict.status === 429) {
    return openAiError(429, "Too many failed authentication attempts. Please try again later.", "rate_limited", {
      "retry-after": String(Math.ceil(verdict.retryAfterMs / 1000)),
    });
  }
  return openAiError(401, "Unauthorized", "unauthorized");
}

/** The plain-text 404 of a disabled endpoint or an unknown path, as the reference sends it. */
export function plainNotFound(): Response {
  return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The checks every API route runs first, in the reference's order: the endpoint is enabled
 * (else 404), the method is right (405 before auth), the bearer credential holds (401/429).
 * Returns the refusal, or undefined when the request may go on.
 */
export function admit(
  request: Request,
  remoteAddr: string,
  rule: { enabled: boolean; method: string; authorize(request: Request, remoteAddr: string): BearerVerdict },
): Response | Promise<Response> | undefined {
  if (!rule.enabled) return plainNotFound();
  if (request.method !== rule.method) return methodNotAllowed(rule.method);
  const verdict = rule.authorize(request, remoteAddr);
  if (verdict.ok) return undefined;
  // A loopback caller's wrong guess is answered after the limiter's backoff, as the reference does.
  const delayMs = verdict.status === 401 ? verdict.delayMs ?? 0 : 0;
  if (delayMs <= 0) return deniedResponse(verdict);
  return new Promise((resolve) => setTimeout(() => resolve(deniedResponse(verdict)), delayMs));
}

/** Session namespaces of the gateway's own runs, which a caller may not route into by header. */
const RESERVED_SESSION_PREFIXES = ["subagent:", "cron:", "acp:", "hook:", "node:"];

/** What a caller of the chat APIs chose by header. */
interface CallerRouting {
  /** `x-openclaw-agent-id` (or `x-openclaw-agent`): the agent, ahead of the body's `model`. */
  agentHeader: string | null;
  /** `x-openclaw-model`: the backend model instead of the agent's own. */
  model?: ModelRef;
  /** `x-openclaw-session-key`: an explicit session instead of a derived or fresh one. */
  sessionKey?: string;
}

/** Reads the routing headers of `/v1/chat/completions` and `/v1/responses`; a bad one is the 400 to answer with. */
function callerRouting(request: Request): CallerRouting | { response: Response } {
  const override = request.headers.get("x-openclaw-model");
  const model = override ? parseModelRef(override) : undefined;
  if (override && !model) return { response: openAiError(400, "Invalid `x-openclaw-model`. Use `provider/model`.") };
  const sessionKey = request.headers.get("x-openclaw-session-key") || undefined;
  if (sessionKey && RESERVED_SESSION_PREFIXES.some((prefix) => sessionKey.startsWith(prefix))) {
    return {
      response: openAiError(400, "`x-openclaw-session-key` cannot use reserved internal session namespaces."),
    };
  }
  const agentHeader = request.headers.get("x-openclaw-agent-id") ?? request.headers.get("x-openclaw-agent");
  return { agentHeader, model, sessionKey };
}

/** Maps a request's `model` (and the agent header) to an agent id, or an error message. */
export function agentForModel(
  agents: AgentsConfig,
  model: string | undefined,
  header: string | null,
): { agentId: string } | { error: string } {
  let id: string | undefined;
  if (header) id = header.trim().toLowerCase();
  else {
    const name = (model ?? "openclaw").trim();
    const lower = name.toLowerCase();
    if (lower === "openclaw" || lower === "openclaw/default") id = agents.defaultAgentId;
    else id = /^(?:openclaw\/|openclaw:|agent:)(.+)$/i.exec(name)?.[1]?.toLowerCase();
    if (!id || !AGENT_ID.test(id)) return { error: "Invalid `model`. Use `openclaw` or `openclaw/<agentId>`." };
  }
  if (!agents.agents.some((a) => a.id === id)) return { error: `Unknown agent '${id}'.` };
  return { agentId: id };
}

/** Who a chat API request runs as: the agent, session (and whether it is kept) and model override of its run request. */
export interface CallerRun {
  agentId: string;
  sessionKey: string;
  /** Neither a session header nor `user`: a one-off conversation with no transcript. */
  ephemeral: boolean;
  model?: ModelRef;
}

/**
 * Decides a chat API request's agent and session from its headers and body, as `/v1/chat/completions`
 * and `/v1/responses` both do: the session header wins, then `user` keeps a per-user session under
 * the API's `namespace`, else the run gets a fresh session. A bad header or model is the 400 to answer with.
 */
export function callerRun(
  request: Request,
  agents: AgentsConfig,
  body: { model?: string; user?: string },
  namespace: "openai" | "openresponses",
): CallerRun | { response: Response } {
  const routing = callerRouting(request);
  if ("response" in routing) return routing;
  const target = agentForModel(agents, body.model, routing.agentHeader);
  if ("error" in target) return { response: openAiError(400, target.error) };
  const { agentId } = target;
  const sessionKey = routing.sessionKey ??
    (body.user
      ? `agent:${agentId}:${namespace}-user:${body.user}`
      : `agent:${agentId}:${namespace}:${crypto.randomUUID()}`);
  return { agentId, sessionKey, ephemeral: !routing.sessionKey && !body.user, model: routing.model };
}

/** The HTTP status of a failed plain run (the upstream's own 4xx/5xx, else 502) and its OpenAI error type. */
export function failedRunStatus(outcome: RunOutcome): { status: number; type: string } {
  const status = outcome.upstreamStatus && outcome.upstreamStatus >= 400 ? outcome.upstreamStatus : 502;
  return { status, type: status < 500 ? "invalid_request_error" : "api_error" };
}

/** The text of an OpenAI message content: a string, or the text parts of an array. */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) =>
      (part && typeof part === "object" && (part as { type?: string }).type === "text")
        ? String((part as { text?: unknown }).text ?? "")
        : ""
    ).join("");
  }
  return "";
}

/** Reads a JSON object body with the size limit; the `response` is the error to send. */
export async function readJsonBody<T>(request: Request): Promise<{ body: T } | { response: Response }> {
  const read = await readBody(request, { maxBytes: MAX_BODY_BYTES });
  if (!read.ok) {
    return {
      response: read.reason === "too_large"
        ? openAiError(413, "Payload too large", "invalid_request_error", { connection: "close" })
        : openAiError(408, "Request body timeout", "invalid_request_error", { connection: "close" }),
    };
  }
  const text = new TextDecoder().decode(read.bytes);
  try {
    const body = JSON.parse(text);
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return { response: openAiError(400, "Request body must be a JSON object.") };
    }
    return { body };
  } catch (error) {
    return { response: openAiError(400, (error as Error).message) };
  }
}

/**
 * Waits for a plain (not streamed) run's outcome, aborting the run if the caller hangs up first:
 * nobody is left to read the answer, and the model would otherwise be billed for all of it.
 */
export async function outcomeUnlessHungUp<T>(request: Request, done: Promise<T>, abort: () => void): Promise<T> {
  request.signal.addEventListener("abort", abort, { once: true });
  try {
    return await done;
  } finally {
    request.signal.removeEventListener("abort", abort);
  }
}
