import { getLogger } from "../log/logger.ts";
import { ANTHROPIC_MESSAGES_APIS, OPENAI_COMPATIBLE_APIS } from "../config/model_apis.ts";
import type { ProviderSpec } from "./agents_config.ts";
import { compactFetch } from "./compact_fetch.ts";
import { modelPrompt, modelTools, type OfferedTool, type PromptMessage } from "./model_prompt.ts";
import { anthropicToolIds } from "./wire_tool_ids.ts";
import { RunError } from "./run_error.ts";
import { providerRetryAfterMs, retryAfterMs } from "./transient_retry.ts";
import { redactionPatterns, redactText } from "../log/redact.ts";
import type { LeanChatModel, PartSource } from "./lean_chat_model.ts";
import { buildLeanModel } from "./lean_model_build.ts";
import type { UpstreamPool } from "./upstream_pool.ts";

export type { ChatMessage, ModelToolCall, OfferedTool, PromptMessage, ToolResultMessage } from "./model_prompt.ts";

/** What a streaming completion yields. */
export type CompletionPart =
  | { type: "delta"; text: string }
  /** The model asks for a tool: the call's id, the tool's name and its arguments as the JSON text the model wrote. */
  | { type: "tool-call"; id: string; name: string; input: string }
  /** A piece of the model's thinking (reasoning), with the provider's signature when it sent one (Anthropic). */
  | { type: "thinking"; text: string; signature?: string | undefined }
  /** What the provider said of its response: its id and the model that answered. */
  | { type: "response"; id?: string | undefined; model?: string | undefined }
  | { type: "finish"; finishReason: string; usage: TokenUsage };

/** Tokens of one model call; the prompt-cache counts when the provider reports them. */
export interface TokenUsage {
  input: number;
  output: number;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
}

/** What a caller is told for an upstream HTTP status: its kind, never the upstream's words. */
export function upstreamStatusMessage(status: number): string {
  const what = status === 401 || status === 403
    ? "the model provider refused the gateway's credentials"
    : status === 404
    ? "the model provider does not know this model"
    : status === 408 || status === 429
    ? "the model provider is busy or rate limiting"
    : status >= 500
    ? "the model provider failed"
    : "the model provider rejected the request";
  return `${status} ${what}`;
}

/** The reference's words of an overloaded provider (its `overloaded` error patterns). */
const OVERLOADED_WORDS =
  /overloaded|\b(?:selected\s+)?model\s+(?:is\s+)?at capacity\b|\bservice(?:[_ ]temporarily)?[_ ]unavailable\b|high demand|high load/i;

/** Upstream bodies can be long; the log keeps enough to diagnose. */
const MAX_DETAIL_CHARS = 2000;

function logDetail(provider: ProviderSpec, model: string, detail: string): void {
  // Placeholders, not interpolation: an upstream body's braces would read as placeholders.
  getLogger("agent/provider").warn("model call to {provider}/{model} ({url}) failed: {detail}", {
    provider: provider.id,
    model,
    url: provider.baseUrl,
    detail: detail.slice(0, MAX_DETAIL_CHARS),
  });
}

const SUPPORTED_APIS = OPENAI_COMPATIBLE_APIS;
const ANTHROPIC_APIS = ANTHROPIC_MESSAGES_APIS;

/**
 * The Anthropic SDK's base URL for a provider's `baseUrl`: the reference writes Anthropic's without
 * `/v1` (`https://api.anthropic.com`) and its client adds `/v1/messages`; ours adds `/messages`, so
 * `/v1` is added unless the URL already ends with it (as configs written for this gateway do).
 */
export function anthropicSdkBaseUrl(baseUrl: string): string {
  return /\/v1$/.test(baseUrl) ? baseUrl : `${baseUrl}/v1`;
}

/** The `ai` SDK model for a provider: Anthropic's Messages API, or any OpenAI-compatible endpoint. */
async function buildLanguageModel(provider: ProviderSpec, model: string) {
  if (ANTHROPIC_APIS.has(provider.api)) {
    const { createAnthropic } = await import("@ai-sdk/anthropic");
    return createAnthropic({
      baseURL: anthropicSdkBaseUrl(provider.baseUrl),
      ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
      headers: provider.headers,
      fetch: compactFetch,
    })(model);
  }
  const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
  return createOpenAICompatible({
    name: provider.id,
    baseURL: provider.baseUrl,
    ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
    headers: provider.headers,
    includeUsage: true,
    fetch: compactFetch,
  })(model);
}

