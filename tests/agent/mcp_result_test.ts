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

Deno.test("projectMcpCallResult() cuts text past the reference's 1 MB and says so; images stay", () => {
  const result = projectMcpCallResult({
    content: [
      { type: "text", text: "é".repeat(300_000) },
      { type: "image", data: "AAAA", mimeType: "image/png" },
      { type: "text", text: "x".repeat(20_000_000) },
      { type: "text", text: "never seen" },
    ],
  }, details);
  const texts = result.content.flatMap((block) => block.type === "text" ? [block.text] : []);
  assert.equal(texts.length, 2);
  assert.equal(texts[0], "é".repeat(300_000));
  assert.ok(texts[1]!.endsWith("x\n[truncated: MCP text content exceeded 1 MB]"));
  const bytes = texts.reduce((sum, text) => sum + new TextEncoder().encode(text).length, 0);
  assert.equal(bytes, 1_048_576);
  assert.deepEqual(result.content[1], { type: "image", data: "AAAA", mimeType: "image/png" });
});

Deno.test("projectMcpCallResult() keeps text of exactly 1 MB whole, and cuts within a character never", () => {
  const whole = projectMcpCallResult({ content: [{ type: "text", text: "y".repeat(1_048_576) }] }, details);
  assert.equal((whole.content[0] as { text: string }).text.length, 1_048_576);
  const wide = projectMcpCallResult({ content: [{ type: "text", text: "€".repeat(400_000) }] }, details);
  const text = (wide.content[0] as { text: string }).text;
  assert.ok(text.endsWith("€\n[truncated: MCP text content exceeded 1 MB]"), text.slice(-60));
  assert.ok(new TextEncoder().encode(text).length <= 1_048_576);
});
