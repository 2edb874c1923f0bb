import assert from "node:assert/strict";
import { chatCallerTools, responsesCallerTools, unmetToolChoice } from "../../src/http/caller_tools.ts";
import { HttpError } from "../../src/http/http_error.ts";

const WEATHER = { type: "function", function: { name: " get_weather ", description: "Weather", parameters: {} } };

function refused(run: () => unknown): { status: number; message: string } {
  try {
    run();
  } catch (caught) {
    if (caught instanceof HttpError) {
      return { status: caught.status, message: (caught.json as { error: { message: string } }).error.message };
    }
    throw caught;
  }
  throw new Error("not refused");
}

Deno.test("chatCallerTools: tools trimmed and defaulted; tool_choice as the reference applies it", () => {
  assert.deepEqual(chatCallerTools({ tools: [{ type: "function", function: { name: "x" } }] }), {
    tools: [{ name: "x", description: "", parameters: { type: "object", properties: {} } }],
  });
  assert.deepEqual(chatCallerTools({ tools: [WEATHER], "tool_choice": "auto" }).tools.map((t) => t.name), [
    "get_weather",
  ]);
  assert.deepEqual(chatCallerTools({ tools: [WEATHER], "tool_choice": "none" }), { tools: [] });
  assert.deepEqual(
    chatCallerTools({ tools: [WEATHER], "tool_choice": "required" }).systemPrompt,
    "You must call one of the available tools before responding.",
  );
  const named = chatCallerTools({
    tools: [WEATHER, { type: "function", function: { name: "other" } }],
    "tool_choice": { type: "function", function: { name: "other" } },
  });
  assert.deepEqual(named.tools.map((t) => t.name), ["other"]);
  assert.deepEqual(named.constraint, { type: "function", name: "other" });
  assert.equal(named.systemPrompt, "You must call the other tool before responding.");
  assert.deepEqual(refused(() => chatCallerTools({ tools: "x" })), {
    status: 400,
    message: "tools: Invalid input: expected array, received string",
  });
  assert.deepEqual(refused(() => chatCallerTools({ tools: [WEATHER], "tool_choice": { type: "function" } })), {
    status: 400,
    message: "Invalid tools/tool_choice: tool_choice.function.name is required",
  });
});

Deno.test("responsesCallerTools: the strict schema's messages; a choice naming no tool is 'invalid tool configuration'", () => {
  const tool = { type: "function", name: "get_weather" };
  assert.deepEqual(responsesCallerTools({ tools: [tool] }).tools.map((t) => t.name), ["get_weather"]);
  assert.deepEqual(
    responsesCallerTools({ tools: [tool], "tool_choice": { type: "function", function: { name: "get_weather" } } })
      .constraint,
    { type: "function", name: "get_weather" },
  );
  assert.deepEqual(refused(() => responsesCallerTools({ tools: [{ ...tool, name: "" }] })), {
    status: 400,
    message: "tools.0.name: Tool name cannot be empty",
  });
  assert.deepEqual(refused(() => responsesCallerTools({ tools: [{ ...tool, extra: 1 }] })), {
    status: 400,
    message: 'tools.0: Unrecognized key: "extra"',
  });
  assert.deepEqual(refused(() => responsesCallerTools({ tools: [], "tool_choice": "required" })), {
    status: 400,
    message: "invalid tool configuration",
  });
  assert.deepEqual(refused(() => responsesCallerTools({ tools: [tool], "tool_choice": "sometimes" })), {
    status: 400,
    message: "tool_choice: Invalid input",
  });
});

Deno.test("unmetToolChoice: the reference's 502 messages", () => {
  const call = { id: "c", name: "a", arguments: "{}" };
  assert.equal(unmetToolChoice(undefined, []), undefined);
  assert.equal(unmetToolChoice({ type: "required" }, [call]), undefined);
  assert.equal(
    unmetToolChoice({ type: "required" }, undefined),
    "tool_choice=required was not satisfied by the agent response",
  );
  assert.equal(
    unmetToolChoice({ type: "function", name: "b" }, [call]),
    "tool_choice required a b tool call, but the agent did not produce one",
  );
});