type LanguageModel = Awaited<ReturnType<typeof buildLanguageModel>>;

/**
 * The build for `provider` and `model` in `cache`, started on first use; a failed build (the package did not load) is
 * retried by the next run, not remembered.
 */
function builtOnce<T>(
  cache: WeakMap<ProviderSpec, Map<string, Promise<T>>>,
  provider: ProviderSpec,
  model: string,
  build: () => Promise<T>,
): Promise<T> {
  let byModel = cache.get(provider);
  if (!byModel) {
    byModel = new Map();
    cache.set(provider, byModel);
  }
  let built = byModel.get(model);
  if (!built) {
    built = build();
    byModel.set(model, built);
    built.catch(() => byModel.delete(model));
  }
  return built;
}

/**
 * Provider models, each built once per provider spec and model id. Building one is not free:
 * the provider packages compile their response schemas in the model's constructor, which cost
 * about 0.7 ms on every request when a model was built per run. Entries are keyed by the spec
 * object, which a config change replaces, so a reload (a new key or URL) builds fresh models and
 * the old ones go with the old snapshot.
 */
export class ProviderModels {
  #built = new WeakMap<ProviderSpec, Map<string, Promise<LanguageModel>>>();
  #lean = new WeakMap<ProviderSpec, Map<string, Promise<LeanChatModel | undefined>>>();
  readonly #useLean: boolean;
  readonly #loadPool: (() => Promise<UpstreamPool | undefined>) | undefined;
  #pool: Promise<UpstreamPool | undefined> | undefined;

  /**
   * `lean: false` sends every call through the SDK's models (the tests' oracle). `upstream` makes the
   * kept-alive connections the lean models send over (upstream_pool.ts), called with the first lean
   * model (off the start path); without it, or when it gives none, they send through `fetch`.
   */
  constructor(options: { lean?: boolean; upstream?: (() => Promise<UpstreamPool | undefined>) | undefined } = {}) {
    this.#useLean = options.lean ?? true;
    this.#loadPool = options.upstream;
  }

  /** Closes the kept-alive connections, if any were made (gateway stop); later models send through `fetch`. */
  close(): void {
    void this.#pool?.then((pool) => pool?.close());
    this.#pool = Promise.resolve(undefined);
  }

  /** The lean chat model for an OpenAI-compatible `provider` and `model`, built on first use; none otherwise. */
  lean(provider: ProviderSpec, model: string, sdk: LanguageModel): Promise<LeanChatModel | undefined> {
    if (!this.#useLean || !SUPPORTED_APIS.has(provider.api)) return Promise.resolve(undefined);
    return builtOnce(this.#lean, provider, model, async () => {
      this.#pool ??= this.#loadPool?.().catch(() => undefined) ?? Promise.resolve(undefined);
      return buildLeanModel(provider, model, sdk, await this.#pool);
    });
  }

  /** The model for `provider` and `model`, built on first use. */
  get(provider: ProviderSpec, model: string): Promise<LanguageModel> {
    return builtOnce(this.#built, provider, model, () => buildLanguageModel(provider, model));
  }
}

/** An error's message with its causes', so the log says why a stream broke off (the SDK's own words are generic). */
function messageChain(error: Error): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let at: unknown = error; at instanceof Error && !seen.has(at); at = at.cause) {
    seen.add(at);
    parts.push(at.message);
  }
  return parts.join(": ");
}

/** The longest provider detail kept on a run error (the reference bounds its own at 4,096). */
const MAX_PROVIDER_DETAIL_CHARS = 600;

/**
 * The provider's account of a failure as the reference words it (`<status> <message>`, a retry-after header as
 * `; Retry-After: N seconds`), single-spaced, bounded, and with the provider's key masked: an upstream may echo it.
 */
function providerDetail(provider: ProviderSpec, text: string, retryAfterHeader?: string): string {
  const waitMs = retryAfterMs(retryAfterHeader, Date.now());
  const suffix = waitMs === undefined ? "" : `; Retry-After: ${Math.ceil(waitMs / 1000)} seconds`;
  const bounded = text.replace(/\s+/g, " ").trim().slice(0, MAX_PROVIDER_DETAIL_CHARS - suffix.length) + suffix;
  const secrets = provider.apiKey ? [provider.apiKey] : [];
  return redactText(bounded, redactionPatterns({ secrets, credentialKeys: [] }));
}

