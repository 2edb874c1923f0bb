// The caller's own function tools on `/v1/responses` (function_call items, function_call_output
// input) and `previous_response_id`, with the `openai` SDK against the gateway as the binary runs
// it and a scripted model. Shapes recorded from the reference (OpenClaw 2026.9.6,
// `tools.toolSearch.enabled: false`): docs/compatibility.md.
import assert from "node:assert/strict";
import { client, RESPONSES_WEATHER, TOKEN, type Wire, withGateway } from "../support/client_tools_gateway.ts";

Deno.test("responses: a call of the caller's tool is a function_call item, plain and streamed", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("g", [{ toolCalls: [{ id: "call_g", name: "get_weather", args: { city: "Paris" } }] }]);
    const plain = await client(base, "g").responses.create({
      model: "openclaw",
      input: "weather in Paris?",
      tools: [RESPONSES_WEATHER],
    });
    // Recorded: no message for an empty text, one function_call item (its own id, the model's call id).
    assert.equal(plain.status, "completed");
    assert.equal(plain.output.length, 1);
    const item = plain.output[0]!;
    assert.equal(item.type, "function_call");
    if (item.type !== "function_call") return;
    assert.match(item.id ?? "", /^call_[0-9a-f-]{36}$/);
    assert.deepEqual({ call: item.call_id, name: item.name, args: item.arguments }, {
      call: "call_g",
      name: "get_weather",
      args: '{"city":"Paris"}',
    });

    upstream.script("h", [{ toolCalls: [{ id: "call_h", name: "get_weather", args: { city: "Rome" } }] }]);
    const stream = await client(base, "h").responses.create({
      model: "openclaw",
      input: "weather in Rome?",
      tools: [RESPONSES_WEATHER],
      stream: true,
    });
    const types: string[] = [];
    let completed: unknown;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.completed") completed = event.response.output;
    }
    // Recorded order: the message closes (as commentary), then the call is added and done.
    assert.deepEqual(types.slice(-5), [
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.output_item.done",
      "response.completed",
    ]);
    const output = completed as { type: string; phase?: string; status?: string; call_id?: string }[];
    assert.deepEqual(output.map((o) => [o.type, o.phase ?? o.call_id, o.status]), [
      ["message", "commentary", "completed"],
      ["function_call", "call_h", "completed"],
    ]);
  });
});

Deno.test("responses: function_call and function_call_output items reach the model as its tool call and result; bad tools are 400s", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("i", [{ text: "It rains in Oslo." }]);
    const answer = await client(base, "i").responses.create({
      model: "openclaw",
      input: [
        { type: "message", role: "user", content: "weather in Oslo?" },
        { type: "function_call", "call_id": "call_z", name: "get_weather", arguments: '{"city":"Oslo"}' },
        { type: "function_call_output", "call_id": "call_z", output: "rain" },
      ],
      tools: [RESPONSES_WEATHER],
    });
    assert.equal(answer.output_text, "It rains in Oslo.");
    const tail = (upstream.requestsOf("i")[0] as Wire).messages.slice(-2);
    assert.deepEqual(tail[0]!.tool_calls, [
      { id: "call_z", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
    ]);
    assert.deepEqual([tail[1]!.role, tail[1]!.tool_call_id, tail[1]!.content], ["tool", "call_z", "rain"]);

    const ask = async (extra: Record<string, unknown>) => {
      const res = await fetch(`${base}/v1/responses`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "x-openclaw-model": "fake/i" },
        body: JSON.stringify({ model: "openclaw", input: "hi", ...extra }),
      });
      return { status: res.status, body: await res.json() };
    };
    const invalid = (message: string) => ({ status: 400, body: { error: { message, type: "invalid_request_error" } } });
    assert.deepEqual(
      await ask({ tools: [{ type: "web_search" }] }),
      invalid('tools.0.type: Invalid input: expected "function"'),
    );
    assert.deepEqual(
      await ask({ tools: [{ type: "function" }] }),
      invalid("tools.0.name: Invalid input: expected string, received undefined"),
    );
    assert.deepEqual(
      await ask({ tools: [RESPONSES_WEATHER], "tool_choice": { type: "function", name: "nope" } }),
      invalid("invalid tool configuration"),
    );
    const clash = await ask({ tools: [{ type: "function", name: "agents_list" }] });
    assert.equal(clash.status, 400);
    assert.deepEqual([clash.body.status, clash.body.error], ["failed", {
      code: "invalid_request_error",
      message: "invalid tool configuration",
    }]);
  });
});

