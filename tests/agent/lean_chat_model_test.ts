// The lean chat model against the SDK's, over a real loopback upstream: streamCompletion run with
// each (`new ProviderModels()` and the oracle `new ProviderModels({ lean: false })`); the request the
// upstream saw (method, URL, every header, body bytes), the parts and the RunError compared; and the
// lean model once more over the gateway's kept-alive connections (upstream_pool.ts) instead of fetch.
import assert from "node:assert/strict";
import type { ProviderSpec } from "../../src/config/resolve_agents.ts";
import { modelPrompt, modelTools } from "../../src/agent/model_prompt.ts";
import {
  type CompletionPart,
  type OfferedTool,
  type PromptMessage,
  ProviderModels,
  streamCompletion,
} from "../../src/agent/provider.ts";
import { RunError } from "../../src/agent/run_error.ts";
import { UpstreamPool } from "../../src/agent/upstream_pool.ts";
import { errorView } from "../support/lean_oracle.ts";
import { type ScriptedUpstream, type SseScript, startScriptedUpstream } from "../support/scripted_sse_upstream.ts";

function spec(url: string, over: Partial<ProviderSpec> = {}): ProviderSpec {
  return {
    id: "fake",
    baseUrl: url,
    apiKey: "sk-test",
    api: "openai-completions",
    headers: {},
    timeoutMs: 30_000,
    models: ["m1"],
    ...over,
  };
}

interface Input {
  messages: PromptMessage[];
  tools?: OfferedTool[];
  providerOptions?: Record<string, Record<string, unknown>>;
  maxOutputTokens?: number;
}

const ANSWER: SseScript = {
  pieces: [
    'data: {"id":"c1","created":1764540000,"model":"m1","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n',
    'data: {"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"hm"}}]}\n\n',
    'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n',
    'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\n',
    'data: {"id":"c1","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":1}}}\n\n',
    "data: [DONE]\n\n",
  ],
};

type Outcome = { parts: CompletionPart[]; error?: unknown; cause?: unknown };

/** `lean`: the SDK's model (false), the lean one over fetch (true) or over `pool`'s connections. */
async function run(
  provider: ProviderSpec,
  input: Input,
  lean: boolean | UpstreamPool,
  control: { signal?: AbortSignal; onPart?: (part: CompletionPart) => void } = {},
): Promise<Outcome> {
  const pool = lean instanceof UpstreamPool ? lean : undefined;
  const models = new ProviderModels({
    lean: lean !== false,
    ...(pool ? { upstream: () => Promise.resolve(pool) } : {}),
  });
  const parts: CompletionPart[] = [];
  try {
    for await (
      const part of streamCompletion({
        provider,
        model: "m1",
        models,
        signal: control.signal ?? new AbortController().signal,
        ...input,
      })
    ) {
      parts.push(part);
      control.onPart?.(part);
    }
    return { parts };
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    return {
      parts,
      error: { kind: error.kind, message: error.message, status: error.status },
      cause: errorView(error.cause),
    };
  }
}

/** True when the lean model takes `input` for `provider` (so a comparison is not of the SDK with itself). */
async function leanTakes(provider: ProviderSpec, input: Input): Promise<boolean> {
  const models = new ProviderModels();
  const lean = await models.lean(provider, "m1", await models.get(provider, "m1"));
  const prompt = modelPrompt(input.messages, { target: { provider: provider.id, api: provider.api, model: "m1" } });
  const tools = input.tools && input.tools.length > 0 ? modelTools(input.tools) : undefined;
  return lean?.accepts({
    prompt,
    ...(tools ? { tools } : {}),
    ...(input.providerOptions ? { providerOptions: input.providerOptions } : {}),
    ...(input.maxOutputTokens ? { maxOutputTokens: input.maxOutputTokens } : {}),
  }) !== undefined;
}

