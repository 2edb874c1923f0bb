// A chat API caller's `tools` and `tool_choice`, validated as the reference validates them (its
// 400s, word for word), into the function tools the run offers next to the agent's own. Parsed
// only when a request carries `tools` or `tool_choice`: a plain request never gets here.
import type { OfferedTool } from "../agent/provider.ts";
import type { PendingToolCall } from "../agent/client_tools.ts";
import { apiError } from "./http_error.ts";
import { isJsonObject } from "../log/json_object.ts";

/** What `tool_choice` demands of the run: some call of the caller's tools, or one of a named tool. */
export type ToolChoiceConstraint = { type: "required" } | { type: "function"; name: string };

/** A request's caller tools after `tool_choice`: what is offered, the instruction it adds, what the answer must hold. */
export interface CallerTools {
  tools: OfferedTool[];
  /** The reference's instruction for `required` or a named function, added to the system prompt. */
  systemPrompt?: string | undefined;
  constraint?: ToolChoiceConstraint | undefined;
}

type Choice = undefined | "none" | ToolChoiceConstraint;

/** zod's name of a value's type, as its "expected X, received Y" messages print it. */
export function receivedType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** A tool as the model is offered it; a tool without a schema takes an empty object. */
function offered(name: string, description: unknown, parameters: unknown): OfferedTool {
  return {
    name,
    description: typeof description === "string" ? description : "",
    parameters: isJsonObject(parameters) ? parameters : { type: "object", properties: {} },
  };
}

/** Applies a choice as the reference's `applyToolChoice` does: `none` offers nothing, a name offers that tool alone. */
function applyChoice(tools: OfferedTool[], choice: Choice): CallerTools {
  if (choice === undefined) return { tools };
  if (choice === "none") return { tools: [] };
  const selected = choice.type === "function" ? tools.filter((tool) => tool.name === choice.name) : tools;
  if (selected.length === 0) {
    throw new Error(
      choice.type === "function"
        ? `tool_choice requested unknown tool: ${choice.name}`
        : "tool_choice=required but no tools were provided",
    );
  }
  return {
    tools: selected,
    systemPrompt: choice.type === "function"
      ? `You must call the ${choice.name} tool before responding.`
      : "You must call one of the available tools before responding.",
    constraint: choice,
  };
}

function chatTools(tools: unknown): OfferedTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw new Error("tools must be an array");
  return tools.map((tool: unknown) => {
    if (!isJsonObject(tool)) throw new Error("each tool must be an object");
    if (tool.type !== "function") throw new Error("only function tools are supported");
    const fn = tool.function;
    if (!isJsonObject(fn)) throw new Error("tool.function is required");
    const name = typeof fn.name === "string" ? fn.name.trim() : "";
    if (!name) throw new Error("tool.function.name is required");
    return offered(name, fn.description, fn.parameters);
  });
}

function chatChoice(choice: unknown): Choice {
  if (choice === undefined || choice === null || choice === "auto") return undefined;
  if (choice === "none") return "none";
  if (choice === "required") return { type: "required" };
  if (!isJsonObject(choice)) throw new Error("tool_choice must be a string or object");
  if (choice.type === "function") {
    const name = isJsonObject(choice.function) && typeof choice.function.name === "string"
      ? choice.function.name.trim()
      : "";
    if (!name) throw new Error("tool_choice.function.name is required");
    return { type: "function", name };
  }
  if (typeof choice.type !== "string") throw new Error("unsupported tool_choice type");
  throw new Error(`tool_choice ${choice.type} is not supported`);
}

/** `/v1/chat/completions`' `tools` and `tool_choice`; a bad one is thrown as the reference's 400. */
export function chatCallerTools(body: { tools?: unknown; "tool_choice"?: unknown }): CallerTools {
  if (body.tools !== undefined && !Array.isArray(body.tools)) {
    throw apiError(400, `tools: Invalid input: expected array, received ${receivedType(body.tools)}`);
  }
  try {
    return applyChoice(chatTools(body.tools), chatChoice(body.tool_choice));
  } catch (caught) {
    throw apiError(400, `Invalid tools/tool_choice: ${caught instanceof Error ? caught.message : String(caught)}`);
  }
}

const RESPONSES_TOOL_KEYS = ["type", "name", "description", "parameters", "strict"];

/** One `/v1/responses` tool, checked as the reference's strict schema does (its zod messages). */
function responsesTool(tool: unknown, i: number): OfferedTool {
  const at = `tools.${i}`;
  if (!isJsonObject(tool)) throw apiError(400, `${at}: Invalid input: expected object, received ${receivedType(tool)}`);
  if (tool.type !== "function") throw apiError(400, `${at}.type: Invalid input: expected "function"`);
  if (typeof tool.name !== "string") {
    throw apiError(400, `${at}.name: Invalid input: expected string, received ${receivedType(tool.name)}`);
  }
  if (tool.name.length === 0) throw apiError(400, `${at}.name: Tool name cannot be empty`);
  const unknown = Object.keys(tool).filter((key) => !RESPONSES_TOOL_KEYS.includes(key));
  if (unknown.length > 0) {
    throw apiError(
      400,
      `${at}: Unrecognized key${unknown.length > 1 ? "s" : ""}: ${unknown.map((k) => `"${k}"`).join(", ")}`,
    );
  }
  return offered(tool.name, tool.description, tool.parameters);
}

function responsesChoice(choice: unknown): Choice {
  if (choice === undefined || choice === "auto") return undefined;
  if (choice === "none") return "none";
  if (choice === "required") return { type: "required" };
  if (isJsonObject(choice) && choice.type === "function") {
    const named = typeof choice.name === "string"
      ? choice.name
      : isJsonObject(choice.function) && typeof choice.function.name === "string"
      ? choice.function.name
      : undefined;
    if (named !== undefined && named.length > 0) return { type: "function", name: named.trim() };
  }
  throw apiError(400, "tool_choice: Invalid input");
}

/**
 * `/v1/responses`' `tools` and `tool_choice`: the schema's 400s, then the reference's one word for
 * a choice it cannot apply ("invalid tool configuration").
 */
export function responsesCallerTools(body: { tools?: unknown; "tool_choice"?: unknown }): CallerTools {
  if (body.tools !== undefined && !Array.isArray(body.tools)) {
    throw apiError(400, `tools: Invalid input: expected array, received ${receivedType(body.tools)}`);
  }
  const tools = Array.isArray(body.tools) ? body.tools.map(responsesTool) : [];
  const choice = responsesChoice(body.tool_choice);
  try {
    return applyChoice(tools, choice);
  } catch {
    throw apiError(400, "invalid tool configuration");
  }
}

/** Why the run's answer fails `tool_choice` (the reference's 502 message), or undefined when it holds. */
export function unmetToolChoice(
  constraint: ToolChoiceConstraint | undefined,
  pending: readonly PendingToolCall[] | undefined,
): string | undefined {
  if (!constraint) return undefined;
  const calls = pending ?? [];
  const met = calls.length > 0 &&
    (constraint.type === "required" || calls.some((call) => call.name === constraint.name));
  if (met) return undefined;
  return constraint.type === "function"
    ? `tool_choice required a ${constraint.name} tool call, but the agent did not produce one`
    : "tool_choice=required was not satisfied by the agent response";
}
