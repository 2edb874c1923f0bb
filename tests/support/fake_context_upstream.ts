// A model server for the compaction and thinking tests, on both wires (OpenAI-compatible chat
// completions and Anthropic Messages). It answers a summary request (the summarizer's system prompt)
// by echoing every `FACT-…` word it was sent, streams thinking before its answer when the request
// asks for reasoning (`reasoning_effort`, Anthropic `thinking`), and reports usage as its prompt's
// size (four characters a token), so the gateway's counts track what it really sent; a model named
// `heavy…` reports three times that (a tokenizer that counts more than the estimate), and one named
// `tiny…` refuses a prompt over 3000 characters as a context overflow. A `looper…` model refuses one over
// 4000, and works in a tool loop: each step calls `agents_list` with 500 characters of its own notes
// (`FACT-LOOPn`, then one letter per step: p, q, r, s…); once its prompt carries a compaction summary it takes
// one more step (`STEP-AFTERn` and w's), then answers.

/** The answer to an ordinary request. */
export const CONTEXT_ANSWER = "Noted.";
/** The thinking streamed before the answer when reasoning is asked for. */
export const THINKING_CHUNKS = ["Let me ", "think about ", "this."];

/** A running fake upstream. */
export interface ContextUpstream {
  url: string;
  /** Request bodies received, in order. */
  requests: Record<string, unknown>[];
  stop(): Promise<void>;
}

function promptText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof body.system === "string") parts.push(body.system);
  if (Array.isArray(body.system)) parts.push(JSON.stringify(body.system));
  for (const m of (body.messages ?? []) as { content?: unknown }[]) {
    parts.push(typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? ""));
  }
  return parts.join("\n");
}

/** Whether a request is the summarizer's: its system prompt says it summarizes conversations. */
export function isSummaryRequest(body: Record<string, unknown>): boolean {
  return /summarize conversations/.test(promptText(body).slice(0, 2000));
}

function answerOf(body: Record<string, unknown>): string {
  if (!isSummaryRequest(body)) return CONTEXT_ANSWER;
  const facts = [...new Set(promptText(body).match(/FACT-[A-Z0-9]+/g) ?? [])];
  return `## Facts & Preferences\n${facts.map((f) => `- ${f}`).join("\n")}`;
}

/** A `looper` step: its notes and a call of agents_list, or undefined once done. */
function looperStep(body: Record<string, unknown>): string | undefined {
  const prompt = promptText(body);
  const summarized = /compacted into the following summary/.test(prompt);
  if (summarized && /STEP-AFTER/.test(prompt)) return undefined;
  const n = ((body.messages ?? []) as { role?: string }[]).filter((m) => m.role === "tool").length + 1;
  return summarized ? `STEP-AFTER${n} ${"w".repeat(500)}` : `FACT-LOOP${n} ${String.fromCharCode(111 + n).repeat(500)}`;
}

function openAiStream(body: Record<string, unknown>): string {
  const model = String(body.model);
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
    `data: ${
      JSON.stringify({
        id: "chatcmpl-ctx",
        object: "chat.completion.chunk",
        created: 1,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
        ...extra,
      })
    }\n\n`;
  const thinking = body.reasoning_effort !== undefined && !isSummaryRequest(body) ? THINKING_CHUNKS : [];
  const answer = answerOf(body);
  const input = Math.ceil(promptText(body).length / 4) * (model.startsWith("heavy") ? 3 : 1);
  // The usage OpenAI sends after the last choice, with stream_options.include_usage.
  const usageChunk = (output: number) =>
    `data: ${
      JSON.stringify({
        id: "chatcmpl-ctx",
        object: "chat.completion.chunk",
        created: 1,
        model,
        choices: [],
        usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
      })
    }\n\n`;
  const notes = model.startsWith("looper") && !isSummaryRequest(body) ? looperStep(body) : undefined;
  if (notes !== undefined) {
    const call = { index: 0, id: `call_${notes.slice(5, 10)}`, type: "function" };
    return [
      chunk({ role: "assistant", content: notes }, null),
      chunk({ tool_calls: [{ ...call, function: { name: "agents_list", arguments: "{}" } }] }, null),
      chunk({}, "tool_calls"),
      usageChunk(180),
      "data: [DONE]\n\n",
    ].join("");
  }
  return [
    chunk({ role: "assistant", content: "" }, null),
    ...thinking.map((t) => chunk({ reasoning_content: t }, null)),
    chunk({ content: answer }, null),
    chunk({}, "stop"),
    usageChunk(2),
    "data: [DONE]\n\n",
  ].join("");
}

