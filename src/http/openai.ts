import { Hono } from "hono";
import type { AgentsConfig, ModelRef } from "../agent/agents_config.ts";
import type { ChatMessage } from "../agent/provider.ts";
import type { RunOutcome, RunRequest, StartResult } from "../agent/runs.ts";
import type { BearerVerdict } from "../auth/http_bearer.ts";
import {
  admit,
  callerRun,
  failedRunStatus,
  openAiError,
  outcomeUnlessHungUp,
  readJsonBody,
  textOf,
} from "./_openai_shared.ts";
import { sseWriter } from "./_sse.ts";
import type { HttpEnv } from "./types.ts";

/** What the OpenAI-compatible routes need. */
export interface OpenAiDeps {
  /** `gateway.http.endpoints.*.enabled`, read per request so a reload applies at once. */
  enabled(): { chatCompletions: boolean; responses: boolean };
  authorize(request: Request, remoteAddr: string): BearerVerdict;
  agents(): AgentsConfig;
  startRun(request: RunRequest): StartResult;
  abortRun(runId: string): void;
  /** Embeds texts with a `provider/model` embedding model. */
  embed(
    input: { ref: ModelRef; values: string[]; signal: AbortSignal },
  ): Promise<{ embeddings: number[][]; tokens: number }>;
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
}

function validate(body: ChatBody): string | undefined {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  if (!messages.some((m) => m?.role === "user" && textOf(m.content).trim() !== "")) {
    return "Missing user message in `messages`.";
  }
  if (
    body.temperature !== undefined &&
    (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 2)
  ) {
    return "`temperature` must be between 0 and 2.";
  }
  if (Array.isArray(body.stop) && body.stop.length > 4) return "Invalid stop: stop supports at most 4 sequences";
  return undefined;
}

function usageOf(outcome: RunOutcome) {
  return {
    "prompt_tokens": outcome.usage.input,
    "completion_tokens": outcome.usage.output,
    "total_tokens": outcome.usage.input + outcome.usage.output,
  };
}

function finishReason(outcome: RunOutcome): string {
  return outcome.stopReason === "length" ? "length" : "stop";
}

/**
 * `GET /v1/models`, `GET /v1/models/{id}` and `POST /v1/chat/completions` in OpenAI's wire
 * format. Each is a plain 404 unless its `gateway.http.endpoints.*.enabled` flag is on; checks run
 * in the reference's order: path, method (405 before auth), auth (401/429), body, handler.
 */
export function openAiRoutes(deps: OpenAiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  /** Model listing is there whenever either chat API is. */
  const anyChatApi = () => {
    const enabled = deps.enabled();
    return enabled.chatCompletions || enabled.responses;
  };

  app.all("/v1/models", (c) => {
    const refused = admit(c.req.raw, c.env.remoteAddr, {
      enabled: anyChatApi(),
      method: "GET",
      authorize: deps.authorize,
    });
    if (refused) return refused;
    return Response.json({ object: "list", data: modelIds(deps.agents()).map(modelObject) });
  });

  app.all("/v1/models/:id{.+}", (c) => {
    const refused = admit(c.req.raw, c.env.remoteAddr, {
      enabled: anyChatApi(),
      method: "GET",
      authorize: deps.authorize,
    });
    if (refused) return refused;
    let id: string;
    try {
      id = decodeURIComponent(c.req.param("id"));
    } catch {
      return openAiError(400, "Invalid model id encoding.");
    }
    if (!/^openclaw(\/|$)/i.test(id)) return openAiError(400, "Invalid model id.");
    return modelIds(deps.agents()).includes(id)
      ? Response.json(modelObject(id))
      : openAiError(404, `Model '${id}' not found.`);
  });

  app.all("/v1/chat/completions", async (c) => {
    const refused = admit(c.req.raw, c.env.remoteAddr, {
      enabled: deps.enabled().chatCompletions,
      method: "POST",
      authorize: deps.authorize,
    });
    if (refused) return refused;
    const read = await readJsonBody<ChatBody>(c.req.raw);
    if ("response" in read) return read.response;
    const body = read.body;
    const problem = validate(body);
    if (problem) return openAiError(400, problem);
    const caller = callerRun(c.req.raw, deps.agents(), body, "openai");
    if ("response" in caller) return caller.response;
    const runId = `chatcmpl_${crypto.randomUUID()}`;
    const messages = (body.messages ?? []).filter((m) => m && ["system", "user", "assistant"].includes(String(m.role)));
    const lastUser = messages.findLastIndex((m) => m.role === "user");
    const context: ChatMessage[] = messages.slice(0, lastUser).map((m) => ({
      role: m.role as ChatMessage["role"],
      text: textOf(m.content),
    }));
    const created = Math.floor(Date.now() / 1000);
    const echoModel = body.model ?? "openclaw";
    const base = { id: runId, object: "chat.completion.chunk", created, model: echoModel };
    const run: RunRequest = { ...caller, message: textOf(messages[lastUser]!.content), idempotencyKey: runId, context };

    if (!body.stream) {
      const started = deps.startRun(run);
      if (started.kind !== "accepted") return openAiError(409, "A run with this id is already in progress.");
      const outcome = await outcomeUnlessHungUp(c.req.raw, started.done, () => deps.abortRun(runId));
      if (outcome.status !== "ok") {
        const { status, type } = failedRunStatus(outcome);
        return openAiError(status, outcome.error ?? "agent run failed", type);
      }
      return Response.json({
        id: runId,
        object: "chat.completion",
        created,
        model: echoModel,
        choices: [{
          index: 0,
          message: { role: "assistant", content: outcome.text },
          "finish_reason": finishReason(outcome),
        }],
        usage: usageOf(outcome),
      });
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const sse = sseWriter(() => deps.abortRun(runId));
    const send = (value: unknown) =>
      sse.write(`data: ${typeof value === "string" ? value : JSON.stringify(value)}\n\n`);
    send({ ...base, choices: [{ index: 0, delta: { role: "assistant" }, "finish_reason": null }] });
    const started = deps.startRun({
      ...run,
      onDelta: (delta) => send({ ...base, choices: [{ index: 0, delta: { content: delta }, "finish_reason": null }] }),
    });
    if (started.kind === "accepted") {
      void started.done.then((outcome) => {
        if (outcome.status === "ok") {
          send({ ...base, choices: [{ index: 0, delta: {}, "finish_reason": finishReason(outcome) }] });
          if (includeUsage) send({ ...base, choices: [], usage: usageOf(outcome) });
        } else {
          // Mid-stream failures go in-band: the status line was already sent as 200.
          send({ error: { message: outcome.error ?? "agent run failed", type: "invalid_request_error" } });
        }
        send("[DONE]");
        sse.close();
      });
    }
    return sse.afterRunStarts();
  });
  return app;
}
