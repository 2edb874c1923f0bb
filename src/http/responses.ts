import { Hono } from "hono";
import type { ChatMessage, PromptMessage } from "../agent/provider.ts";
import type { RunOutcome } from "../agent/runs.ts";
import { type ChatAnswer, chatApiRoute, type ChatAsk, textOf } from "./chat_api.ts";
import { apiError } from "./http_error.ts";
import type { OpenAiDeps } from "./openai.ts";
import type { HttpEnv } from "./types.ts";
import { responsesBodyLimit, responsesMedia, responsesMediaParts } from "./responses_media.ts";
import type { MediaResolver } from "./turn_media.ts";
import { responsesToolInput, wantsResponsesToolPath } from "./responses_tool_turns.ts";
import { handedBackOutput, streamCalls } from "./responses_tool_calls.ts";
import { ResponseSessions } from "./response_sessions.ts";
import { pairToolTurns } from "./caller_messages.ts";
import { heldText } from "./tool_run_outcome.ts";

interface ResponsesBody {
  model?: unknown;
  input?: unknown;
  instructions?: unknown;
  stream?: boolean;
  user?: string;
  temperature?: number;
  tools?: unknown;
  "tool_choice"?: unknown;
  "previous_response_id"?: unknown;
}

/** The content part types whose text an input message carries. */
const TEXT_PARTS = ["input_text", "output_text", "text"];

function isMessageRole(role: unknown): role is ChatMessage["role"] {
  return role === "system" || role === "user" || role === "assistant";
}

/**
 * Validates an OpenResponses body (the reference's 400s, in its order) into the run's input:
 * `input` is a string, or message items whose last user message is the prompt.
 */
function parseResponses(body: ResponsesBody, earlier: PromptMessage[] = []): ChatAsk {
  if (typeof body.model !== "string") {
    throw apiError(
      400,
      `model: Invalid input: expected string, received ${body.model === undefined ? "undefined" : typeof body.model}`,
    );
  }
  const ask = { model: body.model, user: body.user, stream: body.stream === true };
  // A continued answer's conversation (`previous_response_id`, response_sessions.ts) comes after the instructions.
  const context: PromptMessage[] = typeof body.instructions === "string" && body.instructions
    ? [{ role: "system", text: body.instructions }, ...earlier]
    : [...earlier];
  let input: { context: PromptMessage[]; message: string; media?: MediaResolver };
  // The caller's tools or tool items take their own path (responses_tool_turns.ts); plain input stays on this one.
  if (wantsResponsesToolPath(body)) {
    const tooled = withMedia(responsesToolInput(body, context), body.input);
    checkTemperature(body);
    return { ...ask, ...tooled };
  }
  // Calls a continued answer handed back that this input does not answer still need a result on the wire.
  if (earlier.length > 0) context.splice(0, context.length, ...pairToolTurns(context));
  if (typeof body.input === "string" && body.input.trim() !== "") input = { context, message: body.input };
  else {
    if (!Array.isArray(body.input)) throw apiError(400, "input: Invalid input");
    const messages: ChatMessage[] = [];
    for (const item of body.input) {
      if (!item || (item.type !== undefined && item.type !== "message")) continue;
      const role = item.role === "developer" ? "system" : item.role;
      if (!isMessageRole(role)) throw apiError(400, "input: Invalid input");
      messages.push({ role, text: textOf(item.content, TEXT_PARTS) });
    }
    const last = messages.findLastIndex((m) => m.role === "user");
    if (last === -1) throw apiError(400, "input: Invalid input");
    input = withMedia({ context: [...context, ...messages.slice(0, last)], message: messages[last]!.text }, body.input);
  }
  checkTemperature(body);
  return { ...ask, ...input };
}

/** A parsed input with the body's image and file parts (a text-only input unchanged); an empty prompt gets the reference's words for a media-only message. */
function withMedia<T extends { message: string }>(input: T, items: unknown): T & { media?: MediaResolver } {
  const media = Array.isArray(items) ? responsesMediaParts(items) : undefined;
  if (!media) return input;
  return { ...input, message: input.message.trim() || media.emptyPrompt, media: responsesMedia(media.parts) };
}

/** Checks `temperature` (the schema's 400, after `input`'s as the reference orders them). */
function checkTemperature(body: ResponsesBody): void {
  if (
    body.temperature !== undefined &&
    (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 2)
  ) {
    throw apiError(400, "temperature: Too big: expected number to be <=2");
  }
}

