// The differential harness of the lean chat model (src/agent/lean_chat_model.ts) against the SDK's
// model it stands in for: the same call through both, their stream parts and failures compared.
import assert from "node:assert/strict";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { LeanChatModel } from "../../src/agent/lean_chat_model.ts";
import type { LeanCall } from "../../src/agent/lean_chat_request.ts";

/** A failure as the comparison sees it: class name, message and the SDK's status fields. */
export function errorView(error: unknown): unknown {
  if (!(error instanceof Error)) return { value: error };
  const e = error as Error & Record<string, unknown>;
  return {
    name: e.name,
    message: e.message,
    statusCode: e.statusCode,
    responseBody: e.responseBody,
    isRetryable: e.isRetryable,
    data: e.data,
    cause: e.cause instanceof Error ? e.cause.message : undefined,
  };
}

// The SDK's bracketing parts, which streamCompletion does not read and the lean model does not make.
const MARKERS = new Set(["stream-start", "text-start", "text-end", "reasoning-start", "reasoning-end"]);

/**
 * Parts as compared: markers dropped, errors as {@link errorView}, tool-call ids the SDK makes up
 * (random, when the wire gave none) as "<generated>" (`wire` is the answer's text, to tell them).
 */
export function comparable(parts: unknown[], wire: string): unknown[] {
  const id = (value: unknown) =>
    typeof value === "string" && !wire.includes(JSON.stringify(value)) ? "<generated>" : value;
  const out: unknown[] = [];
  for (const part of parts) {
    const p = part as Record<string, unknown>;
    if (MARKERS.has(p.type as string)) continue;
    if (p.type === "error") out.push({ type: "error", error: errorView(p.error) });
    else if (p.type === "thrown") out.push({ type: "thrown", error: errorView(p.error) });
    else if (p.type === "tool-call") out.push({ ...p, toolCallId: id(p.toolCallId) });
    else if (typeof p.type === "string" && p.type.startsWith("tool-input")) out.push({ ...p, id: id(p.id) });
    else out.push(p);
  }
  return out;
}

/** A fetch answering with `pieces` (status 200 unless told), recording what it was asked. */
export function piecesFetch(pieces: Uint8Array[], seen: { url: string; init: RequestInit }[], status = 200) {
  return (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), init: init ?? {} });
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at < pieces.length) controller.enqueue(pieces[at++]!);
        else controller.close();
      },
    });
    return Promise.resolve(new Response(body, { status, headers: { "content-type": "text/event-stream" } }));
  };
}

/** Both models of one provider over one fetch: the SDK's, and the lean one lent its schema and handler. */
export function modelPair(
  settings: { name: string; baseURL: string; apiKey?: string; headers?: Record<string, string> },
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
) {
  const sdk = createOpenAICompatible({ ...settings, includeUsage: true, fetch })("m1");
  const lean = new LeanChatModel(
    { ...settings, headers: settings.headers ?? {}, fetch: (url, init) => fetch(url, init) },
    "m1",
    {
      schema: Reflect.get(sdk, "chunkSchema"),
      failedResponseHandler: Reflect.get(sdk, "failedResponseHandler"),
    },
  );
  return { sdk, lean };
}

/** Every part of one call through the SDK's model, then a `thrown` part if the stream failed. */
export async function sdkParts(sdk: ReturnType<typeof modelPair>["sdk"], call: LeanCall, signal: AbortSignal) {
  const parts: unknown[] = [];
  try {
    // deno-lint-ignore no-explicit-any -- the call is the SDK's own shape, as streamCompletion passes it.
    const { stream } = await sdk.doStream({ ...(call as any), abortSignal: signal });
    const reader = stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(read.value);
  } catch (error) {
    parts.push({ type: "thrown", error });
  }
  return parts;
}

/** Every part of one call through the lean model (which must accept it), then a `thrown` part if it failed. */
export async function leanParts(lean: LeanChatModel, call: LeanCall, signal: AbortSignal) {
  const request = lean.accepts(call);
  if (!request) throw new Error("the lean model did not accept the call: fix the test's call or the model");
  const parts: unknown[] = [];
  try {
    const source = await lean.stream(request, signal);
    for (let read = await source.next(); !read.done; read = await source.next()) parts.push(read.value);
  } catch (error) {
    parts.push({ type: "thrown", error });
  }
  return parts;
}

const HI: LeanCall = { prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] };

/**
 * Runs the SSE `wire` (split into `pieces` if given) through both models with a one-line prompt and asserts their
 * parts equal, but for the one allowed difference (lean_chat_model.ts): a chunk the tool-call tracker rejects, whose
 * parts the SDK's reader sees a timing-dependent share of before the error. Returns the lean model's parts.
 */
export async function assertSameParts(wire: string, pieces?: Uint8Array[]): Promise<unknown[]> {
  const bytes = pieces ?? [new TextEncoder().encode(wire)];
  const { sdk } = modelPair({ name: "fake", baseURL: "http://127.0.0.1:9/v1" }, piecesFetch(bytes, []));
  const { lean } = modelPair({ name: "fake", baseURL: "http://127.0.0.1:9/v1" }, piecesFetch(bytes, []));
  const signal = new AbortController().signal;
  const expected = comparable(await sdkParts(sdk, HI, signal), wire);
  const actual = comparable(await leanParts(lean, HI, signal), wire);
  const last = actual.at(-1) as { type: string; error?: { name?: string } } | undefined;
  if (
    last?.type === "thrown" && last.error?.name === "AI_InvalidResponseDataError" && actual.length > expected.length
  ) {
    assert.deepStrictEqual(expected.at(-1), last);
    assert.deepStrictEqual(actual.slice(0, expected.length - 1), expected.slice(0, -1));
    assert.ok(actual.length - expected.length <= 4, "more parts than one chunk makes");
    return actual;
  }
  assert.deepStrictEqual(actual, expected);
  return actual;
}