/**
 * Runs `input` through both models against `upstream`, the lean one over fetch and over `pool`, and
 * returns the lean run's outcome after comparing.
 */
async function compare(
  upstream: ScriptedUpstream,
  pool: UpstreamPool,
  provider: ProviderSpec,
  input: Input,
  script: SseScript = ANSWER,
): Promise<Outcome> {
  assert.ok(await leanTakes(provider, input), "the lean model must take this call");
  upstream.answer(script);
  upstream.requests.length = 0;
  const sdk = await run(provider, input, false);
  const lean = await run(provider, input, true);
  const pooled = await run(provider, input, pool);
  assert.equal(upstream.requests.length, 3);
  const [seenSdk, seenLean, seenPooled] = upstream.requests;
  assert.deepStrictEqual(seenLean, seenSdk);
  assert.deepStrictEqual(seenPooled, seenSdk);
  assert.deepStrictEqual(lean, sdk);
  assert.deepStrictEqual(pooled, sdk);
  return lean;
}

const SHAPES: Record<string, Input> = {
  "system and user text": { messages: [{ role: "system", text: "Be brief." }, { role: "user", text: "hi" }] },
  "two system messages, user images": {
    messages: [
      { role: "system", text: "A" },
      { role: "system", text: "B" },
      {
        role: "user",
        text: "look",
        images: [{ data: "aGVsbG8=", mimeType: "image/png" }, { data: "eA==", mimeType: "image/jpeg" }],
      },
    ],
  },
  // What /v1/chat/completions and /v1/responses hand a run (src/http/chat_images.ts, responses_media.ts).
  "an HTTP media turn: instructions, a file block, the placeholder prompt, PNG and GIF bytes": {
    messages: [
      { role: "system", text: "be brief" },
      { role: "system", text: '<file name="notes.txt">\n\n<<<EXTERNAL_UNTRUSTED_CONTENT id="0">>>\nx\n</file>' },
      {
        role: "user",
        text: "User sent image(s) with no text.",
        images: [
          {
            data: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            mimeType: "image/png",
          },
          { data: "R0lGODlhAQABAAAAACw=", mimeType: "image/gif" },
        ],
      },
    ],
  },
  "a tool loop: calls (object and string input), results (text, error, image), tools offered": {
    messages: [
      { role: "user", text: "list" },
      {
        role: "assistant",
        text: "",
        toolCalls: [
          { id: "call_1", name: "ls", input: { path: "." } },
          { id: "call_2", name: "exec", input: '{"cmd":"pwd"}' },
          { id: "call_3", name: "echo", input: "not json" },
        ],
      },
      { role: "tool", toolCallId: "call_1", toolName: "ls", content: [{ type: "text", text: "a\nb" }], isError: false },
      {
        role: "tool",
        toolCallId: "call_2",
        toolName: "exec",
        content: [{ type: "text", text: "denied" }],
        isError: true,
      },
      {
        role: "tool",
        toolCallId: "call_3",
        toolName: "echo",
        content: [{ type: "text", text: "see" }, { type: "image", data: "eA==", mimeType: "image/png" }],
        isError: false,
      },
      { role: "assistant", text: "done", toolCalls: [{ id: "call_4", name: "ls", input: {} }] },
    ],
    tools: [
      {
        name: "ls",
        description: "List files",
        parameters: { type: "object", properties: { path: { type: "string" } } },
      },
      { name: "exec", description: "", parameters: { type: "object", properties: {}, required: [] } },
    ],
  },
  "reasoning replay: another model's thinking as text, this model's dropped": {
    messages: [
      { role: "user", text: "q" },
      {
        role: "assistant",
        text: "a",
        thinking: [{ thinking: "mine", thinkingSignature: "reasoning_content" }],
        source: { provider: "fake", api: "openai-completions", model: "m1" },
      },
      {
        role: "assistant",
        text: "b",
        thinking: [{ thinking: "theirs", thinkingSignature: "sig" }],
        source: { provider: "anthropic", api: "anthropic-messages", model: "claude" },
      },
      { role: "user", text: "again" },
    ],
  },
  "reasoning_effort and max_tokens": {
    messages: [{ role: "user", text: "think" }],
    providerOptions: { openaiCompatible: { reasoningEffort: "high" } },
    maxOutputTokens: 512,
  },
};