function describe(
  error: unknown,
  provider: ProviderSpec,
  model: string,
  signals: { user: AbortSignal; timeout: AbortSignal },
): RunError {
  if (error instanceof RunError) return error;
  if (signals.user.aborted) return new RunError("aborted", "This operation was aborted", { cause: error });
  if (signals.timeout.aborted) {
    return new RunError("timeout", `Model ${provider.id}/${model} did not answer within ${provider.timeoutMs}ms`, {
      cause: error,
    });
  }
  // The SDK's `APICallError` with a success status: the answer began and its stream broke off (a dropped
  // connection mid-answer). That is no refusal by the provider: the connection failed, as an unreachable one.
  if (
    error instanceof Error && "statusCode" in error && typeof error.statusCode === "number" && error.statusCode < 300
  ) {
    logDetail(provider, model, `HTTP ${error.statusCode} answer broke off: ${messageChain(error)}`);
    // "terminated": what the reference's fetch says of a connection that dropped mid-answer.
    return new RunError(
      "unreachable",
      `Model provider ${provider.id} closed the connection before its answer was complete`,
      { cause: error, providerDetail: "terminated" },
    );
  }
  // The SDK's `APICallError`: an HTTP answer, its status and body.
  if (error instanceof Error && "statusCode" in error && typeof error.statusCode === "number") {
    const body = "responseBody" in error && typeof error.responseBody === "string" ? error.responseBody : "";
    logDetail(provider, model, `HTTP ${error.statusCode}: ${error.message} ${body}`.trim());
    const headers = "responseHeaders" in error && error.responseHeaders && typeof error.responseHeaders === "object"
      ? error.responseHeaders as Record<string, string>
      : {};
    return new RunError("upstream", upstreamStatusMessage(error.statusCode), {
      status: error.statusCode,
      cause: error,
      retryAfterMs: providerRetryAfterMs(headers["retry-after"], `${error.message} ${body}`, Date.now()),
      // The reference reads the provider's words for this one class (its "overloaded" patterns).
      overloaded: OVERLOADED_WORDS.test(`${error.message} ${body}`),
      providerDetail: providerDetail(provider, `${error.statusCode} ${error.message}`, headers["retry-after"]),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  logDetail(provider, model, message);
  if (/fetch|connect|ECONNREFUSED|network|dns|socket/i.test(message)) {
    return new RunError("unreachable", `Model provider ${provider.id} is unreachable`, {
      cause: error,
      // The reference's fetch words for a connection that could not be made.
      providerDetail: "fetch failed",
    });
  }
  return new RunError("model_failed", `Model call to ${provider.id}/${model} failed`, { cause: error });
}

/**
 * Streams a completion from an OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp,
 * LM Studio) or Anthropic's Messages API through the `ai` SDK's provider packages, loaded on the first run so an idle
 * gateway does not pay for them. Cancellation and the provider's timeout both end the stream with a {@link RunError}.
 */
export async function* streamCompletion(input: {
  provider: ProviderSpec;
  model: string;
  messages: PromptMessage[];
  signal: AbortSignal;
  models: ProviderModels;
  /** The tools the model may call in this step; none offered when absent or empty. */
  tools?: readonly OfferedTool[] | undefined;
  /** Per-provider request options (the thinking level: `reasoning_effort`, Anthropic `thinking`). */
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  /** The answer's token limit, when the thinking level sets one (Anthropic adds its budget on top). */
  maxOutputTokens?: number | undefined;
}): AsyncGenerator<CompletionPart> {
  const { provider, model } = input;
  if (!SUPPORTED_APIS.has(provider.api) && !ANTHROPIC_APIS.has(provider.api)) {
    throw new RunError(
      "unsupported",
      `Provider ${provider.id} uses api "${provider.api}", which this gateway does not speak; use "openai-completions" (OpenAI-compatible) or "anthropic-messages"`,
    );
  }
  const timeout = AbortSignal.timeout(provider.timeoutMs);
  const signals = { user: input.signal, timeout };
  // The provider model's own stream, without `streamText`'s orchestration (steps, tools, retries,
  // telemetry): that layer cost about 2 ms per request and nothing here uses it.
  const languageModel = await input.models.get(provider, model);
  const anthropic = ANTHROPIC_APIS.has(provider.api);
  // Ids from another provider's steps go to Anthropic in a form it accepts, calls and results alike.
  const prompt = modelPrompt(input.messages, {
    replayThinking: anthropic,
    ...(anthropic ? { toolIds: anthropicToolIds() } : {}),
    target: { provider: provider.id, api: provider.api, model },
  });
  const tools = input.tools && input.tools.length > 0 ? modelTools(input.tools) : undefined;
  const aborted = AbortSignal.any([input.signal, timeout]);
  let cancelRead: ((reason: unknown) => Promise<void>) | undefined;
  // The abort reaches fetch, but an upstream that keeps its stream alive (SSE comments, keep-alive
  // chunks) after the headers is not cut by it: cancelling the reader ends the read loop.
  const cancel = () => void cancelRead?.(aborted.reason).catch(() => {});
  aborted.addEventListener("abort", cancel, { once: true });
  let ended = false;
  try {
    const call = {
      prompt,
      ...(tools ? { tools } : {}),
      // deno-lint-ignore no-explicit-any -- the SDK types provider options as JSON values; ours are.
      ...(input.providerOptions ? { providerOptions: input.providerOptions as any } : {}),
      ...(input.maxOutputTokens ? { maxOutputTokens: input.maxOutputTokens } : {}),
    };
    // The lean model takes the calls it sends exactly as the SDK would, decided before sending.
    const lean = anthropic ? undefined : await input.models.lean(provider, model, languageModel);
    const request = lean?.accepts(call);
    let source: PartSource;
    if (lean && request) source = await lean.stream(request, aborted);
    else {
      const { stream } = await languageModel.doStream({ ...call, abortSignal: aborted });
      const reader = stream.getReader();
      source = { next: () => reader.read(), cancel: (reason) => reader.cancel(reason) };
    }
    cancelRead = (reason) => source.cancel(reason);
    if (aborted.aborted) cancel();
    for (let read = await source.next(); !read.done; read = await source.next()) {
      const part = read.value;
      if (part.type === "text-delta") yield { type: "delta", text: part.delta };
      else if (part.type === "reasoning-delta") {
        const signature = part.providerMetadata?.anthropic?.signature;
        yield { type: "thinking", text: part.delta, ...(typeof signature === "string" ? { signature } : {}) };
      } else if (part.type === "tool-call") {
        yield { type: "tool-call", id: part.toolCallId, name: part.toolName, input: part.input };
      } else if (part.type === "error") throw part.error;
      else if (part.type === "response-metadata") yield { type: "response", id: part.id, model: part.modelId };
      else if (part.type === "finish") {
        yield {
          type: "finish",
          // The reference's stop reason for a step that called tools.
          finishReason: part.finishReason.unified === "tool-calls" ? "toolUse" : part.finishReason.unified,
          usage: {
            input: part.usage.inputTokens.total ?? 0,
            output: part.usage.outputTokens.total ?? 0,
            cacheRead: part.usage.inputTokens.cacheRead,
            cacheWrite: part.usage.inputTokens.cacheWrite,
          },
        };
      }
    }
    ended = true;
  } catch (error) {
    throw describe(error, provider, model, signals);
  } finally {
    aborted.removeEventListener("abort", cancel);
    // Left before its end (an error part, a failed read, a caller gone): the upstream's body goes now, not at the timeout.
    if (!ended) cancel();
  }
  // A stream cut by an abort can end without an error part; say which abort it was.
  if (input.signal.aborted || timeout.aborted) throw describe(new Error("aborted"), provider, model, signals);
}

/**
 * Embeds texts with an OpenAI-compatible embedding model through the `ai` SDK. Failures become
 * a {@link RunError} with the upstream status, like completions.
 */
export async function embedTexts(input: {
  provider: ProviderSpec;
  model: string;
  values: string[];
  signal: AbortSignal;
}): Promise<{ embeddings: number[][]; tokens: number }> {
  const { provider, model } = input;
  if (!SUPPORTED_APIS.has(provider.api)) {
    throw new RunError(
      "unsupported",
      `Provider ${provider.id} uses api "${provider.api}", which has no embeddings here`,
    );
  }
  const timeout = AbortSignal.timeout(provider.timeoutMs);
  const [{ embedMany }, { createOpenAICompatible }] = await Promise.all([
    import("ai"),
    import("@ai-sdk/openai-compatible"),
  ]);
  const client = createOpenAICompatible({
    name: provider.id,
    baseURL: provider.baseUrl,
    ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
    headers: provider.headers,
  });
  try {
    const result = await embedMany({
      model: client.embeddingModel(model),
      values: input.values,
      maxRetries: 0,
      abortSignal: AbortSignal.any([input.signal, timeout]),
    });
    return { embeddings: result.embeddings, tokens: result.usage?.tokens ?? 0 };
  } catch (error) {
    throw describe(error, provider, model, { user: input.signal, timeout });
  }
}
