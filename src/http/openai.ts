import { Hono } from "hono";
import type { AgentsConfig, ModelRef } from "../agent/agents_config.ts";
import type { ChatMessage } from "../agent/provider.ts";
import type { RunOutcome, RunRequest, StartResult } from "../agent/runs.ts";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import type { HttpMediaLimits } from "../config/resolve_http_media.ts";
import { admission } from "./admission.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import { activeTurnImageUrls, chatMedia, IMAGE_ONLY_USER_MESSAGE } from "./chat_images.ts";
import { type ChatAnswer, chatApiRoute, type ChatAsk, textOf } from "./chat_api.ts";
import { contentDeltaFramer } from "./chat_chunk_frame.ts";
import { chatToolInput, wantsToolPath } from "./chat_tool_turns.ts";
import { toolCallChunks, toolCallsMessage } from "./chat_tool_calls.ts";
import { apiError } from "./http_error.ts";
import { heldText } from "./tool_run_outcome.ts";
import type { HttpEnv } from "./types.ts";

/** What the OpenAI-compatible routes need. */
export interface OpenAiDeps {
  /** `gateway.http.endpoints.*.enabled`, read per request so a reload applies at once. */
  enabled(): { chatCompletions: boolean; responses: boolean };
  authorize(request: Request, remoteAddr: string): BearerVerdict;
  agents(): AgentsConfig;
  startRun(request: RunRequest): StartResult;
  abortRun(runId: string): void;
  /** The media limits in force (`gateway.http.endpoints.*.images`/`files`); absent: media parts refused. */
  media?: (() => HttpMediaLimits) | undefined;
  /** Embeds texts with a `provider/model` embedding model. */
  embed(
    input: { ref: ModelRef; values: string[]; signal: AbortSignal },
  ): Promise<{ embeddings: number[][]; tokens: number }>;
  /** The work admission fence (503 while a host suspension holds). */
  work?: WorkAdmission | undefined;
}

/** The model ids `/v1/models` lists: `openclaw`, `openclaw/default`, one `openclaw/<agentId>` per agent. */
export function modelIds(agents: AgentsConfig): string[] {
  return ["openclaw", "openclaw/default", ...agents.agents.map((a) => `openclaw/${a.id}`)];
}

function modelObject(id: string) {
  return { id, object: "model", created: 0, "owned_by": "openclaw", permission: [] };
}

interface ChatBody {
  model?: string;
  messages?: { role?: string; content?: unknown }[];
  stream?: boolean | null;
  "stream_options"?: { "include_usage"?: boolean };
  user?: string;
  temperature?: number;
  stop?: string | string[];
  tools?: unknown;
  "tool_choice"?: unknown;
}

const CONTEXT_ROLES: readonly string[] = ["system", "user", "assistant"];

function isContextRole(role: string | undefined): role is ChatMessage["role"] {
  return role !== undefined && CONTEXT_ROLES.includes(role);
}

/** Validates a chat completions body (the reference's 400s, in its order) into the run's input. */
function parseChat(body: ChatBody): ChatAsk {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const imageUrls = activeTurnImageUrls(messages);
  if (!imageUrls && !messages.some((m) => m?.role === "user" && textOf(m.content).trim() !== "")) {
    throw apiError(400, "Missing user message in `messages`.");
  }
  if (
    body.temperature !== undefined &&
    (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 2)
  ) {
    throw apiError(400, "`temperature` must be between 0 and 2.");
  }
  if (Array.isArray(body.stop) && body.stop.length > 4) {
    throw apiError(400, "Invalid stop: stop supports at most 4 sequences");
  }
  // The caller's tools or tool turns take their own path (chat_tool_turns.ts); a plain chat stays on this one.
  if (wantsToolPath(body)) {
    const input = chatToolInput(body);
    return {
      model: body.model,
      user: body.user,
      stream: Boolean(body.stream),
      ...input,
      ...(imageUrls ? { message: input.message.trim() || IMAGE_ONLY_USER_MESSAGE, media: chatMedia(imageUrls) } : {}),
    };
  }
  const kept = messages.filter((m) => m && isContextRole(String(m.role)));
  const lastUser = kept.findLastIndex((m) => m.role === "user");
  const context: ChatMessage[] = [];
  for (const m of kept.slice(0, lastUser)) {
    if (isContextRole(m.role)) context.push({ role: m.role, text: textOf(m.content) });
  }
  return {
    model: body.model,
    user: body.user,
    message: imageUrls
      ? textOf(kept[lastUser]!.content).trim() || IMAGE_ONLY_USER_MESSAGE
      : textOf(kept[lastUser]!.content),
    context,
    stream: Boolean(body.stream),
    ...(imageUrls ? { media: chatMedia(imageUrls) } : {}),
  };
}