function usageOf(outcome: RunOutcome | undefined) {
  const input = outcome?.usage.input ?? 0;
  const output = outcome?.usage.output ?? 0;
  return {
    "input_tokens": input,
    "input_tokens_details": { "cached_tokens": 0 },
    "output_tokens": output,
    "output_tokens_details": { "reasoning_tokens": 0 },
    "total_tokens": input + output,
  };
}

/** OpenResponses' framing: one `response` object, or its typed events (`event: <type>` + `data:`) ending in `[DONE]`. */
function responsesAnswer(model: string, id: string, holdText = false): ChatAnswer {
  const messageId = `msg_${crypto.randomUUID()}`;
  const createdAt = Math.floor(Date.now() / 1000);
  const response = (status: string, output: unknown[], outcome?: RunOutcome, error?: unknown) => ({
    id,
    object: "response",
    "created_at": createdAt,
    status,
    model,
    output,
    usage: usageOf(outcome),
    ...(error ? { error } : {}),
  });
  const message = (text: string, status: string) => ({
    type: "message",
    id: messageId,
    role: "assistant",
    content: status === "in_progress" ? [] : [{ type: "output_text", text, annotations: [] }],
    status,
  });
  let sequence = 0;
  const event = (send: (data: string, event: string) => void, type: string, data: Record<string, unknown>) =>
    send(JSON.stringify({ type, "sequence_number": sequence++, ...data }), type);
  const part = { "item_id": messageId, "output_index": 0, "content_index": 0 };
  return {
    ok: (outcome) =>
      Response.json(
        response(
          "completed",
          outcome.pendingToolCalls?.length
            ? handedBackOutput(outcome, message)
            : [message(shown(outcome), "completed")],
          outcome,
        ),
      ),
    failed: (outcome, { status, type }) =>
      Response.json(response("failed", [], undefined, { code: type, message: outcome.error }), { status }),
    opening: (send) => {
      event(send, "response.created", { response: response("in_progress", []) });
      event(send, "response.in_progress", { response: response("in_progress", []) });
      event(send, "response.output_item.added", { "output_index": 0, item: message("", "in_progress") });
      event(send, "response.content_part.added", { ...part, part: { type: "output_text", text: "", annotations: [] } });
    },
    // Under a `tool_choice` constraint the reference holds the text back and sends it as one delta at the end.
    delta: (send, delta) => {
      if (!holdText) event(send, "response.output_text.delta", { ...part, delta });
    },
    closing: (send, outcome, failure) => {
      if (outcome.status === "ok") {
        const text = holdText ? heldText(outcome) : shown(outcome);
        const calls = outcome.pendingToolCalls ?? [];
        if (holdText && text) event(send, "response.output_text.delta", { ...part, delta: text });
        event(send, "response.output_text.done", { ...part, text: text });
        event(send, "response.content_part.done", {
          ...part,
          part: { type: "output_text", text: text, annotations: [] },
        });
        // Calls handed back: the text so far is commentary, then each call (responses_tool_calls.ts).
        const done = calls.length ? { ...message(text, "completed"), phase: "commentary" } : message(text, "completed");
        event(send, "response.output_item.done", { "output_index": 0, item: done });
        const items = calls.length ? streamCalls((type, data) => event(send, type, data), calls, 1) : [];
        event(send, "response.completed", { response: response("completed", [done, ...items], outcome) });
      } else {
        event(send, "response.failed", {
          response: response("failed", [], undefined, { code: failure?.type ?? "api_error", message: outcome.error }),
        });
      }
      send("[DONE]");
    },
  };
}

/** The answer as streamed: every step's text joined by a blank line (a one-step run: its text). */
function shown(outcome: RunOutcome): string {
  return outcome.shownText ?? outcome.text;
}

/**
 * `POST /v1/responses` (OpenResponses): text in, text out, plain or as the typed event stream
 * (`event: <type>` + `data:`), ending with `data: [DONE]`. A 404 unless
 * `gateway.http.endpoints.responses.enabled`.
 */
export function responsesRoutes(deps: OpenAiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const sessions = new ResponseSessions();
  chatApiRoute<ResponsesBody>(app, deps, {
    path: "/v1/responses",
    enabled: (endpoints) => endpoints.responses,
    namespace: "openresponses",
    idPrefix: "resp_",
    maxBodyBytes: responsesBodyLimit,
    parse: parseResponses,
    answer: (_body, ask, id) => responsesAnswer(ask.model ?? "", id, ask.tools?.constraint !== undefined),
    resume: (request, body) => sessions.resume(request, body, deps.agents()),
    remember: (request, id, caller, ask, outcome) => sessions.remember(request, id, caller, ask, outcome),
  });
  return app;
}
