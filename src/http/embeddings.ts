import { Hono } from "hono";
import { parseModelRef } from "../agent/agents_config.ts";
import { RunError } from "../agent/run_error.ts";
import { getLogger } from "../log/logger.ts";
import { admission } from "./admission.ts";
import { agentForModel } from "./caller_run.ts";
import { apiError } from "./http_error.ts";
import { readJsonBody } from "./json_body.ts";
import { eitherChatApi, type OpenAiDeps } from "./openai.ts";
import type { HttpEnv } from "./types.ts";

interface EmbeddingsBody {
  model?: string;
  input?: unknown;
}

/** The values to embed: `input` as a string or a non-empty array of strings, else undefined. */
function valuesOf(input: unknown): string[] | undefined {
  const values: unknown[] = typeof input === "string" ? [input] : Array.isArray(input) ? input : [];
  const strings = values.filter((v) => typeof v === "string");
  return strings.length > 0 && strings.length === values.length ? strings : undefined;
}

/**
 * A failed embedding as the caller sees it: a {@link RunError}'s message (written for callers)
 * at the status its kind carries, else 502; any other failure's text (OS errors, paths) goes to
 * the log only.
 */
function embeddingFailure(error: unknown) {
  if (!(error instanceof RunError)) {
    getLogger("gateway/http").error("embeddings failed: {detail}", {
      detail: error instanceof Error ? error.message : String(error),
    });
    return apiError(502, "Embedding failed inside the gateway; the gateway log has the reason", "api_error");
  }
  // No key for the provider: 401 `authentication_error`, as a chat run without one answers.
  if (error.kind === "no_credentials") return apiError(401, error.message, "authentication_error");
  const status = error.status !== undefined && error.status >= 400 ? error.status : 502;
  return apiError(status, error.message, status < 500 ? "invalid_request_error" : "api_error");
}

/**
 * `POST /v1/embeddings`: the target agent's embedding model (`memorySearch.provider/model`), or
 * the `x-openclaw-model` override, in OpenAI's response shape. Present when chat completions or
 * responses are enabled, as in the reference.
 */
export function embeddingsRoutes(deps: OpenAiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const admitted = admission({
    enabled: () => eitherChatApi(deps),
    method: "POST",
    authorize: deps.authorize,
    work: deps.work,
  });
  app.all("/v1/embeddings", admitted, async (c) => {
    const body = await readJsonBody<EmbeddingsBody>(c.req.raw);
    const values = valuesOf(body.input);
    if (!values) throw apiError(400, "`input` must be a string or an array of strings.");
    const agents = deps.agents();
    const agentId = agentForModel(agents, body.model, c.req.header("x-openclaw-agent-id") ?? null);
    const header = c.req.header("x-openclaw-model");
    const ref = header ? parseModelRef(header) : agents.agents.find((a) => a.id === agentId)?.embedding;
    if (!ref) {
      throw apiError(
        400,
        `No embedding model for agent ${agentId}. Set agents.defaults.memorySearch.provider and .model, or send x-openclaw-model: provider/model.`,
      );
    }
    let result: Awaited<ReturnType<OpenAiDeps["embed"]>>;
    try {
      result = await deps.embed({ ref, values, signal: c.req.raw.signal });
    } catch (error) {
      throw embeddingFailure(error);
    }
    return Response.json({
      object: "list",
      data: result.embeddings.map((embedding, index) => ({ object: "embedding", index, embedding })),
      model: body.model ?? "openclaw",
      usage: { "prompt_tokens": result.tokens, "total_tokens": result.tokens },
    });
  });
  return app;
}
