import type { ProviderSpec } from "./agents_config.ts";
import {
  type ChatMessage,
  type ModelToolCall,
  type OfferedTool,
  type PromptMessage,
  type ProviderModels,
  streamCompletion,
  type TokenUsage,
} from "./provider.ts";
import { messageText, type TranscriptMessage } from "../sessions/store.ts";
import type { ThinkingBlock } from "../sessions/transcript.ts";
import { ANTHROPIC_MESSAGES_APIS } from "../config/model_apis.ts";

/** What the model said: the whole answer, its usage and why it stopped. */
export interface ModelAnswer {
  text: string;
  usage: TokenUsage;
  stopReason: string;
  /** The provider's id of its response and the model it says answered, when it gave them. */
  responseId?: string | undefined;
  responseModel?: string | undefined;
  /** The tools the model called in this step, in order; empty for a final answer. */
  toolCalls: StepToolCall[];
  /** What the model thought before answering, when it streamed thinking (a reasoning level was on). */
  thinking?: ThinkingBlock[] | undefined;
}

/** A tool call as it came off the wire: the arguments still the JSON text the model wrote. */
export type StepToolCall = Omit<ModelToolCall, "input"> & { input: string };

/**
 * A step's call id, unique within the step: a provider that repeats one (`same`, `same`) would pair
 * both results with the first call on replay, so the repeat becomes `same_2` (stored and replayed so).
 */
export function uniqueCallId(id: string, earlier: readonly { id: string }[]): string {
  const taken = new Set(earlier.map((call) => call.id));
  if (!taken.has(id)) return id;
  let n = 2;
  while (taken.has(`${id}_${n}`)) n++;
  return `${id}_${n}`;
}

/** What the reference puts in place of a tool result the transcript lacks (a run cut off mid-tool). */
export const MISSING_TOOL_RESULT =
  "[openclaw] missing tool result in session history; inserted synthetic error result for transcript repair.";

/** One transcript message as the model sees it: user text, assistant text with its tool calls, a tool's result. */
function promptMessage(m: TranscriptMessage & { role: "user" | "assistant" | "toolResult" }): PromptMessage {
  if (m.role === "toolResult") {
    return {
      role: "tool",
      toolCallId: m.toolCallId ?? "",
      toolName: m.toolName ?? "",
      content: m.content.flatMap((c) => c.type === "toolCall" ? [] : [c]),
      isError: m.isError === true,
    };
  }
  const calls = m.content.flatMap((c) => c.type === "toolCall" ? [{ id: c.id, name: c.name, input: c.arguments }] : []);
  const images = m.role === "user"
    ? m.content.flatMap((c) => c.type === "image" ? [{ data: c.data, mimeType: c.mimeType }] : [])
    : [];
  return {
    role: m.role,
    text: messageText(m),
    ...(images.length > 0 ? { images } : {}),
    ...(calls.length > 0 ? { toolCalls: calls } : {}),
    ...(m.role === "assistant" && m.thinking?.length
      ? { thinking: m.thinking, source: { provider: m.provider ?? "", api: m.api ?? "", model: m.model ?? "" } }
      : {}),
  };
}

/** The reference's note where images were left out for a model without image input. */
export const IMAGES_OMITTED = "[Attachment images omitted: this model does not support image input]";

/** The conversation without user images (for a model that reads text only), each omission noted as the reference notes it. */
export function withoutImages(messages: readonly PromptMessage[]): PromptMessage[] {
  return messages.map((m) => {
    if (m.role !== "user" || !m.images?.length) return m;
    const { images: _, ...rest } = m;
    return { ...rest, text: m.text ? `${m.text}\n\n${IMAGES_OMITTED}` : IMAGES_OMITTED };
  });
}

/**
 * The conversation the model is asked: what a stateless caller sent, then the transcript and this
 * turn. Both wires refuse a tool call without its result, so a call the transcript never answered
 * (the run was cut off) gets the reference's synthetic error result.
 */
