import type { ProviderSpec } from "./agents_config.ts";
import { type ChatMessage, type ProviderModels, streamCompletion, type TokenUsage } from "./provider.ts";
import type { TranscriptMessage } from "../sessions/store.ts";

/** What the model said: the whole answer, its usage and why it stopped. */
export interface ModelAnswer {
  text: string;
  usage: TokenUsage;
  stopReason: string;
  /** The provider's id of its response and the model it says answered, when it gave them. */
  responseId?: string | undefined;
  responseModel?: string | undefined;
}

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
  messages: ChatMessage[];
  signal: AbortSignal;
  models: ProviderModels;
  onDelta(text: string, delta: string): void;
}): Promise<ModelAnswer> {
  let text = "";
  let usage: TokenUsage = { input: 0, output: 0 };
  let stopReason = "stop";
  let response: { id?: string | undefined; model?: string | undefined } = {};
  const { provider, model, messages, signal, models } = input;
  for await (const part of streamCompletion({ provider, model, messages, signal, models })) {
    if (part.type === "delta") {
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
    ...(response.id ? { responseId: response.id } : {}),
    ...(response.model ? { responseModel: response.model } : {}),
  };
}
