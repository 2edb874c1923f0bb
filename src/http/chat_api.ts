import type { Hono } from "hono";
import type { PromptMessage } from "../agent/provider.ts";
import type { RunOutcome, RunRequest } from "../agent/runs.ts";
import { admission } from "./admission.ts";
import { type CallerRun, callerRun } from "./caller_run.ts";
import type { CallerTools } from "./caller_tools.ts";
import { settleToolRun, type ToolRunFailure } from "./tool_run_outcome.ts";
import { apiError } from "./http_error.ts";
import { readJsonBody } from "./json_body.ts";
import type { OpenAiDeps } from "./openai.ts";
import { sseWriter } from "./_sse.ts";
import type { HttpEnv } from "./types.ts";
import type { HttpMediaLimits } from "../config/resolve_http_media.ts";
import { type MediaResolver, withTurnMedia } from "./turn_media.ts";
import { serialSlot } from "./serial_slot.ts";

/** What a chat API request asks for, once its route has parsed and validated the body. */
export interface ChatAsk {
  /** The body's `model`, which names the agent (`openclaw/<agentId>`). */
  model: string | undefined;
  /** The body's `user`: a per-user session when no session header is sent. */
  user: string | undefined;
  /** The prompt: the last user message. */
  message: string;
  /** The messages before it that the caller sent itself. */
  context: PromptMessage[];
  stream: boolean;
  /** Resolves the body's image and file parts (turn_media.ts); absent for a text-only request. */
  media?: MediaResolver | undefined;
  /** The caller's tool calls and results after the prompt (a follow-up); absent on the plain path. */
  continuation?: PromptMessage[] | undefined;
  /** The caller's function tools after `tool_choice`; absent when the request has none. */
  tools?: CallerTools | undefined;
}

/** Sends one server-sent event: its `data:` line, after an `event:` line when named. */
export type SendEvent = (data: string, event?: string) => void;

/** How a chat API answers one request, in its own wire format. */
export interface ChatAnswer {
  /** The plain answer of a run that ended ok. */
  ok(outcome: RunOutcome): Response;
  /** The plain answer (or the thrown refusal) of a run that did not, at the status its kind maps to. */
  failed(outcome: RunOutcome, mapped: { status: number; type: string }): Response;
  /** The events sent before the run starts. */
  opening(send: SendEvent): void;
  delta(send: SendEvent, delta: string): void;
  /**
   * The events that end the stream, `[DONE]` included; a failure goes in-band, as the status was sent as 200
   * (`failure`: its error type, when the caller's tools decided it).
   */
  closing(send: SendEvent, outcome: RunOutcome, failure?: ToolRunFailure): void;
}

/** One OpenAI-style chat API: all a route supplies to {@link chatApiRoute}. */
export interface ChatApi<B extends object> {
  path: string;
  enabled(endpoints: ReturnType<OpenAiDeps["enabled"]>): boolean;
  /** The session namespace of its per-user and fresh sessions. */
  namespace: "openai" | "openresponses";
  /** The prefix of its run ids (`chatcmpl_`, `resp_`). */
  idPrefix: string;
  /** Its body limit, when it is not the APIs' 20 MB (it may follow the media limits in force). */
  maxBodyBytes?(media: HttpMediaLimits | undefined): number;
  /** Validates the body into the run's input (after `earlier`, a continued conversation); a bad one is thrown as the 400 to answer with. */
  parse(body: B, earlier?: PromptMessage[]): ChatAsk;
  /** The framing of this request's answer, plain or streamed (it echoes fields of the body). */
  answer(body: B, ask: ChatAsk, runId: string): ChatAnswer;
  /** The earlier answer a request continues (`previous_response_id`): its kept session, or its conversation. */
  resume?(
    request: Request,
    body: B,
  ): { sessionKey?: string | undefined; earlier?: PromptMessage[] | undefined } | undefined;
  /** An answer a later request may continue. */
  remember?(request: Request, runId: string, caller: CallerRun, ask: ChatAsk, outcome: RunOutcome): void;
}

/**
 * The HTTP status of a failed plain run by its kind (the upstream's own 4xx/5xx, 404 for an unknown model,
 * 401 `authentication_error` for a provider without a key, as the reference answers, else 502) and its OpenAI error type.
 */
