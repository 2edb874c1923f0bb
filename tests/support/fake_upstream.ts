// A small OpenAI-compatible model server for tests: deterministic streamed answers, and models
// that misbehave on request: "slow" (100 ms between chunks), "fail" (HTTP 400), "echo-auth" (HTTP 401 whose
// error message echoes the request's Authorization header, as some proxies do), "stall" (never answers),
// "drip" (the first three chunks of the answer, then nothing more until the client hangs up: a run caught mid-stream),
// "garbage" (an event stream of junk), "limited…" (HTTP 429, for failover), "http500" (HTTP 500), "hangup" (a first
// piece, then the connection drops mid-stream), and "lines" (a three-line answer, 50 ms between chunks).
// A scripted model (`script(model, steps)`) answers its nth request with step n: text or tool calls, on both wires,
// or a failure (an HTTP error status, a dropped connection).
import {
  anthropicScriptedEvents,
  openAiScriptedEvents,
  type ScriptedFailure,
  type ScriptStep,
  scriptStep,
} from "./fake_script.ts";

export type { ScriptedCall, ScriptedFailure, ScriptStep } from "./fake_script.ts";

/** The answer every well-behaved model gives, in these chunks. */
export const FAKE_CHUNKS = ["Hello", " from", " the", " fake", " model", ", streamed", " in", " pieces."];
/** The whole answer. */
export const FAKE_ANSWER = FAKE_CHUNKS.join("");

/** Model "lines" answers in three lines, 50 ms between chunks (chat channels stream it line by line). */
export const FAKE_LINE_CHUNKS = ["First line", " of the answer.\nSecond", " line, streamed.\nThird and", " last line."];
/** The "lines" model's whole answer. */
export const FAKE_LINES_ANSWER = FAKE_LINE_CHUNKS.join("");

/** What `/v1/audio/transcriptions` answers: the words of every voice note. */
export const FAKE_TRANSCRIPT = "please water the plants at six";

/** One transcription request as received: its form fields, and the file's name, type and size. */
export interface TranscriptionRequest {
  fields: Record<string, string>;
  file: { name: string; type: string; size: number };
  authorization: string | null;
}

/** A running fake upstream. */
export interface FakeUpstream {
  url: string;
  port: number;
  /** Request bodies received, in order. */
  requests: Record<string, unknown>[];
  /** Every request's path and headers (lower-case names), in order: what credentials reached the provider. */
  calls: { path: string; headers: Record<string, string> }[];
  /** Multipart `/v1/audio/transcriptions` requests received, in order. */
  transcriptions: TranscriptionRequest[];
  /** Models whose request the client gave up on before the answer was complete, in order. */
  cancelled: string[];
  /**
   * Default streamed answers, in order: `performance.now()` when the request reached the handler and when
   * the last event was written (the upstream's own time, on the benchmark's clock).
   */
  streams: { arrived: number; finished: number }[];
  /** Scripts a model: its nth request (either wire) is answered with step n; past the end, with the last step. */
  script(model: string, steps: ScriptStep[]): void;
  /** The request bodies a scripted model received, in order. */
  requestsOf(model: string): Record<string, unknown>[];
  stop(): Promise<void>;
}

function chunk(
  model: string,
  delta: Record<string, unknown>,
  finish: string | null,
  extra: Record<string, unknown> = {},
) {
  return `data: ${
    JSON.stringify({
      id: "chatcmpl-fake",
      object: "chat.completion.chunk",
      created: 1,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    })
  }\n\n`;
}

