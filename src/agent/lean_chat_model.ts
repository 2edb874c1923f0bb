// A lean OpenAI-compatible chat model (docs/decisions/0017): the request and the SSE answer handled
// here, as @ai-sdk/openai-compatible 3.0.92 handles them, for the calls it takes; the SDK's model
// keeps every other call, and lends this one its error handler and chunk schema for the rare paths.
import { APICallError, type LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { isAbortError } from "@ai-sdk/provider-utils";
import { type ChunkSchema, leanChunkReader, type LeanPart } from "./lean_chat_chunks.ts";
import { type LeanCall, leanChatRequest, type SchemaTexts } from "./lean_chat_request.ts";
import { sseDataReader } from "./sse_data.ts";
import { answerOfResponse, type UpstreamAnswer } from "./upstream_answer.ts";
import type { UpstreamPool } from "./upstream_pool.ts";

/** What the lean model needs of a provider: its settings as the SDK's provider factory takes them. */
export interface LeanProviderSettings {
  name: string;
  baseURL: string;
  apiKey?: string | undefined;
  headers: Record<string, string>;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** The gateway's kept-alive connections (upstream_pool.ts); without it every request goes through `fetch`. */
  pool?: UpstreamPool | undefined;
}

/** A stream of parts with a way to stop it (the read loop's cancel). */
export interface PartSource {
  next(): Promise<ReadableStreamReadResult<LanguageModelV4StreamPart>>;
  cancel(reason: unknown): Promise<void>;
}

// deno-lint-ignore no-explicit-any -- the SDK's failed-response handler, handed back to it as it is.
type FailedResponseHandler = (options: { response: Response; url: string; requestBodyValues: unknown }) => any;

// The versions the SDK names itself with in the user agent (the pinned packages').
const SDK_AGENT = "ai-sdk-openai-compatible/3.0.92";
const UTILS_AGENT = "ai-sdk-provider-utils/5.0.81";
const RETRYABLE_CODES = new Set([
  "ConnectionRefused",
  "ConnectionClosed",
  "FailedToOpenSocket",
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** The headers as the SDK hands them to fetch: lower-cased through `Headers`, user agent extended twice. */
function requestHeaders(settings: LeanProviderSettings): Record<string, string> {
  const withAgent = (headers: Record<string, string | undefined>, ...parts: string[]) => {
    const normalized: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) if (value != null) normalized[key.toLowerCase()] = value;
    const merged = new Headers(normalized);
    merged.set("user-agent", [merged.get("user-agent") || "", ...parts].filter(Boolean).join(" "));
    return Object.fromEntries(merged.entries());
  };
  const provider = withAgent(
    { ...(settings.apiKey && { Authorization: `Bearer ${settings.apiKey}` }), ...settings.headers },
    SDK_AGENT,
  );
  const agent = (globalThis.navigator?.userAgent ?? "").toLowerCase();
  return withAgent({ "Content-Type": "application/json", ...provider }, UTILS_AGENT, agent);
}

/** The SDK's `handleFetchError`: a network failure becomes an `APICallError` it marks retryable. */
function fetchError(error: unknown, url: string, values: unknown): unknown {
  if (isAbortError(error)) return error;
  if (error instanceof TypeError && ["fetch failed", "failed to fetch"].includes(error.message.toLowerCase())) {
    const cause = error.cause;
    if (cause != null) {
      const message = cause instanceof Error ? cause.message : (cause as { message?: unknown }).message;
      return new APICallError({
        message: `Cannot connect to API: ${message}`,
        cause,
        url,
        requestBodyValues: values,
        isRetryable: true,
      });
    }
  }
  const seen = new Set<Error>();
  let network: (Error & { code?: unknown }) | undefined;
  for (let at: unknown = error; at instanceof Error && !seen.has(at); at = at.cause) {
    seen.add(at);
    const code = (at as Error & { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_CODES.has(code)) {
      network = at;
      break;
    }
  }
  if (!network) return error;
  if (APICallError.isInstance(error)) {
    return new APICallError({
      message: error.message,
      cause: error.cause,
      url: error.url,
      requestBodyValues: error.requestBodyValues,
      statusCode: error.statusCode,
      responseHeaders: error.responseHeaders,
      responseBody: error.responseBody,
      data: error.data,
      isRetryable: true,
    });
  }
  return new APICallError({
    message: `Cannot connect to API: ${error instanceof Error ? error.message : network.message}`,
    cause: error,
    url,
    requestBodyValues: values,
    isRetryable: true,
  });
}

/**
 * The lean chat model of one provider and model id. `accepts` decides, before anything is sent,
 * whether a call is one this model sends exactly as the SDK would; `stream` sends it and reads the
 * answer as the SDK's `doStream` would, without its web-stream stages and zod on each chunk.
 */
export class LeanChatModel {
  readonly #modelId: string;
  readonly #optionsName: string;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: LeanProviderSettings["fetch"];
  readonly #pool: UpstreamPool | undefined;
  readonly #schema: ChunkSchema;
  readonly #failed: FailedResponseHandler;
  readonly #schemaTexts: SchemaTexts = new WeakMap();

  constructor(
    settings: LeanProviderSettings,
    modelId: string,
    sdk: { schema: ChunkSchema; failedResponseHandler: FailedResponseHandler },
  ) {
    this.#modelId = modelId;
    // The SDK's model is named `<name>.chat`; its options name is that up to the first dot.
    this.#optionsName = `${settings.name}.chat`.split(".")[0]!.trim();
    this.#url = new URL(`${settings.baseURL.replace(/\/$/, "")}/chat/completions`).toString();
    this.#headers = requestHeaders(settings);
    this.#fetch = settings.fetch;
    this.#pool = settings.pool;
    this.#schema = sdk.schema;
    this.#failed = sdk.failedResponseHandler;
  }

  /** The request for `call` when this model sends it exactly as the SDK would; undefined otherwise. */
  accepts(call: LeanCall) {
    return leanChatRequest(call, this.#modelId, this.#optionsName, this.#schemaTexts);
  }

  /** Sends an accepted request and returns its parts, as the SDK's `doStream` would yield them. */
  async stream(request: NonNullable<ReturnType<LeanChatModel["accepts"]>>, signal: AbortSignal): Promise<PartSource> {
    const url = this.#url;
    const values = request.values;
    let answer: UpstreamAnswer;
    try {
      const init = { method: "POST" as const, headers: this.#headers, body: request.body, signal };
      answer = this.#pool
        ? await this.#pool.send(url, init, this.#fetch)
        : answerOfResponse(await this.#fetch(url, init));
    } catch (error) {
      throw fetchError(error, url, values);
    }
    // The SDK's extractResponseHeaders, over the answer's headers.
    const responseHeaders = Object.fromEntries([...answer.headers]);
    if (answer.status < 200 || answer.status > 299) {
      let failure: unknown;
      try {
        failure = (await this.#failed({ response: answer.response(), url, requestBodyValues: values })).value;
      } catch (error) {
        if (isAbortError(error) || APICallError.isInstance(error)) throw fetchError(error, url, values);
        failure = new APICallError({
          message: "Failed to process error response",
          cause: error,
          statusCode: answer.status,
          url,
          responseHeaders,
          requestBodyValues: values,
        });
      }
      // What the handler left unread goes, with the connection (a kept one is then not reused).
      await answer.cancel().catch(() => {});
      throw fetchError(failure, url, values);
    }
    if (answer.empty) {
      await answer.cancel().catch(() => {});
      throw fetchError(
        new APICallError({
          message: "Failed to process successful response",
          cause: new Error("Empty response body"),
          statusCode: answer.status,
          url,
          responseHeaders,
          requestBodyValues: values,
        }),
        url,
        values,
      );
    }
    return partSource(answer, {
      url,
      values,
      responseHeaders,
      schema: this.#schema,
      metadataKey: request.metadataKey,
    });
  }
}

function partSource(
  answer: UpstreamAnswer,
  context: {
    url: string;
    values: unknown;
    responseHeaders: Record<string, string>;
    schema: ChunkSchema;
    metadataKey: string;
  },
): PartSource {
  const decoder = new TextDecoder();
  const out: LeanPart[] = [];
  const chunks = leanChunkReader(context.schema, context.metadataKey, out);
  let stopped = false;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let head = 0;
  const events: string[] = [];
  const feed = sseDataReader((data) => void events.push(data));
  return {
    async next(): Promise<ReadableStreamReadResult<LanguageModelV4StreamPart>> {
      // A cancelled stream (an abort) ends at once, as the SDK's does: parts made but not read are dropped.
      if (stopped) return { done: true, value: undefined };
      while (head === out.length) {
        out.length = 0;
        head = 0;
        if (failure) throw failure.error;
        if (stopped || ended) return { done: true, value: undefined };
        let bytes: Uint8Array | null;
        try {
          bytes = await answer.read();
        } catch (error) {
          if (isAbortError(error)) throw error;
          throw fetchError(
            new APICallError({
              message: "Failed to process successful response",
              cause: error,
              statusCode: answer.status,
              url: context.url,
              responseHeaders: context.responseHeaders,
              requestBodyValues: context.values,
            }),
            context.url,
            context.values,
          );
        }
        if (stopped) return { done: true, value: undefined };
        if (bytes === null) {
          ended = true;
          try {
            chunks.end();
          } catch (error) {
            failure = { error };
          }
          continue;
        }
        // Decoded before the next read, which may reuse the bytes' buffer.
        const text = decoder.decode(bytes, { stream: true });
        if (text) feed(text);
        for (let i = 0; i < events.length && failure === undefined; i++) {
          try {
            const pending = chunks.data(events[i]!);
            if (pending) await pending;
          } catch (error) {
            // A chunk the SDK's tool-call tracker rejects errors the SDK's stream a few microtasks
            // after its transform threw: the parts that chunk made before reach a reader that keeps
            // up (how many depends on the reader's pace there); here all of them, then the error.
            failure = { error };
          }
        }
        events.length = 0;
      }
      // The parts are made in the SDK's shapes (lean_chat_chunks.ts); the differential tests hold them to it.
      return { done: false, value: out[head++] as unknown as LanguageModelV4StreamPart };
    },
    cancel(reason: unknown) {
      stopped = true;
      return answer.cancel(reason);
    },
  };
}