function usageOf(outcome: RunOutcome) {
  return {
    "prompt_tokens": outcome.usage.input,
    "completion_tokens": outcome.usage.output,
    "total_tokens": outcome.usage.input + outcome.usage.output,
  };
}

function finishReason(outcome: RunOutcome): string {
  if (outcome.pendingToolCalls?.length) return "tool_calls";
  return outcome.stopReason === "length" ? "length" : "stop";
}

/** Chat completions' framing: one `chat.completion`, or `chat.completion.chunk` events ending in `[DONE]`. */
function chatAnswer(body: ChatBody, ask: ChatAsk, runId: string): ChatAnswer {
  const created = Math.floor(Date.now() / 1000);
  const echoModel = body.model ?? "openclaw";
  const base = { id: runId, object: "chat.completion.chunk" as const, created, model: echoModel };
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (send: (data: string) => void, fields: Record<string, unknown>) =>
    send(JSON.stringify({ ...base, ...fields }));
  // One per chunk of the answer: written around the content, the same bytes (chat_chunk_frame.ts).
  const contentDelta = contentDeltaFramer(base);
  // Under a `tool_choice` constraint the reference holds the text back and sends it whole at the end.
  const holdText = ask.tools?.constraint !== undefined;
  return {
    ok: (outcome) =>
      Response.json({
        id: runId,
        object: "chat.completion",
        created,
        model: echoModel,
        choices: [{
          index: 0,
          // Every step's text, as the stream sends it (`text` alone is the last step's); calls handed back: chat_tool_calls.ts.
          message: outcome.pendingToolCalls?.length
            ? toolCallsMessage(outcome)
            : { role: "assistant", content: outcome.shownText ?? outcome.text },
          "finish_reason": finishReason(outcome),
        }],
        usage: usageOf(outcome),
      }),
    failed: (outcome, { status, type }) => {
      throw apiError(status, outcome.error ?? "agent run failed", type);
    },
    opening: (send) => chunk(send, { choices: [{ index: 0, delta: { role: "assistant" }, "finish_reason": null }] }),
    delta: (send, delta) => {
      if (!holdText) send(contentDelta(delta));
    },
    closing: (send, outcome, failure) => {
      if (outcome.status === "ok") {
        const held = holdText ? heldText(outcome) : "";
        if (held) send(contentDelta(held));
        if (outcome.pendingToolCalls?.length) toolCallChunks(send, base, outcome.pendingToolCalls);
        chunk(send, { choices: [{ index: 0, delta: {}, "finish_reason": finishReason(outcome) }] });
        if (includeUsage) chunk(send, { choices: [], usage: usageOf(outcome) });
      } else {
        send(
          JSON.stringify({
            error: { message: outcome.error ?? "agent run failed", type: failure?.type ?? "invalid_request_error" },
          }),
        );
      }
      send("[DONE]");
    },
  };
}

/** Whether either chat API is enabled: model listing and embeddings are served whenever one is. */
export function eitherChatApi(deps: Pick<OpenAiDeps, "enabled">): boolean {
  const enabled = deps.enabled();
  return enabled.chatCompletions || enabled.responses;
}

/**
 * `GET /v1/models`, `GET /v1/models/{id}` and `POST /v1/chat/completions` in OpenAI's wire
 * format. Each is a plain 404 unless its `gateway.http.endpoints.*.enabled` flag is on; checks run
 * in the reference's order: path, method (405 before auth), auth (401/429), body, handler.
 */
export function openAiRoutes(deps: OpenAiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  /** Model listing is there whenever either chat API is. */
  const listing = admission({
    enabled: () => eitherChatApi(deps),
    method: "GET",
    authorize: deps.authorize,
    work: deps.work,
  });

  app.all("/v1/models", listing, () => {
    return Response.json({ object: "list", data: modelIds(deps.agents()).map(modelObject) });
  });

  app.all("/v1/models/:id{.+}", listing, (c) => {
    let id: string;
    try {
      id = decodeURIComponent(c.req.param("id"));
    } catch {
      throw apiError(400, "Invalid model id encoding.");
    }
    if (!/^openclaw(\/|$)/i.test(id)) throw apiError(400, "Invalid model id.");
    if (!modelIds(deps.agents()).includes(id)) throw apiError(404, `Model '${id}' not found.`);
    return Response.json(modelObject(id));
  });

  chatApiRoute<ChatBody>(app, deps, {
    path: "/v1/chat/completions",
    enabled: (endpoints) => endpoints.chatCompletions,
    namespace: "openai",
    idPrefix: "chatcmpl_",
    parse: parseChat,
    answer: (body, ask, runId) => chatAnswer(body, ask, runId),
  });
  return app;
}
