// Scripted model answers for the fake upstream: per model step, text or tool calls, written as the
// OpenAI chat-completions SSE stream (`tool_calls` deltas) or Anthropic's Messages SSE stream
// (`tool_use` blocks). A test scripts a model by name and reads the requests the fake received.

/** A tool call a scripted step makes; `id` defaults to `call_<step>_<index>`. */
export interface ScriptedCall {
  name: string;
  args: Record<string, unknown>;
  id?: string;
}

/** One model step: text, tool calls, or both (text first, as models write it). */
export interface ScriptStep {
  text?: string;
  toolCalls?: ScriptedCall[];
  /**
   * The step streams its text's first half, then holds its stream open (SSE comments only) until this
   * settles: a run caught mid-answer that later goes on (the test settles it when it has looked).
   */
  hold?: Promise<unknown>;
  /** The step fails instead of answering: an HTTP error with this status (and `retry-after` header, when given). */
  fail?: ScriptedFailure;
  /** The step's connection drops after the stream's first event (headers sent, the answer never finished). */
  drop?: boolean;
}

/** A scripted HTTP failure: its status, its error body's message and type, and an optional `retry-after` header. */
export interface ScriptedFailure {
  status: number;
  message?: string;
  type?: string;
  retryAfter?: string;
}

/** A step's stream as SSE events, and how many of them go out before its `hold` (through the text's first half). */
export interface ScriptedEvents {
  events: string[];
  opening: number;
}

/** The step a request is answered with: the `n`th request (0-based) of its model; past the end, the last step. */
export function scriptStep(steps: readonly ScriptStep[], n: number): { step: ScriptStep; index: number } {
  const index = Math.min(n, steps.length - 1);
  return { step: steps[index]!, index };
}

function callId(call: ScriptedCall, step: number, i: number): string {
  return call.id ?? `call_${step}_${i}`;
}

/** Splits JSON text in two, so the client must join argument deltas. */
function halves(text: string): string[] {
  const mid = Math.floor(text.length / 2);
  return mid === 0 ? [text] : [text.slice(0, mid), text.slice(mid)];
}

/** The step as an OpenAI chat-completions event stream. */
export function openAiScriptedEvents(model: string, step: ScriptStep, index: number): ScriptedEvents {
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
    `data: ${
      JSON.stringify({
        id: `chatcmpl-script-${index}`,
        object: "chat.completion.chunk",
        created: 1,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
        ...extra,
      })
    }\n\n`;
  const out: string[] = [chunk({ role: "assistant", content: "" }, null)];
  if (step.text) { for (const piece of halves(step.text)) out.push(chunk({ content: piece }, null)); }
  const opening = step.text ? 2 : 1;
  for (const [i, call] of (step.toolCalls ?? []).entries()) {
    const id = callId(call, index, i);
    out.push(
      chunk({ tool_calls: [{ index: i, id, type: "function", function: { name: call.name, arguments: "" } }] }, null),
    );
    for (const piece of halves(JSON.stringify(call.args))) {
      out.push(chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] }, null));
    }
  }
  const finish = step.toolCalls?.length ? "tool_calls" : "stop";
  const usage = { "prompt_tokens": 10, "completion_tokens": 3, "total_tokens": 13 };
  out.push(chunk({}, finish, { usage }), "data: [DONE]\n\n");
  return { events: out, opening };
}

/** The step as an Anthropic Messages event stream. */
export function anthropicScriptedEvents(model: string, step: ScriptStep, index: number): ScriptedEvents {
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const out = [
    event("message_start", {
      message: {
        id: `msg_script_${index}`,
        type: "message",
        role: "assistant",
        content: [],
        model,
        "stop_reason": null,
        "stop_sequence": null,
        usage: { "input_tokens": 10, "output_tokens": 1 },
      },
    }),
  ];
  let block = 0;
  const opening = step.text ? 3 : 1;
  if (step.text) {
    out.push(event("content_block_start", { index: block, "content_block": { type: "text", text: "" } }));
    for (const piece of halves(step.text)) {
      out.push(event("content_block_delta", { index: block, delta: { type: "text_delta", text: piece } }));
    }
    out.push(event("content_block_stop", { index: block }));
    block++;
  }
  for (const [i, call] of (step.toolCalls ?? []).entries()) {
    const id = callId(call, index, i);
    out.push(
      event("content_block_start", {
        index: block,
        "content_block": { type: "tool_use", id, name: call.name, input: {} },
      }),
    );
    for (const piece of halves(JSON.stringify(call.args))) {
      out.push(
        event("content_block_delta", { index: block, delta: { type: "input_json_delta", "partial_json": piece } }),
      );
    }
    out.push(event("content_block_stop", { index: block }));
    block++;
  }
  out.push(
    event("message_delta", {
      delta: { "stop_reason": step.toolCalls?.length ? "tool_use" : "end_turn", "stop_sequence": null },
      usage: { "output_tokens": 3 },
    }),
    event("message_stop", {}),
  );
  return { events: out, opening };
}
