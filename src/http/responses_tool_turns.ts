// `/v1/responses` with the caller's tools or tool turns: its `tools`/`tool_choice`, and `input`
// items `function_call` (the model's call, as the caller kept it) and `function_call_output` (the
// caller's result), into the run's input; calls and results go to the model on its wire. A request
// with neither keeps the plain path (responses.ts).
import type { PromptMessage } from "../agent/provider.ts";
import { type CallerTools, responsesCallerTools } from "./caller_tools.ts";
import { callInput, pairToolTurns, splitAtLastUser, toolResult } from "./caller_messages.ts";
import { textOf } from "./chat_api.ts";
import { withChoicePrompt } from "./chat_tool_turns.ts";
import { apiError } from "./http_error.ts";

interface ToolTurnBody {
  input?: unknown;
  tools?: unknown;
  "tool_choice"?: unknown;
}

/** The content part types whose text an input message carries. */
const TEXT_PARTS = ["input_text", "output_text", "text"];

function itemType(item: unknown): unknown {
  return item && typeof item === "object" && "type" in item ? item.type : undefined;
}

/** Whether a responses body takes the tool path: caller tools, a tool choice, or tool items in its input. */
export function wantsResponsesToolPath(body: ToolTurnBody): boolean {
  return body.tools !== undefined || body.tool_choice !== undefined ||
    (Array.isArray(body.input) &&
      body.input.some((item) => itemType(item) === "function_call" || itemType(item) === "function_call_output"));
}

function field(item: object, key: string): unknown {
  const value: unknown = Reflect.get(item, key);
  return value;
}

/** The input items as the model gets them; a malformed item is the schema's 400. */
function entries(input: unknown[]): PromptMessage[] {
  const out: PromptMessage[] = [];
  for (const item of input) {
    if (!item || typeof item !== "object") throw apiError(400, "input: Invalid input");
    const type = field(item, "type");
    if (type === "function_call") {
      const name = field(item, "name");
      const args = field(item, "arguments");
      const id = field(item, "call_id") ?? field(item, "id");
      if (typeof name !== "string" || typeof args !== "string" || typeof id !== "string") {
        throw apiError(400, "input: Invalid input");
      }
      const call = { id, name, input: callInput(args) };
      // Calls right after the assistant's message (or each other) are that message's calls.
      const last = out.at(-1);
      if (last?.role === "assistant") out[out.length - 1] = { ...last, toolCalls: [...(last.toolCalls ?? []), call] };
      else out.push({ role: "assistant", text: "", toolCalls: [call] });
      continue;
    }
    if (type === "function_call_output") {
      const id = field(item, "call_id");
      const output = field(item, "output");
      if (typeof id !== "string" || typeof output !== "string") throw apiError(400, "input: Invalid input");
      out.push(toolResult(id, "", output));
      continue;
    }
    if (type !== undefined && type !== "message") continue;
    const role = field(item, "role") === "developer" ? "system" : field(item, "role");
    if (role !== "system" && role !== "user" && role !== "assistant") throw apiError(400, "input: Invalid input");
    out.push({ role, text: textOf(field(item, "content"), TEXT_PARTS) });
  }
  return out;
}

/**
 * The run's input of a responses request on the tool path, after `instructions` (already a system
 * message in `leading`); a bad `tools`/`tool_choice` or input is thrown as the reference's 400.
 */
export function responsesToolInput(body: ToolTurnBody, leading: PromptMessage[]): {
  context: PromptMessage[];
  message: string;
  continuation: PromptMessage[];
  tools: CallerTools;
} {
  const tools = responsesCallerTools(body);
  const items = typeof body.input === "string"
    ? [{ role: "user" as const, text: body.input }]
    : Array.isArray(body.input)
    ? entries(body.input)
    : undefined;
  if (!items) throw apiError(400, "input: Invalid input");
  const split = splitAtLastUser(pairToolTurns([...leading, ...items]));
  if (!split) throw apiError(400, "input: Invalid input");
  return { ...split, context: withChoicePrompt(split.context, tools), tools };
}
