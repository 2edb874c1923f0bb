// The conversation and the offered tools in the `ai` SDK's provider format: both wires
// (OpenAI-compatible chat completions, Anthropic Messages) are written by the SDK from this one shape.
import { unchangedToolIds, type WireToolIds } from "./wire_tool_ids.ts";

/** One chat message as the gateway keeps it; an assistant step of a tool loop also carries its tool calls. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  text: string;
  /** The tools the assistant called in this message, in order (a step of a tool loop). */
  toolCalls?: ModelToolCall[] | undefined;
  /** Images a user message carried (base64): `image_url` data URLs on OpenAI-compatible wires, `image` blocks on Anthropic's. */
  images?: { data: string; mimeType: string }[] | undefined;
  /** The assistant's thinking; Anthropic's signed blocks go back to Anthropic as the reference replays them. */
  thinking?: { thinking: string; thinkingSignature?: string | undefined }[] | undefined;
  /** The model that wrote this message (a transcript's); absent for this run's own tool steps. */
  source?: ModelIdentity | undefined;
}

/** A model as signed thinking is bound to it: provider id, wire api, model id. */
export interface ModelIdentity {
  provider: string;
  api: string;
  model: string;
}

/** A tool call as the model made it: its id, the tool's name and the arguments (a JSON object). */
export interface ModelToolCall {
  id: string;
  name: string;
  input: unknown;
}

/** What a tool answered to one call, sent back to the model in the next step. */
export interface ToolResultMessage {
  role: "tool";
  toolCallId: string;
  toolName: string;
  content: ({ type: "text"; text: string } | { type: "image"; data: string; mimeType: string })[];
  isError: boolean;
}

/** A message of the prompt: the chat, the assistant's tool calls and the tools' results. */
export type PromptMessage = ChatMessage | ToolResultMessage;

/**
 * A tool as the model is offered it: name, description and the JSON Schema of its arguments. The schema object is
 * not changed once offered: lean models keep its JSON text by object (lean_chat_request.ts).
 */
export interface OfferedTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** The tools in the SDK's function-tool shape. */
export function modelTools(tools: readonly OfferedTool[]) {
  return tools.map((tool) => ({
    type: "function" as const,
    name: tool.name,
    description: tool.description,
    // The schema is the tool's own JSON Schema object; the SDK sends it as the wire's parameters.
    inputSchema: tool.parameters as { type: "object" },
  }));
}

function resultOutput(message: ToolResultMessage) {
  const text = message.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");
  if (message.isError) return { type: "error-text" as const, value: text };
  if (!message.content.some((c) => c.type === "image")) return { type: "text" as const, value: text };
  return {
    type: "content" as const,
    value: message.content.map((c) =>
      c.type === "text"
        ? { type: "text" as const, text: c.text }
        : { type: "file" as const, data: { type: "data" as const, data: c.data }, mediaType: c.mimeType }
    ),
  };
}

type ToolResultPart = {
  type: "tool-result";
  toolCallId: string;
  toolName: string;
  output: ReturnType<typeof resultOutput>;
};

/**
 * The prompt in the SDK's format: the system messages joined first, then the conversation; the
 * results of one step's calls go back as one `tool` message, as both wires expect them together.
 */
export function modelPrompt(
  messages: readonly PromptMessage[],
  options: { replayThinking?: boolean; toolIds?: WireToolIds; target?: ModelIdentity | undefined } = {},
) {
  const ids = options.toolIds ?? unchangedToolIds;
  const system = messages.filter((m) => m.role === "system").map((m) => (m as ChatMessage).text).join("\n\n");
  const prompt: (
    | { role: "system"; content: string }
    | {
      role: "user";
      content: (
        | { type: "text"; text: string }
        | { type: "file"; data: { type: "data"; data: string }; mediaType: string }
      )[];
    }
    | {
      role: "assistant";
      content: (
        | { type: "text"; text: string }
        | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
        | { type: "reasoning"; text: string; providerOptions: { anthropic: { signature: string } } }
      )[];
    }
    | { role: "tool"; content: ToolResultPart[] }
  )[] = system ? [{ role: "system", content: system }] : [];
  for (const m of messages) {
    if (m.role === "system") continue;
    if (m.role === "tool") {
      const part: ToolResultPart = {
        type: "tool-result",
        toolCallId: ids.result(m.toolCallId),
        toolName: m.toolName,
        output: resultOutput(m),
      };
      const last = prompt.at(-1);
      if (last?.role === "tool") last.content.push(part);
      else prompt.push({ role: "tool", content: [part] });
    } else if (m.role === "user") {
      const images = (m.images ?? []).map((image) => ({
        type: "file" as const,
        data: { type: "data" as const, data: image.data },
        mediaType: image.mimeType,
      }));
      prompt.push({ role: "user", content: [{ type: "text", text: m.text }, ...images] });
    } else {
      const calls = (m.toolCalls ?? []).map((c) => ({
        type: "tool-call" as const,
        toolCallId: ids.call(c.id),
        toolName: c.name,
        input: c.input,
      }));
      // An assistant step that only called tools has no text; an empty text part would be sent as such.
      const text = m.text || calls.length === 0 ? [{ type: "text" as const, text: m.text }] : [];
      // Signed thinking is bound to the model that wrote it: it goes back (Anthropic wants a tool
      // step's signed thinking before its calls) only to that provider, api and model; another
      // model reads it as plain text, as the reference replays it.
      const { source, target } = { source: m.source, target: options.target };
      // A transcript's message replays only to a known, matching target; this run's own steps always.
      const sameModel = !source ||
        (target !== undefined && source.provider === target.provider && source.api === target.api &&
          source.model === target.model);
      type ThinkingPart =
        | { type: "text"; text: string }
        | { type: "reasoning"; text: string; providerOptions: { anthropic: { signature: string } } };
      const thinking = (m.thinking ?? []).flatMap((t): ThinkingPart[] => {
        if (!sameModel) return t.thinking.trim() ? [{ type: "text" as const, text: t.thinking }] : [];
        if (!options.replayThinking || !t.thinkingSignature || t.thinkingSignature === "reasoning_content") return [];
        return [{
          type: "reasoning" as const,
          text: t.thinking,
          providerOptions: { anthropic: { signature: t.thinkingSignature } },
        }];
      });
      prompt.push({ role: "assistant", content: [...thinking, ...text, ...calls] });
    }
  }
  return prompt;
}
