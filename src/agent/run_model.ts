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
import type { TranscriptMessage } from "../sessions/store.ts";

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
}

/** A tool call as it came off the wire: the arguments still the JSON text the model wrote. */
export type StepToolCall = Omit<ModelToolCall, "input"> & { input: string };

/** The conversation the model is asked: what a stateless caller sent, then the transcript and this turn. */
export function modelMessages(context: ChatMessage[] | undefined, transcript: TranscriptMessage[]): ChatMessage[] {
  return [
    ...(context ?? []),
    ...transcript.map((m): ChatMessage => ({ role: m.role, text: m.content.map((c) => c.text).join("") })),
  ];
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
  onDelta(text: string, delta: string): void;
}): Promise<ModelAnswer> {
  let text = "";
  let usage: TokenUsage = { input: 0, output: 0 };
  let stopReason = "stop";
  let response: { id?: string | undefined; model?: string | undefined } = {};
  const toolCalls: StepToolCall[] = [];
  const { provider, model, messages, signal, models, tools } = input;
  for await (const part of streamCompletion({ provider, model, messages, signal, models, tools })) {
    if (part.type === "tool-call") toolCalls.push({ id: part.id, name: part.name, input: part.input });
    else if (part.type === "delta") {
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
    ...(response.id ? { responseId: response.id } : {}),
    ...(response.model ? { responseModel: response.model } : {}),
  };
}
