import { Hono } from "hono";
import { parseModelRef } from "../agent/agents_config.ts";
import { ProviderError } from "../agent/provider.ts";
import { getLogger } from "../log/logger.ts";
import { admit, agentForModel, openAiError, readJsonBody } from "./_openai_shared.ts";
import type { OpenAiDeps } from "./openai.ts";
import type { HttpEnv } from "./types.ts";

interface EmbeddingsBody {
  model?: string;
  input?: unknown;
}

/**
 * `POST /v1/embeddings`: the target agent's embedding model (`memorySearch.provider/model`), or
 * the `x-openclaw-model` override, in OpenAI's response shape. Present when chat completions or
 * responses are enabled, as in the reference.
 */
export function embeddingsRoutes(deps: OpenAiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.all("/v1/embeddings", async (c) => {
    const enabled = deps.enabled();
    const refused = admit(c.req.raw, c.env.remoteAddr, {
      enabled: enabled.chatCompletions || enabled.responses,
      method: "POST",
      authorize: deps.authorize,
    });
    if (refused) return refused;
    const read = await readJsonBody<EmbeddingsBody>(c.req.raw);
    if ("response" in read) return read.response;
    const body = read.body;
    const values = typeof body.input === "string" ? [body.input] : body.input;
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")) {
      return openAiError(400, "`input` must be a string or an array of strings.");
    }
    const agents = deps.agents();
    const target = agentForModel(agents, body.model, c.req.header("x-openclaw-agent-id") ?? null);
    if ("error" in target) return openAiError(400, target.error);
    const header = c.req.header("x-openclaw-model");
    const ref = header ? parseModelRef(header) : agents.agents.find((a) => a.id === target.agentId)?.embedding;
    if (!ref) {
      return openAiError(
        400,
        `No embedding model for agent ${target.agentId}. Set agents.defaults.memorySearch.provider and .model, or send x-openclaw-model: provider/model.`,
      );
    }
    try {
      const result = await deps.embed({ ref, values: values as string[], signal: c.req.raw.signal });
      return Response.json({
        object: "list",
        data: result.embeddings.map((embedding, index) => ({ object: "embedding", index, embedding })),
        model: body.model ?? "openclaw",
        usage: { "prompt_tokens": result.tokens, "total_tokens": result.tokens },
      });
    } catch (error) {
      const status = (error as { status?: number }).status;
      const code = status && status >= 400 ? status : 502;
      // A ProviderError's message is written for callers; any other failure's text (OS errors,
      // paths) goes to the log only.
      const shown = error instanceof ProviderError || status === 404;
      if (!shown) {
        getLogger("gateway/http").error("embeddings failed: {detail}", {
          detail: (error as Error)?.message ?? String(error),
        });
      }
      const message = shown
        ? (error as Error).message
        : "Embedding failed inside the gateway; the gateway log has the reason";
      return openAiError(code, message, code < 500 ? "invalid_request_error" : "api_error");
    }
  });
  return app;
}
