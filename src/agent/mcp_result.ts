import type { ToolContent, ToolResult } from "./tool.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
  if (!isRecord(block)) return { type: "text", text: stringify(block) };
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
      if (!isRecord(block.resource) || typeof block.resource.uri !== "string") break;
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
  if (isRecord(result.structuredContent)) {
    const mirrored = JSON.stringify(result.structuredContent, null, 2);
    content = [
      { type: "text", text: `structuredContent:\n${mirrored}` },
      ...source.filter((block) => !(isRecord(block) && block.type === "text" && block.text === mirrored))
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
    content,
    details: {
      ...details,
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
      ...(isError ? { status: "error" } : {}),
    },
    ...(isError ? { isError: true } : {}),
  };
}
