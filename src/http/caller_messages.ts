// A chat API conversation that holds tool turns (the assistant's calls of the caller's tools and
// their results), as the model gets it on its own wire: calls as the assistant's tool calls,
// results as tool results. Only requests with tools or tool turns come here; a plain chat keeps
// its text-only path.
import type { ChatMessage, ModelToolCall, PromptMessage, ToolResultMessage } from "../agent/provider.ts";
import { MISSING_TOOL_RESULT } from "../agent/run_model.ts";
import { toolOutputText } from "../agent/client_tools.ts";

/** A conversation split around its prompt, the last user message. */
export interface SplitConversation {
  context: PromptMessage[];
  message: string;
  /** What follows the prompt: the assistant's tool calls and the caller's results. */
  continuation: PromptMessage[];
}

/** The arguments of a call as the wire wants them: the JSON object the caller sent as text, or `{}`. */
export function callInput(args: unknown): unknown {
  if (typeof args !== "string") return args && typeof args === "object" ? args : {};
  try {
    const parsed: unknown = JSON.parse(args);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** A tool result the model reads: the caller's output, as text. */
export function toolResult(toolCallId: string, toolName: string, text: string): ToolResultMessage {
  return { role: "tool", toolCallId, toolName, content: [{ type: "text", text }], isError: false };
}

/**
 * Pairs calls with results as every wire demands: a result follows the assistant message that
 * made its call (one whose call is not there becomes the reference's `Tool:<id>: <output>` user
 * text), and a call left without a result gets the transcript's "missing result" error.
 */
export function pairToolTurns(entries: readonly (PromptMessage | { orphan: true; id: string; text: string })[]) {
  const out: PromptMessage[] = [];
  let open: ModelToolCall[] = [];
  const close = () => {
    for (const call of open) {
      out.push({ ...toolResult(call.id, call.name, MISSING_TOOL_RESULT), isError: true });
    }
    open = [];
  };
  for (const entry of entries) {
    if ("orphan" in entry) {
      close();
      out.push({ role: "user", text: toolOutputText(entry.id, entry.text) });
      continue;
    }
    if (entry.role === "tool") {
      const call = open.find((c) => c.id === entry.toolCallId);
      if (!call) {
        close();
        out.push({ role: "user", text: toolOutputText(entry.toolCallId, textOfResult(entry)) });
        continue;
      }
      open = open.filter((c) => c !== call);
      out.push({ ...entry, toolName: call.name });
      continue;
    }
    close();
    out.push(entry);
    if (entry.role === "assistant" && entry.toolCalls?.length) open = [...entry.toolCalls];
  }
  close();
  return out;
}

function textOfResult(message: ToolResultMessage): string {
  return message.content.map((c) => c.type === "text" ? c.text : "").join("");
}

/** Splits a paired conversation at its last user message; undefined when it has none. */
export function splitAtLastUser(messages: readonly PromptMessage[]): SplitConversation | undefined {
  const last = messages.findLastIndex((m) => m.role === "user");
  if (last === -1) return undefined;
  const prompt = messages[last] as ChatMessage;
  return { context: messages.slice(0, last), message: prompt.text, continuation: messages.slice(last + 1) };
}

/** An OpenAI chat message's tool calls as the model made them; malformed ones (no id or name) are dropped, as the reference drops them. */
export function assistantCalls(value: unknown): ModelToolCall[] {
  if (!Array.isArray(value)) return [];
  const calls: ModelToolCall[] = [];
  for (const raw of value) {
    if (!raw || typeof raw !== "object" || !("function" in raw)) continue;
    const fn: unknown = raw.function;
    const id = "id" in raw && typeof raw.id === "string" ? raw.id.trim() : "";
    const name = fn && typeof fn === "object" && "name" in fn && typeof fn.name === "string" ? fn.name.trim() : "";
    if (!id || !name) continue;
    const args = fn && typeof fn === "object" && "arguments" in fn ? fn.arguments : undefined;
    calls.push({ id, name, input: callInput(args) });
  }
  return calls;
}