export function modelMessages(
  context: readonly PromptMessage[] | undefined,
  transcript: TranscriptMessage[],
): PromptMessage[] {
  const out: PromptMessage[] = [...(context ?? [])];
  let open: { id: string; name: string }[] = [];
  const close = () => {
    for (const call of open) {
      out.push({
        role: "tool",
        toolCallId: call.id,
        toolName: call.name,
        content: [{ type: "text", text: MISSING_TOOL_RESULT }],
        isError: true,
      });
    }
    open = [];
  };
  for (const m of transcript) {
    // A nested tool call is the clients' (excluded from context, as the reference's): its parent's result has it.
    if (m.role === "custom") continue;
    const message = promptMessage(m as TranscriptMessage & { role: "user" | "assistant" | "toolResult" });
    if (message.role === "tool") {
      // A result nobody asked for (its call was lost) would be refused by the wire as well.
      if (!open.some((c) => c.id === message.toolCallId)) continue;
      open = open.filter((c) => c.id !== message.toolCallId);
      out.push(message);
      continue;
    }
    close();
    out.push(message);
    open = (message as ChatMessage).toolCalls?.map((c) => ({ id: c.id, name: c.name })) ?? [];
  }
  close();
  return out;
}

/**
 * The thinking as the reference stores it: Anthropic's signature, or the field an OpenAI-compatible
 * server streamed it in (`reasoning_content`).
 */
function thinkingBlock(provider: ProviderSpec, thinking: string, signature: string | undefined): ThinkingBlock {
  const thinkingSignature = ANTHROPIC_MESSAGES_APIS.has(provider.api) ? signature : "reasoning_content";
  return { type: "thinking", thinking, ...(thinkingSignature ? { thinkingSignature } : {}) };
}

/**
 * The model stage: streams the answer, handing each piece to `onDelta` with the answer so far
 * (a failure mid-stream leaves the caller holding what had arrived), and returns it whole.
 */
export async function streamAnswer(input: {
  provider: ProviderSpec;
  model: string;
  messages: PromptMessage[];
  signal: AbortSignal;
  models: ProviderModels;
  tools?: readonly OfferedTool[] | undefined;
  /** The thinking level's provider options (`reasoning_effort`, Anthropic `thinking`), when one is on. */
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  /** The answer's token limit the thinking level sets, if any. */
  maxOutputTokens?: number | undefined;
  onDelta(text: string, delta: string): void;
  /** A piece of thinking arrived; `text` is the thinking so far. */
  onThinking?(text: string, delta: string): void;
}): Promise<ModelAnswer> {
  let text = "";
  let usage: TokenUsage = { input: 0, output: 0 };
  let stopReason = "stop";
  let response: { id?: string | undefined; model?: string | undefined } = {};
  const toolCalls: StepToolCall[] = [];
  let thinking = "";
  let signature: string | undefined;
  const { provider, model, messages, signal, models, tools, providerOptions, maxOutputTokens } = input;
  const request = { provider, model, messages, signal, models, tools, providerOptions, maxOutputTokens };
  for await (const part of streamCompletion(request)) {
    if (part.type === "tool-call") {
      toolCalls.push({ id: uniqueCallId(part.id, toolCalls), name: part.name, input: part.input });
    } else if (part.type === "thinking") {
      signature = part.signature ?? signature;
      if (!part.text) continue;
      thinking += part.text;
      input.onThinking?.(thinking, part.text);
    } else if (part.type === "delta") {
      text += part.text;
      input.onDelta(text, part.text);
    } else if (part.type === "response") {
      response = { id: response.id ?? part.id, model: response.model ?? part.model };
    } else {
      usage = part.usage;
      stopReason = part.finishReason;
    }
  }
  return {
    text,
    usage,
    stopReason,
    toolCalls,
    ...(thinking ? { thinking: [thinkingBlock(provider, thinking, signature)] } : {}),
    ...(response.id ? { responseId: response.id } : {}),
    ...(response.model ? { responseModel: response.model } : {}),
  };
}
