// The request body of an OpenAI-compatible chat completion, written as @ai-sdk/openai-compatible
// 3.0.92 writes it (same keys, same order, same values) for the prompt shapes this gateway makes.
// Anything else returns undefined before a byte is sent, and the caller hands the call to the SDK.
import { secureJsonParse, stringifyWithBigIntAndCycles } from "@ai-sdk/provider-utils";
import { isJsonObject } from "../log/json_object.ts";

/** A call as streamCompletion makes it: the SDK's call options this lean path may take. */
export interface LeanCall {
  prompt: readonly unknown[];
  tools?: readonly unknown[] | undefined;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  maxOutputTokens?: number | undefined;
}

/** The request's body text and the key the SDK files provider metadata under. */
export interface LeanRequest {
  body: string;
  /** The parsed body, as the SDK keeps it for its errors (`requestBodyValues`). */
  values: Record<string, unknown>;
  metadataKey: string;
}

type Json = Record<string, unknown>;

/** True when `value` has no keys outside `allowed` (a key holding undefined counts as absent). */
function onlyKeys(value: Json, allowed: readonly string[]): boolean {
  for (const key in value) if (value[key] !== undefined && !allowed.includes(key)) return false;
  return true;
}

/** The SDK's camel-casing of a provider name (`my-provider` → `myProvider`). */
export function camelName(name: string): string {
  return name.replace(/[_-]([a-z])/g, (g) => g[1]!.toUpperCase());
}

function toolCallArguments(input: unknown): string {
  if (typeof input === "string") {
    try {
      secureJsonParse(input);
      return input;
    } catch {
      return JSON.stringify(input);
    }
  }
  return stringifyWithBigIntAndCycles(input);
}

function userContent(content: unknown[]): unknown[] | string | undefined {
  const first = content[0];
  if (content.length === 1 && isJsonObject(first) && first.type === "text") {
    return onlyKeys(first, ["type", "text"]) && typeof first.text === "string" ? first.text : undefined;
  }
  const parts: unknown[] = [];
  for (const part of content) {
    if (!isJsonObject(part)) return undefined;
    if (part.type === "text" && onlyKeys(part, ["type", "text"]) && typeof part.text === "string") {
      parts.push({ type: "text", text: part.text });
      continue;
    }
    // Inline images with a full media type only: the SDK sniffs the bytes of `image/*`, and sends
    // other files in shapes of their own.
    if (part.type !== "file" || !onlyKeys(part, ["type", "data", "mediaType"])) return undefined;
    const data = part.data;
    const mediaType = part.mediaType;
    if (!isJsonObject(data) || data.type !== "data" || typeof data.data !== "string" || typeof mediaType !== "string") {
      return undefined;
    }
    const slash = mediaType.indexOf("/");
    const subtype = mediaType.slice(slash + 1);
    if (slash === -1 || mediaType.slice(0, slash) !== "image" || subtype.length === 0 || subtype === "*") {
      return undefined;
    }
    parts.push({ type: "image_url", image_url: { url: `data:${mediaType};base64,${data.data}` } });
  }
  return parts;
}

function assistantMessage(content: unknown[]): Json | undefined {
  let text = "";
  let reasoning = "";
  const toolCalls: Json[] = [];
  for (const part of content) {
    if (!isJsonObject(part)) return undefined;
    if (part.type === "text" && onlyKeys(part, ["type", "text"]) && typeof part.text === "string") text += part.text;
    // A reasoning part's own options (Anthropic's signature) are not read by this wire.
    else if (
      part.type === "reasoning" && typeof part.text === "string" && onlyKeys(part, ["type", "text", "providerOptions"])
    ) {
      const options = part.providerOptions;
      if (options !== undefined && !(isJsonObject(options) && onlyKeys(options, ["anthropic"]))) return undefined;
      reasoning += part.text;
    } else if (
      part.type === "tool-call" && onlyKeys(part, ["type", "toolCallId", "toolName", "input"]) &&
      typeof part.toolCallId === "string" && typeof part.toolName === "string"
    ) {
      toolCalls.push({
        id: part.toolCallId,
        type: "function",
        function: { name: part.toolName, arguments: toolCallArguments(part.input) },
      });
    } else return undefined;
  }
  return {
    role: "assistant",
    content: toolCalls.length > 0 ? text || null : text,
    ...(reasoning.length > 0 ? { reasoning_content: reasoning } : {}),
    tool_calls: toolCalls.length > 0 ? toolCalls : undefined,
  };
}

function toolMessages(content: unknown[], out: Json[]): boolean {
  for (const part of content) {
    if (!isJsonObject(part) || part.type !== "tool-result" || typeof part.toolCallId !== "string") return false;
    if (!onlyKeys(part, ["type", "toolCallId", "toolName", "output"])) return false;
    const output = part.output;
    if (!isJsonObject(output)) return false;
    let value: unknown;
    if ((output.type === "text" || output.type === "error-text") && typeof output.value === "string") {
      value = output.value;
    } else if (output.type === "content" && Array.isArray(output.value)) {
      // Multi-part tool content is off for this provider: the SDK sends the parts as JSON text.
      value = stringifyWithBigIntAndCycles(output.value);
    } else return false;
    if (!onlyKeys(output, ["type", "value"])) return false;
    out.push({ role: "tool", tool_call_id: part.toolCallId, content: value });
  }
  return true;
}