Deno.test("responses: previous_response_id continues the answer it names, a follow-up after a tool call included", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("j", [
      { text: "Checking.", toolCalls: [{ id: "call_j", name: "get_weather", args: { city: "Paris" } }] },
      { text: "It is sunny in Paris." },
    ]);
    const sdk = client(base, "j");
    const first = await sdk.responses.create({
      model: "openclaw",
      input: "weather in Paris?",
      tools: [RESPONSES_WEATHER],
    });
    const call = first.output.find((o) => o.type === "function_call");
    assert.ok(call && call.type === "function_call");
    // Stateless (no user, no session header): the conversation comes back by id, the result on the wire.
    const second = await sdk.responses.create({
      model: "openclaw",
      "previous_response_id": first.id,
      input: [{ type: "function_call_output", "call_id": call.call_id, output: "sunny, 21C" }],
      tools: [RESPONSES_WEATHER],
    });
    assert.equal(second.output_text, "It is sunny in Paris.");
    const wire = (upstream.requestsOf("j")[1] as Wire).messages;
    const tail = wire.slice(-3);
    assert.match(String(tail[0]!.content), /weather in Paris\?/);
    assert.deepEqual([tail[1]!.role, tail[1]!.content], ["assistant", "Checking."]);
    assert.deepEqual([tail[2]!.role, tail[2]!.tool_call_id, tail[2]!.content], ["tool", "call_j", "sunny, 21C"]);

    // A plain follow-up of a plain answer gets that exchange as context.
    upstream.script("k", [{ text: "Blue." }, { text: "You asked about the sky." }]);
    const sky = await client(base, "k").responses.create({ model: "openclaw", input: "What colour is the sky?" });
    await client(base, "k").responses.create({
      model: "openclaw",
      "previous_response_id": sky.id,
      input: "What did I ask?",
    });
    const asked = (upstream.requestsOf("k")[1] as Wire).messages.slice(-3);
    assert.deepEqual(asked.map((m) => m.role), ["user", "assistant", "user"]);
    assert.equal(asked[1]!.content, "Blue.");
    // An unknown id is ignored, as the reference ignores it: a fresh conversation.
    const fresh = await client(base, "k").responses.create({
      model: "openclaw",
      "previous_response_id": "resp_unknown",
      input: "hi",
    });
    assert.equal(fresh.status, "completed");
    const lone = (upstream.requestsOf("k")[2] as Wire).messages;
    assert.deepEqual(lone.filter((m) => m.role !== "system").map((m) => m.role), ["user"]);
  });
});

Deno.test("responses: previous_response_id to a kept session continues it; the output comes as the reference words it", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("k", [
      { text: "Checking.", toolCalls: [{ id: "call_k", name: "get_weather", args: { city: "Paris" } }] },
      { text: "It is sunny." },
    ]);
    const sdk = client(base, "k");
    const first = await sdk.responses.create({
      model: "openclaw",
      input: "weather in Paris?",
      tools: [RESPONSES_WEATHER],
      user: "u1",
    });
    const call = first.output.find((o) => o.type === "function_call");
    assert.ok(call && call.type === "function_call");
    // Recorded: the text of the step that made the call is not in the output, the call alone is.
    assert.deepEqual(first.output.map((o) => o.type), ["function_call"]);
    const second = await sdk.responses.create({
      model: "openclaw",
      "previous_response_id": first.id,
      input: [{ type: "function_call_output", "call_id": call.call_id, output: "sunny, 21C" }],
      tools: [RESPONSES_WEATHER],
    });
    assert.equal(second.output_text, "It is sunny.");
    // The session's transcript holds the call and the pending result the model read; the caller's
    // output, whose call is not in this request, is the reference's `Tool:<id>: <output>` message.
    const wire = (upstream.requestsOf("k")[1] as Wire).messages.filter((m) => m.role !== "system");
    assert.deepEqual(wire.map((m) => m.role), ["user", "assistant", "tool", "user"]);
    assert.match(String(wire[2]!.content), /Tool execution delegated to client/);
    assert.equal(wire[3]!.content, "Tool:call_k: sunny, 21C");
  });
});