export function failedRunStatus(outcome: RunOutcome): { status: number; type: string } {
  if (outcome.errorKind === "no_credentials") return { status: 401, type: "authentication_error" };
  const upstream = outcome.upstreamStatus ?? 0;
  const status = outcome.errorKind === "upstream" && upstream >= 400
    ? upstream
    : outcome.errorKind === "unknown_model"
    ? 404
    : 502;
  return { status, type: status < 500 ? "invalid_request_error" : "api_error" };
}

/** The text of an OpenAI message content: a string, or the text parts of an array. */
export function textOf(content: unknown, types: readonly string[] = ["text"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: unknown) =>
    part && typeof part === "object" && "type" in part && types.includes(String(part.type))
      ? String("text" in part ? part.text ?? "" : "")
      : ""
  ).join("");
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

/**
 * Mounts one chat API on `app`, the skeleton both `/v1/chat/completions` and `/v1/responses`
 * share: admit (enabled, method, bearer), read the body, validate it, route the caller to an
 * agent and session, start the run, then answer plain or streamed in the API's own framing.
 * Every refusal is thrown and answered by the app's error handler.
 */
export function chatApiRoute<B extends object>(app: Hono<HttpEnv>, deps: OpenAiDeps, api: ChatApi<B>): void {
  const admitted = admission({
    enabled: () => api.enabled(deps.enabled()),
    method: "POST",
    authorize: deps.authorize,
    work: deps.work,
  });
  // Shared by this route's requests: PDFs are read one at a time (serial_slot.ts).
  const slots = { pdf: serialSlot() };
  app.all(api.path, admitted, async (c) => {
    const body = await readJsonBody<B>(c.req.raw, api.maxBodyBytes?.(deps.media?.()));
    const resumed = api.resume?.(c.req.raw, body);
    const ask = api.parse(body, resumed?.earlier);
    const routed = callerRun(c.req.raw, deps.agents(), ask, api.namespace);
    // A continued answer's kept session is this run's too.
    const caller = resumed?.sessionKey ? { ...routed, sessionKey: resumed.sessionKey, ephemeral: false } : routed;
    const runId = `${api.idPrefix}${crypto.randomUUID()}`;
    const answer = api.answer(body, ask, runId);
    // A text-only request takes no extra step (not even an await) here.
    const media = ask.media
      ? await withTurnMedia(ask.media, deps.media, ask.context, c.req.raw.signal, slots)
      : undefined;
    const run: RunRequest = { ...caller, message: ask.message, idempotencyKey: runId, context: ask.context, ...media };
    if (ask.tools) {
      run.clientTools = ask.tools.tools;
      run.continuation = ask.continuation;
    }

    if (!ask.stream) {
      const started = deps.startRun(run);
      if (started.kind !== "accepted") throw apiError(409, "A run with this id is already in progress.");
      const done = await outcomeUnlessHungUp(c.req.raw, started.done, () => deps.abortRun(runId));
      const { outcome, failure } = ask.tools ? settleToolRun(done, ask.tools) : { outcome: done, failure: undefined };
      if (outcome.status === "ok" || failure?.status === 502) api.remember?.(c.req.raw, runId, caller, ask, outcome);
      if (outcome.status === "ok") return answer.ok(outcome);
      return answer.failed(outcome, failure ?? failedRunStatus(outcome));
    }

    // `_sse.ts`, not Hono's `streamSSE`: that costs about 0.12 ms more per streamed answer (docs/performance.md).
    const sse = sseWriter(() => deps.abortRun(runId));
    const send: SendEvent = (data, event) => sse.write(`${event ? `event: ${event}\n` : ""}data: ${data}\n\n`);
    answer.opening(send);
    const started = deps.startRun({ ...run, onDelta: (delta) => answer.delta(send, delta) });
    if (started.kind === "accepted") {
      void started.done.then((done) => {
        const { outcome, failure } = ask.tools ? settleToolRun(done, ask.tools) : { outcome: done, failure: undefined };
        if (outcome.status === "ok" || failure?.status === 502) api.remember?.(c.req.raw, runId, caller, ask, outcome);
        answer.closing(send, outcome, failure);
        sse.close();
      });
    }
    return sse.afterRunStarts();
  });
}
