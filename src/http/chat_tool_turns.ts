// `/v1/chat/completions` with the caller's tools or tool turns: its `tools`/`tool_choice` and a
// conversation whose assistant messages carry `tool_calls` and whose `tool` messages carry the
// results, into the run's input. A request with neither keeps the plain path (openai.ts).
import type { PromptMessage } from "../agent/provider.ts";
import { type CallerTools, chatCallerTools } from "./caller_tools.ts";
import { assistantCalls, pairToolTurns, splitAtLastUser, toolResult } from "./caller_messages.ts";
import { textOf } from "./chat_api.ts";
import { apiError } from "./http_error.ts";

interface ToolTurnBody {
  messages?: unknown[];
  tools?: unknown;
  "tool_choice"?: unknown;
}

/** Whether a message is a tool turn: a result, or an assistant message that called tools. */
function isToolTurn(message: unknown): boolean {
  if (!message || typeof message !== "object" || !("role" in message)) return false;
  if (message.role === "tool") return true;
  return message.role === "assistant" && "tool_calls" in message && Array.isArray(message.tool_calls) &&
    message.tool_calls.length > 0;
}

/** Whether a chat body takes the tool path: caller tools, a tool choice, or tool turns in its messages. */
export function wantsToolPath(body: ToolTurnBody): boolean {
  return body.tools !== undefined || body.tool_choice !== undefined ||
    (Array.isArray(body.messages) && body.messages.some(isToolTurn));
}

/** One chat message as the model gets it; undefined for a role the run does not take (legacy `function`, unknown). */
function entryOf(message: unknown): PromptMessage | undefined {
  if (!message || typeof message !== "object" || !("role" in message)) return undefined;
  const content = "content" in message ? message.content : undefined;
  switch (message.role) {
    case "system":
    case "developer":
      return { role: "system", text: textOf(content) };
    case "user":
      return { role: "user", text: textOf(content) };
    case "assistant": {
      const calls = "tool_calls" in message ? assistantCalls(message.tool_calls) : [];
      return { role: "assistant", text: textOf(content), ...(calls.length > 0 ? { toolCalls: calls } : {}) };
    }
    case "tool": {
      const id = "tool_call_id" in message && typeof message.tool_call_id === "string"
        ? message.tool_call_id.trim()
        : "";
      return id ? toolResult(id, "", textOf(content)) : undefined;
    }
    default:
      return undefined;
  }
}

/** The system message `tool_choice` adds, after the caller's own leading system messages. */
export function withChoicePrompt(context: PromptMessage[], tools: CallerTools): PromptMessage[] {
  if (!tools.systemPrompt) return context;
  const at = context.findIndex((m) => m.role !== "system");
  const cut = at === -1 ? context.length : at;
  return [...context.slice(0, cut), { role: "system", text: tools.systemPrompt }, ...context.slice(cut)];
}

/** The run's input of a chat request on the tool path; a bad `tools`/`tool_choice` is thrown as the reference's 400. */
export function chatToolInput(body: ToolTurnBody): {
  context: PromptMessage[];
  message: string;
  continuation: PromptMessage[];
  tools: CallerTools;
} {
  const tools = chatCallerTools(body);
  const entries = (Array.isArray(body.messages) ? body.messages : []).map(entryOf).filter((m) => m !== undefined);
  const split = splitAtLastUser(pairToolTurns(entries));
  if (!split) throw apiError(400, "Missing user message in `messages`.");
  return { ...split, context: withChoicePrompt(split.context, tools), tools };
}
