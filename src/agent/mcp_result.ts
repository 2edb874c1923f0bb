import type { ToolContent, ToolResult } from "./tool.ts";
import { isJsonObject } from "../log/json_object.ts";

/** The reference's bound on the text of one MCP tool result (UTF-8 bytes) and the line it appends past it. */
const MCP_TEXT_CONTENT_MAX_BYTES = 1_048_576;
const MCP_TEXT_TRUNCATION_MARKER = "\n[truncated: MCP text content exceeded 1 MB]";

/** The longest prefix of `text` within `maxBytes` of UTF-8 (whole characters), and its size. */
function utf8Prefix(text: string, maxBytes: number): { text: string; bytes: number } {
  const { read, written } = new TextEncoder().encodeInto(text, new Uint8Array(Math.max(0, maxBytes)));
  return { text: text.slice(0, read), bytes: written };
}

/**
 * Text past 1 MB over all text blocks is cut (images kept) and says so, as the reference bounds
 * MCP text: a server answering 20 MB must not flood the model's context or the transcript.
 */
export function boundMcpText(content: ToolContent[]): ToolContent[] {
  let budget = MCP_TEXT_CONTENT_MAX_BYTES;
  const fits = content.every((block) => {
    if (block.type !== "text") return true;
    const kept = utf8Prefix(block.text, budget);
    budget -= kept.bytes;
    return kept.text.length === block.text.length;
  });
  if (fits) return content;
  let remaining = MCP_TEXT_CONTENT_MAX_BYTES - new TextEncoder().encode(MCP_TEXT_TRUNCATION_MARKER).length;
  let cut = false;
  const bounded: ToolContent[] = [];
  for (const block of content) {
    if (block.type !== "text") {
      bounded.push(block);
      continue;
    }
    if (cut) continue;
    const kept = utf8Prefix(block.text, remaining);
    remaining -= kept.bytes;
    const shortened = kept.text.length < block.text.length;
    if (kept.text || shortened) {
      bounded.push({ ...block, text: shortened ? `${kept.text}${MCP_TEXT_TRUNCATION_MARKER}` : kept.text });
    }
    if (shortened || remaining === 0) {
      if (!shortened) bounded.push({ type: "text", text: MCP_TEXT_TRUNCATION_MARKER.trimStart() });
      cut = true;
    }
  }
  return bounded;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** One MCP content block as the model sees it: text and images kept, the rest described in text. */
export function mcpBlockToContent(block: unknown): ToolContent {
  if (!isJsonObject(block)) return { type: "text", text: stringify(block) };
  switch (block.type) {
    case "text":
      if (typeof block.text === "string") return { type: "text", text: block.text };
      break;
    case "image":
      if (typeof block.data === "string" && typeof block.mimeType === "string") {
        return { type: "image", data: block.data, mimeType: block.mimeType };
      }
      break;
    case "audio":
      if (typeof block.mimeType === "string") return { type: "text", text: `[audio ${block.mimeType}]` };
      break;
    case "resource_link": {
      if (typeof block.uri !== "string") break;
      const label = typeof block.title === "string" ? block.title : typeof block.name === "string" ? block.name : "";
      return { type: "text", text: label ? `[${label}] ${block.uri}` : block.uri };
    }
    case "resource":
      if (!isJsonObject(block.resource) || typeof block.resource.uri !== "string") break;
      return {
        type: "text",
        text: typeof block.resource.text === "string" ? block.resource.text : block.resource.uri,
      };
  }
  return { type: "text", text: stringify(block) };
}

/**
 * A `tools/call` result as the reference hands it to the model: `structuredContent` first (as
 * pretty JSON, dropping the text block that only mirrors it), then each block; an empty answer
 * says so; `details` names the server and tool for clients.
 */
export function projectMcpCallResult(
  result: Record<string, unknown>,
  details: { mcpServer: string; mcpTool: string },
): ToolResult {
  const isError = result.isError === true;
  const source = Array.isArray(result.content) ? result.content : [];
  let content: ToolContent[];
  if (isJsonObject(result.structuredContent)) {
    const mirrored = JSON.stringify(result.structuredContent, null, 2);
    content = [
      { type: "text", text: `structuredContent:\n${mirrored}` },
      ...source.filter((block) => !(isJsonObject(block) && block.type === "text" && block.text === mirrored))
        .map(mcpBlockToContent),
    ];
  } else content = source.map(mcpBlockToContent);
  if (content.length === 0) {
    content = [{
      type: "text",
      text: isError ? "MCP tool failed without returning content." : "MCP tool completed without returning content.",
    }];
  }
  return {
    content: boundMcpText(content),
    details: {
      ...details,
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
      ...(isError ? { status: "error" } : {}),
    },
    ...(isError ? { isError: true } : {}),
  };
}