/** Starts the fake upstream on an ephemeral loopback port. */
export function startFakeUpstream(): FakeUpstream {
  const requests: Record<string, unknown>[] = [];
  const calls: { path: string; headers: Record<string, string> }[] = [];
  const transcriptions: TranscriptionRequest[] = [];
  const cancelled: string[] = [];
  const streams: { arrived: number; finished: number }[] = [];
  const stalled = new Set<AbortController>();
  const scripts = new Map<string, ScriptStep[]>();
  const received = new Map<string, Record<string, unknown>[]>();
  /** The scripted stream for a request, when its model is scripted. */
  const scripted = (body: { model: string }, wire: "openai" | "anthropic"): Response | undefined => {
    const steps = scripts.get(body.model);
    if (!steps) return undefined;
    const seen = received.get(body.model) ?? [];
    received.set(body.model, [...seen, body]);
    const { step, index } = scriptStep(steps, seen.length);
    if (step.fail) return failed(step.fail);
    const { events, opening } = wire === "openai"
      ? openAiScriptedEvents(body.model, step, index)
      : anthropicScriptedEvents(body.model, step, index);
    const headers = { "content-type": "text/event-stream" };
    if (step.drop) return dropped(events[0]!);
    if (!step.hold) return new Response(events.join(""), { headers });
    return new Response(heldStream(events, opening, step.hold), { headers });
  };
  /** A scripted failure's answer: the status, an OpenAI-shaped error body, the `retry-after` header when given. */
  const failed = (fail: ScriptedFailure): Response => {
    const error = { message: fail.message ?? `scripted ${fail.status}`, type: fail.type ?? "server_error" };
    const headers: Record<string, string> = fail.retryAfter === undefined ? {} : { "retry-after": fail.retryAfter };
    return Response.json({ error }, { status: fail.status, headers });
  };
  /** The stream's first event, then the connection drops (the body errors, so the answer is never finished). */
  const dropped = (first: string): Response =>
    new Response(
      new ReadableStream({
        start(stream) {
          stream.enqueue(new TextEncoder().encode(first));
          setTimeout(() => stream.error(new Error("dropped")), 20);
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  /** The opening events at once, then SSE comments until `hold` settles (or the fake stops), then the rest. */
  const heldStream = (events: string[], opening: number, hold: Promise<unknown>) => {
    const encoder = new TextEncoder();
    const controller = new AbortController();
    stalled.add(controller);
    let timer: ReturnType<typeof setInterval> | undefined;
    return new ReadableStream({
      start(stream) {
        for (const event of events.slice(0, opening)) stream.enqueue(encoder.encode(event));
        // Comments while held, so a client that hangs up is seen (as for "stall").
        timer = setInterval(() => {
          try {
            stream.enqueue(encoder.encode(": waiting\n\n"));
          } catch {
            clearInterval(timer);
          }
        }, 20);
        const close = () => {
          clearInterval(timer);
          stalled.delete(controller);
          try {
            stream.close();
          } catch {
            // Already cancelled by the client.
          }
        };
        controller.signal.addEventListener("abort", close);
        const release = () => {
          if (controller.signal.aborted) return;
          clearInterval(timer);
          try {
            for (const event of events.slice(opening)) stream.enqueue(encoder.encode(event));
          } catch {
            // The client went away while held.
          }
          close();
        };
        void hold.then(release, release);
      },
      cancel() {
        clearInterval(timer);
        stalled.delete(controller);
      },
    });
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    calls.push({ path: url.pathname, headers: Object.fromEntries(request.headers) });
    if (url.pathname === "/v1/models") return Response.json({ object: "list", data: [{ id: "m1", object: "model" }] });
    if (url.pathname === "/v1/messages") {
      // Anthropic's Messages API, streamed.
      const body = await request.json() as { model: string };
      requests.push(body);
      const answer = scripted(body, "anthropic");
      if (answer) return answer;
      const event = (type: string, data: Record<string, unknown>) =>
        `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      const usage = { "input_tokens": 10, "output_tokens": 1 };
      const text = [
        event("message_start", {
          message: {
            id: "msg_fake",
            type: "message",
            role: "assistant",
            content: [],
            model: body.model,
            "stop_reason": null,
            "stop_sequence": null,
            usage,
          },
        }),
        event("content_block_start", { index: 0, "content_block": { type: "text", text: "" } }),
        ...FAKE_CHUNKS.map((chunk) =>
          event("content_block_delta", { index: 0, delta: { type: "text_delta", text: chunk } })
        ),
        event("content_block_stop", { index: 0 }),
        event("message_delta", {
          delta: { "stop_reason": "end_turn", "stop_sequence": null },
          usage: { "output_tokens": FAKE_CHUNKS.length },
        }),
        event("message_stop", {}),
      ].join("");
      return new Response(text, { headers: { "content-type": "text/event-stream" } });
    }
    if (url.pathname === "/v1/audio/transcriptions") {
      const form = await request.formData();
      const fields: Record<string, string> = {};
      let file = { name: "", type: "", size: 0 };
      for (const [key, value] of form) {
        if (typeof value === "string") fields[key] = value;
        else file = { name: value.name, type: value.type, size: value.size };
      }
      transcriptions.push({ fields, file, authorization: request.headers.get("authorization") });
      return Response.json({ text: FAKE_TRANSCRIPT });
    }
    if (url.pathname === "/v1/embeddings") {
      const body = await request.json() as { model: string; input: string[] };
      requests.push(body);
      // Deterministic vectors: [length, first char code, 1].
      const data = body.input.map((text, index) => ({
        object: "embedding",
        index,
        embedding: [text.length, text.charCodeAt(0) || 0, 1],
      }));
      return Response.json({
        object: "list",
        data,
        model: body.model,
        usage: { "prompt_tokens": 4, "total_tokens": 4 },
      });
    }
    if (url.pathname !== "/v1/chat/completions") return new Response("not found", { status: 404 });
    const arrived = performance.now();
    const body = await request.json() as { model: string; stream?: boolean };
    requests.push(body);
    const answer = scripted(body, "openai");
    if (answer) return answer;
    if (body.model === "garbage") {
      return new Response("data: {not json at all\n\ndata: \u0000\u0001\n\n", {
        headers: { "content-type": "text/event-stream" },
      });
    }
    if (body.model === "fail") {
      return Response.json({ error: { message: "mock failure", type: "invalid_request_error" } }, { status: 400 });
    }
    if (body.model === "http500") {
      return Response.json({ error: { message: "upstream exploded", type: "server_error" } }, { status: 500 });
    }
    if (body.model === "hangup") {
      // Headers and a first piece, then the connection drops mid-stream (the body errors, so the chunked
      // answer is never finished).
      const encoder = new TextEncoder();
      return new Response(
        new ReadableStream({
          start(stream) {
            stream.enqueue(encoder.encode(chunk(body.model, { role: "assistant", content: "" }, null)));
            setTimeout(() => stream.error(new Error("hangup")), 20);
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    }
    if (body.model.startsWith("limited")) {
      const error = { message: "Rate limit reached", type: "rate_limit_error" };
      return Response.json({ error }, { status: 429, headers: { "retry-after": "1" } });
    }
    if (body.model === "echo-auth") {
      const message = `invalid credentials: Authorization: ${request.headers.get("authorization") ?? "(none)"}`;
      return Response.json({ error: { message, type: "invalid_request_error" } }, { status: 401 });
    }
    if (body.model === "stall" || body.model === "drip") {
      // Headers at once, then only SSE comments (which clients ignore) and never an answer. A
      // client that hangs up is seen when a comment cannot be written: `request.signal` alone
      // missed some hang-ups that came just after the body was read.
      const controller = new AbortController();
      stalled.add(controller);
      let timer: ReturnType<typeof setInterval> | undefined;
      const stop = () => clearInterval(timer);
      controller.signal.addEventListener("abort", stop);
      const encoder = new TextEncoder();
      return new Response(
        new ReadableStream({
          start(stream) {
            // "drip" streams its first pieces at once, then stalls like "stall".
            const opening = body.model === "drip" ? FAKE_CHUNKS.slice(0, 3) : [];
            for (const [i, text] of opening.entries()) {
              const delta = i === 0 ? { role: "assistant", content: text } : { content: text };
              stream.enqueue(encoder.encode(chunk(body.model, delta, null)));
            }
            timer = setInterval(() => {
              try {
                stream.enqueue(encoder.encode(": waiting\n\n"));
              } catch {
                stop();
              }
            }, 20);
            controller.signal.addEventListener("abort", () => {
              try {
                stream.close();
              } catch {
                // Already cancelled by the client.
              }
            });
          },
          cancel() {
            stop();
            cancelled.push(body.model);
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    }
    // `chunks-N`: N small deltas 1 ms apart; `burst-N`: back to back (the benchmarks' per-chunk cost).
    const counted = /^(?:chunks|burst)-(\d+)$/.exec(body.model);
    const chunks = counted
      ? Array.from({ length: Number(counted[1]) }, (_, i) => ` w${i}`)
      : body.model === "lines"
      ? FAKE_LINE_CHUNKS
      : FAKE_CHUNKS;
    const usage = {
      "prompt_tokens": 10,
      "completion_tokens": chunks.length,
      "total_tokens": 10 + chunks.length,
    };
    if (!body.stream) {
      return Response.json({
        id: "chatcmpl-fake",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: chunks.join("") }, finish_reason: "stop" }],
        usage,
      });
    }
    const delay = body.model === "slow" ? 100 : body.model === "lines" ? 50 : counted ? 1 : 2;
    const encoder = new TextEncoder();
    // Cancellation comes from the body stream, not request.signal: the stream is what the client
    // stops reading, and Deno warns when request.signal is read by a handler that then succeeds.
    let gone = false;
    const stream = new ReadableStream({
      cancel() {
        gone = true;
        cancelled.push(body.model);
      },
      async start(controller) {
        try {
          for (const [i, text] of chunks.entries()) {
            controller.enqueue(
              encoder.encode(
                chunk(body.model, i === 0 ? { role: "assistant", content: text } : { content: text }, null),
              ),
            );
            // `instant`: a 0 ms model, its whole answer at once (the channel benchmark's upstream).
            if (!body.model.startsWith("burst-") && body.model !== "instant") {
              await new Promise((r) => setTimeout(r, delay));
            }
            if (gone) return;
          }
          controller.enqueue(encoder.encode(chunk(body.model, {}, "stop", { usage })));
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          streams.push({ arrived, finished: performance.now() });
          controller.close();
        } catch {
          // the client went away
        }
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
  });
  const port = (server.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    calls,
    transcriptions,
    cancelled,
    streams,
    script: (model, steps) => {
      if (steps.length === 0) throw new Error("a script needs at least one step");
      scripts.set(model, steps);
      received.delete(model);
    },
    requestsOf: (model) => received.get(model) ?? [],
    async stop() {
      for (const controller of stalled) controller.abort();
      await server.shutdown();
    },
  };
}
