import { Hono } from "hono";
import type { ChatMessage } from "../agent/provider.ts";
import type { RunOutcome, RunRequest } from "../agent/runs.ts";
import {
  admit,
  callerRun,
  failedRunStatus,
  openAiError,
  outcomeUnlessHungUp,
  readJsonBody,
  textOf,
} from "./_openai_shared.ts";
import type { OpenAiDeps } from "./openai.ts";
import { sseWriter } from "./_sse.ts";
import type { HttpEnv } from "./types.ts";

interface ResponsesBody {
  model?: unknown;
  input?: unknown;
  instructions?: unknown;
  stream?: boolean;
  user?: string;
  temperature?: number;
}

interface InputItem {
  type?: string;
  role?: string;
  content?: unknown;
}

/** Reads `input` (a string, or message items) into context messages and the prompt. */
export function readInput(body: ResponsesBody): { context: ChatMessage[]; prompt: string } | { error: string } {
  if (typeof body.model !== "string") {
    return {
      error: `model: Invalid input: expected string, received ${
        body.model === undefined ? "undefined" : typeof body.model
      }`,
    };
  }
  const context: ChatMessage[] = typeof body.instructions === "string" && body.instructions
    ? [{ role: "system", text: body.instructions }]
    : [];
  if (typeof body.input === "string" && body.input.trim() !== "") return { context, prompt: body.input };
  if (!Array.isArray(body.input)) return { error: "input: Invalid input" };
  const messages: ChatMessage[] = [];
  for (const item of body.input as InputItem[]) {
    if (!item || (item.type !== undefined && item.type !== "message")) continue;
    const role = item.role === "developer" ? "system" : item.role;
    if (role !== "system" && role !== "user" && role !== "assistant") return { error: "input: Invalid input" };
    const text = typeof item.content === "string"
      ? item.content
      : Array.isArray(item.content)
      ? item.content.map((part) =>
        part && typeof part === "object" &&
          ["input_text", "output_text", "text"].includes(String((part as { type?: string }).type))
          ? String((part as { text?: unknown }).text ?? "")
          : ""
      ).join("")
      : textOf(item.content);
    messages.push({ role, text });
  }
  const last = messages.findLastIndex((m) => m.role === "user");
  if (last === -1) return { error: "input: Invalid input" };
  return { context: [...context, ...messages.slice(0, last)], prompt: messages[last]!.text };
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

/**
 * `POST /v1/responses` (OpenResponses): text in, text out, plain or as the typed event stream
 * (`event: <type>` + `data:`), ending with `data: [DONE]`. A 404 unless
 * `gateway.http.endpoints.responses.enabled`.
 */
export function responsesRoutes(deps: OpenAiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.all("/v1/responses", async (c) => {
    const refused = admit(c.req.raw, c.env.remoteAddr, {
      enabled: deps.enabled().responses,
      method: "POST",
      authorize: deps.authorize,
    });
    if (refused) return refused;
    const read = await readJsonBody<ResponsesBody>(c.req.raw);
    if ("response" in read) return read.response;
    const body = read.body;
    const input = readInput(body);
    if ("error" in input) return openAiError(400, input.error);
    if (
      body.temperature !== undefined &&
      (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 2)
    ) {
      return openAiError(400, "temperature: Too big: expected number to be <=2");
    }
    const caller = callerRun(
      c.req.raw,
      deps.agents(),
      { model: body.model as string, user: body.user },
      "openresponses",
    );
    if ("response" in caller) return caller.response;

    const id = `resp_${crypto.randomUUID()}`;
    const messageId = `msg_${crypto.randomUUID()}`;
    const createdAt = Math.floor(Date.now() / 1000);
    const model = body.model as string;
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

    const run: RunRequest = { ...caller, message: input.prompt, idempotencyKey: id, context: input.context };

    if (!body.stream) {
      const started = deps.startRun(run);
      if (started.kind !== "accepted") return openAiError(409, "A run with this id is already in progress.");
      const outcome = await outcomeUnlessHungUp(c.req.raw, started.done, () => deps.abortRun(id));
      if (outcome.status !== "ok") {
        const { status, type } = failedRunStatus(outcome);
        return Response.json(response("failed", [], undefined, { code: type, message: outcome.error }), { status });
      }
      return Response.json(response("completed", [message(outcome.text, "completed")], outcome));
    }

    let sequence = 0;
    const sse = sseWriter(() => deps.abortRun(id));
    const emit = (type: string, data: Record<string, unknown>) =>
      sse.write(`event: ${type}\ndata: ${JSON.stringify({ type, "sequence_number": sequence++, ...data })}\n\n`);
    const part = { "item_id": messageId, "output_index": 0, "content_index": 0 };
    emit("response.created", { response: response("in_progress", []) });
    emit("response.in_progress", { response: response("in_progress", []) });
    emit("response.output_item.added", { "output_index": 0, item: message("", "in_progress") });
    emit("response.content_part.added", { ...part, part: { type: "output_text", text: "", annotations: [] } });
    const started = deps.startRun({
      ...run,
      onDelta: (delta) => emit("response.output_text.delta", { ...part, delta }),
    });
    if (started.kind === "accepted") {
      void started.done.then((outcome) => {
        if (outcome.status === "ok") {
          emit("response.output_text.done", { ...part, text: outcome.text });
          emit("response.content_part.done", {
            ...part,
            part: { type: "output_text", text: outcome.text, annotations: [] },
          });
          emit("response.output_item.done", { "output_index": 0, item: message(outcome.text, "completed") });
          emit("response.completed", {
            response: response("completed", [message(outcome.text, "completed")], outcome),
          });
        } else {
          emit("response.failed", {
            response: response("failed", [], undefined, { code: "api_error", message: outcome.error }),
          });
        }
        sse.write("data: [DONE]\n\n");
        sse.close();
      });
    }
    return sse.afterRunStarts();
  });
  return app;
}