function anthropicStream(body: Record<string, unknown>): string {
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const thinking = (body.thinking as { type?: string } | undefined)?.type === "enabled" && !isSummaryRequest(body);
  const input = Math.ceil(promptText(body).length / 4);
  const out = [
    event("message_start", {
      message: {
        id: "msg_ctx",
        type: "message",
        role: "assistant",
        content: [],
        model: body.model,
        "stop_reason": null,
        "stop_sequence": null,
        usage: { "input_tokens": input, "output_tokens": 1 },
      },
    }),
  ];
  let index = 0;
  if (thinking) {
    out.push(event("content_block_start", { index, "content_block": { type: "thinking", thinking: "" } }));
    for (const t of THINKING_CHUNKS) {
      out.push(event("content_block_delta", { index, delta: { type: "thinking_delta", thinking: t } }));
    }
    out.push(event("content_block_delta", { index, delta: { type: "signature_delta", signature: "sig-ctx" } }));
    out.push(event("content_block_stop", { index }));
    index++;
  }
  // `…-tool` models first call agents_list (after their thinking), then answer once the result is back.
  const toolStep = String(body.model).endsWith("-tool") &&
    !JSON.stringify(body.messages ?? []).includes('"tool_result"');
  if (toolStep) {
    out.push(
      event("content_block_start", {
        index,
        "content_block": { type: "tool_use", id: "toolu_ctx", name: "agents_list", input: {} },
      }),
      event("content_block_delta", { index, delta: { type: "input_json_delta", "partial_json": "{}" } }),
      event("content_block_stop", { index }),
      event("message_delta", {
        delta: { "stop_reason": "tool_use", "stop_sequence": null },
        usage: { "output_tokens": 2 },
      }),
      event("message_stop", {}),
    );
    return out.join("");
  }
  out.push(
    event("content_block_start", { index, "content_block": { type: "text", text: "" } }),
    event("content_block_delta", { index, delta: { type: "text_delta", text: answerOf(body) } }),
    event("content_block_stop", { index }),
    event("message_delta", {
      delta: { "stop_reason": "end_turn", "stop_sequence": null },
      usage: { "output_tokens": 2 },
    }),
    event("message_stop", {}),
  );
  return out.join("");
}

/** Starts the fake on an ephemeral loopback port. */
export function startContextUpstream(): ContextUpstream {
  const requests: Record<string, unknown>[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const path = new URL(request.url).pathname;
    const body = await request.json() as Record<string, unknown>;
    requests.push(body);
    const headers = { "content-type": "text/event-stream" };
    if (path === "/v1/messages") return new Response(anthropicStream(body), { headers });
    // `tiny…` (`looper…`) models refuse a prompt over 3000 (4000) characters as a context overflow, in OpenAI's words.
    const limit = String(body.model).startsWith("tiny") ? 3000 : String(body.model).startsWith("looper") ? 4000 : 0;
    if (limit > 0 && !isSummaryRequest(body) && promptText(body).length > limit) {
      const message =
        "This model's maximum context length is 750 tokens. However, your messages resulted in 900 tokens.";
      return Response.json({ error: { message, type: "invalid_request_error", code: "context_length_exceeded" } }, {
        status: 400,
      });
    }
    return new Response(openAiStream(body), { headers });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    stop: () => server.shutdown(),
  };
}