const PROVIDERS: Record<string, (url: string) => ProviderSpec> = {
  "an API key": (url) => spec(url),
  "no key, headers of its own (a user agent, mixed case)": (url) =>
    spec(url, { apiKey: undefined, headers: { "X-Custom": " v ", "User-Agent": "mine/1", "x-two": "2" } }),
  "a key and an Authorization header that overrides it": (url) =>
    spec(url, { headers: { authorization: "Bearer other" } }),
  "a base URL with a trailing slash, an id with a dash and a dot": (url) => spec(`${url}/`, { id: "my-prov.eu" }),
};

Deno.test("lean chat model = the SDK's over the wire: every prompt shape, every provider setting", async () => {
  const upstream = startScriptedUpstream();
  const pool = new UpstreamPool();
  try {
    for (const [providerName, make] of Object.entries(PROVIDERS)) {
      for (const [shape, input] of Object.entries(SHAPES)) {
        try {
          const outcome = await compare(upstream, pool, make(upstream.url), input);
          assert.equal(outcome.error, undefined);
          assert.ok(outcome.parts.some((p) => p.type === "finish"));
        } catch (error) {
          throw new Error(`${providerName} / ${shape}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    pool.close();
    await upstream.stop();
  }
});

Deno.test("lean chat model hands what it does not write exactly to the SDK (decided before sending)", async () => {
  const provider = spec("http://127.0.0.1:9/v1");
  const user: PromptMessage[] = [{ role: "user", text: "x" }];
  assert.equal(await leanTakes(provider, { messages: user }), true);
  // Provider options it does not know, a PDF, an image type without its subtype.
  assert.equal(await leanTakes(provider, { messages: user, providerOptions: { fake: { user: "u" } } }), false);
  assert.equal(
    await leanTakes(provider, { messages: user, providerOptions: { openaiCompatible: { textVerbosity: "low" } } }),
    false,
  );
  const pdf: PromptMessage[] = [{ role: "user", text: "x", images: [{ data: "eA==", mimeType: "application/pdf" }] }];
  assert.equal(await leanTakes(provider, { messages: pdf }), false);
  const wild: PromptMessage[] = [{ role: "user", text: "x", images: [{ data: "eA==", mimeType: "image/*" }] }];
  assert.equal(await leanTakes(provider, { messages: wild }), false);
  // A provider named like the SDK's own option namespace.
  assert.equal(await leanTakes(spec("http://127.0.0.1:9/v1", { id: "openai-compatible" }), { messages: user }), false);
  // And such calls still go through (the SDK's model), as before.
  const upstream = startScriptedUpstream();
  try {
    upstream.answer(ANSWER);
    const outcome = await run(spec(upstream.url), { messages: pdf }, true);
    assert.equal(outcome.error, undefined);
    assert.match(upstream.requests[0]!.body, /"file_data":"data:application\/pdf;base64,eA=="/);
  } finally {
    await upstream.stop();
  }
});

const FAILURES: Record<string, SseScript> = {
  "400 with a JSON error body": {
    status: 400,
    headers: { "content-type": "application/json" },
    pieces: ['{"error":{"message":"bad request","type":"invalid","code":"x"}}'],
  },
  "500 with a text body": { status: 500, headers: { "content-type": "text/plain" }, pieces: ["upstream exploded"] },
  "429 with an empty body": { status: 429, pieces: [] },
  "401 with JSON of another shape": { status: 401, pieces: ['{"detail":"no key"}'] },
  "404 with a body mentioning a socket": { status: 404, pieces: ["socket not found"] },
  "a stream cut mid-chunk": { pieces: [ANSWER.pieces[0]!, 'data: {"choices":[{"delta":{"con'], cut: true },
  "a stream cut between chunks": { pieces: ANSWER.pieces.slice(0, 3), cut: true },
  "a stream that ends mid-chunk": { pieces: [ANSWER.pieces[0]!, 'data: {"choices":[{"delta":{"con'] },
  "an error chunk": { pieces: [ANSWER.pieces[0]!, 'data: {"error":{"message":"network overloaded"}}\n\n'] },
  "a malformed line": { pieces: [ANSWER.pieces[0]!, "data: {oops\n\n", ...ANSWER.pieces.slice(2)] },
  "keep-alive comments between chunks": {
    pieces: ANSWER.pieces.flatMap((p) => [": keep-alive\n\n", p]),
  },
};

Deno.test("lean chat model = the SDK's on failures: statuses, bodies, cut and malformed streams", async () => {
  const upstream = startScriptedUpstream();
  const pool = new UpstreamPool();
  try {
    for (const [name, script] of Object.entries(FAILURES)) {
      try {
        await compare(upstream, pool, spec(upstream.url), SHAPES["system and user text"]!, script);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    }
  } finally {
    pool.close();
    await upstream.stop();
  }
});

Deno.test("lean chat model = the SDK's: unreachable, aborted before and during, timed out", async () => {
  const input = SHAPES["system and user text"]!;
  // Unreachable: a port nothing listens on (a server started and stopped).
  const gone = startScriptedUpstream();
  const goneUrl = gone.url;
  await gone.stop();
  const pool = new UpstreamPool();
  const sdkGone = await run(spec(goneUrl), input, false);
  const leanGone = await run(spec(goneUrl), input, true);
  assert.deepStrictEqual(leanGone, sdkGone);
  assert.deepStrictEqual(await run(spec(goneUrl), input, pool), sdkGone);
  assert.equal((leanGone.error as { kind: string }).kind, "unreachable");

  const upstream = startScriptedUpstream();
  try {
    // Aborted before the call.
    for (const lean of [false, true, pool]) {
      const outcome = await run(spec(upstream.url), input, lean, { signal: AbortSignal.abort() });
      assert.deepStrictEqual(outcome.error, {
        kind: "aborted",
        message: "This operation was aborted",
        status: undefined,
      });
    }
    // Aborted after the first delta, the upstream holding its stream open with keep-alive comments.
    upstream.answer({ pieces: ANSWER.pieces.slice(0, 3), hold: true });
    const during = async (lean: boolean | UpstreamPool) => {
      const controller = new AbortController();
      const outcome = await run(spec(upstream.url), input, lean, {
        signal: controller.signal,
        onPart: (part) => part.type === "delta" && controller.abort(),
      });
      return { parts: outcome.parts, error: outcome.error };
    };
    const sdkDuring = await during(false);
    assert.deepStrictEqual(await during(true), sdkDuring);
    assert.deepStrictEqual(await during(pool), sdkDuring);
    assert.equal((sdkDuring.error as { kind: string }).kind, "aborted");
    // Timed out while the upstream holds the stream open.
    const slow = spec(upstream.url, { timeoutMs: 150 });
    const sdkSlow = await run(slow, input, false);
    for (const lean of [true, pool]) {
      const leanSlow = await run(slow, input, lean);
      assert.deepStrictEqual(
        { parts: leanSlow.parts, error: leanSlow.error },
        { parts: sdkSlow.parts, error: sdkSlow.error },
      );
    }
    assert.equal((sdkSlow.error as { kind: string }).kind, "timeout");
    // The aborted and timed-out answers' connections were closed, not kept for another request.
    assert.equal(pool.idleCount, 0);
  } finally {
    pool.close();
    await upstream.stop();
  }
});