function messages(prompt: readonly unknown[]): Json[] | undefined {
  const out: Json[] = [];
  for (const message of prompt) {
    if (!isJsonObject(message) || !onlyKeys(message, ["role", "content"])) return undefined;
    const content = message.content;
    if (message.role === "system" && typeof content === "string") out.push({ role: "system", content });
    else if (!Array.isArray(content)) return undefined;
    else if (message.role === "user") {
      const converted = content.length > 0 ? userContent(content) : undefined;
      if (converted === undefined) return undefined;
      out.push({ role: "user", content: converted });
    } else if (message.role === "assistant") {
      const converted = assistantMessage(content);
      if (!converted) return undefined;
      out.push(converted);
    } else if (message.role !== "tool" || !toolMessages(content, out)) return undefined;
  }
  return out;
}

function tools(offered: readonly unknown[] | undefined): Json[] | undefined | false {
  if (!offered || offered.length === 0) return undefined;
  const out: Json[] = [];
  for (const tool of offered) {
    if (!isJsonObject(tool) || tool.type !== "function" || typeof tool.name !== "string") return false;
    if (!onlyKeys(tool, ["type", "name", "description", "inputSchema"])) return false;
    if (tool.description !== undefined && typeof tool.description !== "string") return false;
    out.push({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
    });
  }
  return out;
}

/**
 * Tools' parameter schemas as JSON text, by schema object. A run's tools are built once and kept between runs
 * (tool_sets.ts), and nothing changes a schema after it is made, so its text is written once. Serializing the ten
 * default schemas afresh took 0.06–0.07 ms of every model call (their objects sit cold in the old generation).
 */
export type SchemaTexts = WeakMap<object, string>;

/** `,"key":<JSON of value>`, or nothing where `JSON.stringify` leaves the member out (undefined, a function). */
function member(key: string, text: string | undefined): string {
  return text === undefined ? "" : `,"${key}":${text}`;
}

/** A schema's JSON as the member `parameters` (a `toJSON` is handed that key, as in the whole body). */
function parametersText(schema: unknown): string | undefined {
  const wrapped = JSON.stringify({ parameters: schema });
  return wrapped === "{}" ? undefined : wrapped.slice('{"parameters":'.length, -1);
}

function schemaText(schema: unknown, texts: SchemaTexts | undefined): string | undefined {
  if (!texts || schema === null || typeof schema !== "object") return parametersText(schema);
  let text = texts.get(schema);
  if (text === undefined) {
    text = parametersText(schema);
    if (text !== undefined) texts.set(schema, text);
  }
  return text;
}

/** One tool of the body, as `JSON.stringify` writes `{ type, function: { name, description, parameters } }`. */
function toolText(tool: Json, texts: SchemaTexts | undefined): string {
  const fn = tool.function as Json;
  return `{"type":"function","function":{"name":${JSON.stringify(fn.name)}${
    member("description", JSON.stringify(fn.description))
  }${member("parameters", schemaText(fn.parameters, texts))}}}`;
}

/**
 * The body text of `values` (as {@link leanChatRequest} builds them), the same as `JSON.stringify(values)`, with each
 * tool schema's text taken from `texts` when it was written before.
 */
function bodyText(values: Json, texts: SchemaTexts | undefined): string {
  const tools = values.tools as Json[] | undefined;
  return `{"model":${JSON.stringify(values.model)}${member("max_tokens", JSON.stringify(values.max_tokens))}${
    member("reasoning_effort", JSON.stringify(values.reasoning_effort))
  }${member("messages", JSON.stringify(values.messages))}${
    tools ? `,"tools":[${tools.map((tool) => toolText(tool, texts)).join(",")}]` : ""
  },"stream":true,"stream_options":{"include_usage":true}}`;
}

/**
 * The body the SDK's chat model would send for `call`, or undefined when the call holds anything
 * this writer does not write exactly as the SDK does (then the SDK's model takes the call).
 * `optionsName` is the SDK's provider-options name: the provider id up to its first dot; `texts` keeps the
 * tool schemas' JSON between calls.
 */
export function leanChatRequest(
  call: LeanCall,
  modelId: string,
  optionsName: string,
  texts?: SchemaTexts,
): LeanRequest | undefined {
  const camel = camelName(optionsName);
  // The SDK merges four option namespaces and passes unknown keys of two through; only the one
  // shape the gateway sends (the thinking level's `reasoning_effort`) is written here.
  if (optionsName === "openaiCompatible" || optionsName === "openai-compatible" || camel === "openaiCompatible") {
    return undefined;
  }
  let reasoningEffort: string | undefined;
  const options = call.providerOptions;
  if (options !== undefined) {
    const compatible = options.openaiCompatible;
    if (!onlyKeys(options, ["openaiCompatible"]) || !isJsonObject(compatible)) return undefined;
    if (!onlyKeys(compatible, ["reasoningEffort"])) return undefined;
    if (compatible.reasoningEffort !== undefined && typeof compatible.reasoningEffort !== "string") return undefined;
    reasoningEffort = compatible.reasoningEffort;
  }
  if (call.maxOutputTokens !== undefined && typeof call.maxOutputTokens !== "number") return undefined;
  const converted = messages(call.prompt);
  const offered = tools(call.tools);
  if (!converted || offered === false) return undefined;
  const values: Record<string, unknown> = {
    model: modelId,
    "max_tokens": call.maxOutputTokens,
    ...(reasoningEffort !== undefined ? { reasoning_effort: reasoningEffort } : {}),
    messages: converted,
    tools: offered,
    stream: true,
    "stream_options": { "include_usage": true },
  };
  return { body: bodyText(values, texts), values, metadataKey: optionsName };
}
