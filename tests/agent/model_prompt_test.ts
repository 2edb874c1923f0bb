import assert from "node:assert/strict";
import { modelPrompt, modelTools } from "../../src/agent/model_prompt.ts";
import { modelMessages } from "../../src/agent/run_model.ts";
import type { TranscriptMessage } from "../../src/sessions/store.ts";

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

Deno.test("modelPrompt: signed thinking goes back only to the model that wrote it; another model reads it as text", () => {
  const history = (source: { provider: string; api: string; model: string }) => [
    { role: "user" as const, text: "hi" },
    {
      role: "assistant" as const,
      text: "hello",
      thinking: [{ thinking: "secret plan", thinkingSignature: "SIG-A" }],
      source,
    },
  ];
  const a = { provider: "anthropic-a", api: "anthropic-messages", model: "claude-a" };
  const assistant = (prompt: ReturnType<typeof modelPrompt>) => prompt.find((m) => m.role === "assistant")?.content;
  assert.deepEqual(assistant(modelPrompt(history(a), { replayThinking: true, target: a })), [
    { type: "reasoning", text: "secret plan", providerOptions: { anthropic: { signature: "SIG-A" } } },
    { type: "text", text: "hello" },
  ]);
  for (const target of [{ ...a, provider: "anthropic-b" }, { ...a, model: "claude-b" }, { ...a, api: "other" }]) {
    assert.deepEqual(assistant(modelPrompt(history(a), { replayThinking: true, target })), [
      { type: "text", text: "secret plan" },
      { type: "text", text: "hello" },
    ], JSON.stringify(target));
  }
  // An OpenAI-compatible model that wrote it: its own thinking is not sent back.
  const o = { provider: "local", api: "openai-completions", model: "m" };
  assert.deepEqual(assistant(modelPrompt(history(o), { replayThinking: false, target: o })), [
    { type: "text", text: "hello" },
  ]);
});

Deno.test("modelMessages: a transcript's assistant thinking names the model that wrote it", () => {
  const messages = modelMessages(undefined, [
    { role: "user", content: [{ type: "text", text: "hi" }], timestamp: 1 },
    {
      role: "assistant",
      content: [{ type: "text", text: "hello" }],
      timestamp: 2,
      provider: "anthropic-a",
      model: "claude-a",
      api: "anthropic-messages",
      thinking: [{ type: "thinking", thinking: "plan", thinkingSignature: "SIG-A" }],
    } as TranscriptMessage,
  ]);
  const target = { provider: "anthropic-b", api: "anthropic-messages", model: "claude-a" };
  assert.deepEqual(modelPrompt(messages, { replayThinking: true, target }).at(-1)?.content, [
    { type: "text", text: "plan" },
    { type: "text", text: "hello" },
  ]);
});

Deno.test("modelPrompt: a transcript's signed thinking is not replayed when the target model is unknown", () => {
  const prompt = modelPrompt([
    {
      role: "assistant",
      text: "hello",
      thinking: [{ thinking: "plan", thinkingSignature: "SIG-A" }],
      source: { provider: "a", api: "anthropic-messages", model: "c" },
    },
  ], { replayThinking: true });
  assert.deepEqual(prompt.at(-1)?.content, [{ type: "text", text: "plan" }, { type: "text", text: "hello" }]);
});
