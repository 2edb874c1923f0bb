import assert from "node:assert/strict";
import { projectMcpCallResult } from "../../src/agent/mcp_result.ts";

const details = { mcpServer: "s", mcpTool: "t" };

Deno.test("projectMcpCallResult() keeps text and image blocks", () => {
  const result = projectMcpCallResult({
    content: [{ type: "text", text: "hi" }, { type: "image", data: "AAAA", mimeType: "image/png" }],
  }, details);
  assert.deepEqual(result, {
    content: [{ type: "text", text: "hi" }, { type: "image", data: "AAAA", mimeType: "image/png" }],
    details: { mcpServer: "s", mcpTool: "t" },
  });
});

Deno.test("projectMcpCallResult() marks isError results and says so when they are empty", () => {
  assert.deepEqual(projectMcpCallResult({ content: [], isError: true }, details), {
    content: [{ type: "text", text: "MCP tool failed without returning content." }],
    details: { mcpServer: "s", mcpTool: "t", status: "error" },
    isError: true,
  });
  assert.deepEqual(projectMcpCallResult({}, details).content, [
    { type: "text", text: "MCP tool completed without returning content." },
  ]);
});

Deno.test("projectMcpCallResult() puts structuredContent first and drops the text block that mirrors it", () => {
  const structured = { answer: 42 };
  const result = projectMcpCallResult({
    content: [{ type: "text", text: JSON.stringify(structured, null, 2) }, { type: "text", text: "extra" }],
    structuredContent: structured,
  }, details);
  assert.deepEqual(result.content, [
    { type: "text", text: `structuredContent:\n${JSON.stringify(structured, null, 2)}` },
    { type: "text", text: "extra" },
  ]);
  assert.deepEqual(result.details?.structuredContent, structured);
});

Deno.test("projectMcpCallResult() describes audio, resource links and embedded resources in text", () => {
  const result = projectMcpCallResult({
    content: [
      { type: "audio", data: "x", mimeType: "audio/wav" },
      { type: "resource_link", uri: "file:///a", name: "a" },
      { type: "resource", resource: { uri: "file:///b", text: "body" } },
      { type: "resource", resource: { uri: "file:///c", blob: "x" } },
    ],
  }, details);
  assert.deepEqual(result.content.map((c) => c.type === "text" ? c.text : c.type), [
    "[audio audio/wav]",
    "[a] file:///a",
    "body",
    "file:///c",
  ]);
});
