import assert from "node:assert/strict";
import { modelPrompt, modelTools } from "../../src/agent/model_prompt.ts";

Deno.test("modelPrompt: system joined first; a step's results go back as one tool message; errors and images", () => {
  const prompt = modelPrompt([
    { role: "system", text: "one" },
    { role: "system", text: "two" },
    { role: "user", text: "go" },
    {
      role: "assistant",
      text: "",
      toolCalls: [{ id: "a", name: "t", input: { x: 1 } }, { id: "b", name: "t", input: {} }],
    },
    { role: "tool", toolCallId: "a", toolName: "t", content: [{ type: "text", text: "fine" }], isError: false },
    { role: "tool", toolCallId: "b", toolName: "t", content: [{ type: "text", text: "bad" }], isError: true },
    { role: "assistant", text: "look", toolCalls: [{ id: "c", name: "shot", input: {} }] },
    {
      role: "tool",
      toolCallId: "c",
      toolName: "shot",
      content: [{ type: "text", text: "here" }, { type: "image", data: "AAAA", mimeType: "image/png" }],
      isError: false,
    },
    { role: "assistant", text: "done" },
  ]);
  assert.deepEqual(prompt, [
    { role: "system", content: "one\n\ntwo" },
    { role: "user", content: [{ type: "text", text: "go" }] },
    {
      role: "assistant",
      content: [
        { type: "tool-call", toolCallId: "a", toolName: "t", input: { x: 1 } },
        { type: "tool-call", toolCallId: "b", toolName: "t", input: {} },
      ],
    },
    {
      role: "tool",
      content: [
        { type: "tool-result", toolCallId: "a", toolName: "t", output: { type: "text", value: "fine" } },
        { type: "tool-result", toolCallId: "b", toolName: "t", output: { type: "error-text", value: "bad" } },
      ],
    },
    {
      role: "assistant",
      content: [{ type: "text", text: "look" }, { type: "tool-call", toolCallId: "c", toolName: "shot", input: {} }],
    },
    {
      role: "tool",
      content: [{
        type: "tool-result",
        toolCallId: "c",
        toolName: "shot",
        output: {
          type: "content",
          value: [
            { type: "text", text: "here" },
            { type: "file", data: { type: "data", data: "AAAA" }, mediaType: "image/png" },
          ],
        },
      }],
    },
    { role: "assistant", content: [{ type: "text", text: "done" }] },
  ]);
});

Deno.test("modelTools: each tool as the SDK's function tool with its JSON Schema", () => {
  assert.deepEqual(modelTools([{ name: "t", description: "d", parameters: { type: "object", properties: {} } }]), [
    { type: "function", name: "t", description: "d", inputSchema: { type: "object", properties: {} } },
  ]);
});
