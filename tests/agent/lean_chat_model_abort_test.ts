// The lean chat model on an abort, against the SDK's: no part after the abort (even those already
// read from the wire), and the upstream's hung stream released (its body cancelled on its side).
import assert from "node:assert/strict";
import type { ProviderSpec } from "../../src/config/resolve_agents.ts";
import { modelPrompt } from "../../src/agent/model_prompt.ts";
import { type CompletionPart, type PromptMessage, ProviderModels, streamCompletion } from "../../src/agent/provider.ts";
import { RunError } from "../../src/agent/run_error.ts";
import { keepAlive } from "../support/scripted_sse_upstream.ts";

const MESSAGES: PromptMessage[] = [{ role: "user", text: "hi" }];
const encoder = new TextEncoder();

const event = (content: string) =>
  `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content } }] })}\n\n`;

/** An upstream that writes `first` in one piece, then holds its stream open until the client leaves. */
function hungUpstream(first: string) {
  // One promise a request, settled when the upstream's stream is cancelled (the client went away).
  const leaves: Promise<void>[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    await request.text();
    let sent = false;
    let leave = () => {};
    leaves.push(new Promise<void>((resolve) => leave = resolve));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(encoder.encode(first));
          return;
        }
        // A keep-alive comment now and then, until the client goes away.
        return keepAlive(controller, timers);
      },
      cancel() {
        leave();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    leaves,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await server.shutdown();
    },
  };
}

function spec(url: string, over: Partial<ProviderSpec> = {}): ProviderSpec {
  return {
    id: "fake",
    baseUrl: url,
    apiKey: "k",
    api: "openai-completions",
    headers: {},
    timeoutMs: 30_000,
    models: ["m1"],
    ...over,
  };
}

async function run(provider: ProviderSpec, lean: boolean, abortOnDelta: boolean) {
  const controller = new AbortController();
  const parts: CompletionPart[] = [];
  let error: string | undefined;
  try {
    for await (
      const part of streamCompletion({
        provider,
        model: "m1",
        models: new ProviderModels({ lean }),
        signal: controller.signal,
        messages: MESSAGES,
      })
    ) {
      parts.push(part);
      if (abortOnDelta && part.type === "delta") controller.abort();
    }
  } catch (caught) {
    if (!(caught instanceof RunError)) throw caught;
    error = caught.kind;
  }
  return { parts, error };
}

Deno.test("lean chat model takes the calls of these tests", async () => {
  const models = new ProviderModels();
  const provider = spec("http://127.0.0.1:9/v1");
  const lean = await models.lean(provider, "m1", await models.get(provider, "m1"));
  assert.ok(lean?.accepts({ prompt: modelPrompt(MESSAGES) }));
});

Deno.test("lean chat model = the SDK's on an abort: no part after it, even those read in the same piece", async () => {
  const upstream = hungUpstream(event("a") + event("b") + event("c"));
  try {
    const sdk = await run(spec(upstream.url), false, true);
    const lean = await run(spec(upstream.url), true, true);
    assert.deepStrictEqual(lean, sdk);
    assert.deepStrictEqual(lean, {
      parts: [{ type: "response", id: "c1", model: undefined }, { type: "delta", text: "a" }],
      error: "aborted",
    });
    // Both upstream streams were released (cancelled on the upstream's side).
    await Promise.all(upstream.leaves);
    assert.equal(upstream.leaves.length, 2);
  } finally {
    await upstream.stop();
  }
});

Deno.test("lean chat model on a timeout while the upstream holds its stream: aborted, and the stream released", async () => {
  const upstream = hungUpstream(event("a"));
  try {
    const slow = spec(upstream.url, { timeoutMs: 500 });
    const sdk = await run(slow, false, false);
    const lean = await run(slow, true, false);
    // What arrived before the deadline is the machine's timing (a loaded one read nothing in time):
    // both models give a prefix of what the upstream sent, then the same timeout.
    const sent = [{ type: "response", id: "c1", model: undefined }, { type: "delta", text: "a" }];
    for (const { parts } of [sdk, lean]) assert.deepStrictEqual(parts, sent.slice(0, parts.length));
    assert.equal(sdk.error, "timeout");
    assert.equal(lean.error, "timeout");
    await Promise.all(upstream.leaves);
    assert.equal(upstream.leaves.length, 2);
  } finally {
    await upstream.stop();
  }
});

Deno.test("lean chat model on a timeout before the upstream's headers: the SDK's outcome, the request released", async () => {
  // The upstream never answers; it sees each request go away (its signal) and only then returns.
  const left: Promise<void>[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const gone = new Promise<void>((resolve) => request.signal.addEventListener("abort", () => resolve()));
    left.push(gone);
    return gone.then(() => new Response(null, { status: 499 }));
  });
  try {
    // Long enough for the request to reach the upstream on a loaded machine (at 100 ms a busy CI
    // box timed out before the connection was made, and the upstream saw nothing to release).
    const silent = spec(`http://127.0.0.1:${server.addr.port}/v1`, { timeoutMs: 1_000 });
    const sdk = await run(silent, false, false);
    const lean = await run(silent, true, false);
    assert.deepStrictEqual(lean, sdk);
    assert.deepStrictEqual(lean, { parts: [], error: "timeout" });
    await Promise.all(left);
    assert.equal(left.length, 2);
  } finally {
    await server.shutdown();
  }
});

Deno.test("lean chat model releases a held upstream stream when an error chunk ends the run, not at the timeout", async () => {
  const upstream = hungUpstream(event("a") + 'data: {"error":{"message":"overloaded"}}\n\n');
  try {
    const timeoutMs = 5_000;
    const started = performance.now();
    const lean = await run(spec(upstream.url, { timeoutMs }), true, false);
    assert.equal(lean.error, "model_failed");
    await Promise.all(upstream.leaves);
    assert.ok(performance.now() - started < timeoutMs, "released only by the provider's timeout");
  } finally {
    await upstream.stop();
  }
});
