// The caller's own function tools on `/v1/chat/completions` and `/v1/responses`, with the `openai`
// SDK against the gateway as the binary runs it and a scripted model. The shapes were recorded
// from the reference (OpenClaw 2026.9.6, `tools.toolSearch.enabled: false` so it offers client
// tools directly, as this gateway does): docs/compatibility.md.
import assert from "node:assert/strict";
import {
  client,
  offeredNames,
  RESPONSES_WEATHER,
  TOKEN,
  WEATHER,
  type Wire,
  withGateway,
} from "../support/client_tools_gateway.ts";

Deno.test("chat completions: a call of the caller's tool ends the run as tool_calls, plain and streamed", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("a", [
      { text: "Let me check.", toolCalls: [{ id: "call_w1", name: "get_weather", args: { city: "Paris" } }] },
      { text: "never asked" },
    ]);
    const plain = await client(base, "a").chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [WEATHER],
    });
    // Recorded: content "" (the step's text is commentary), the call with its JSON arguments.
    assert.equal(plain.choices[0]!.finish_reason, "tool_calls");
    assert.deepEqual(plain.choices[0]!.message.content, "");
    assert.deepEqual(plain.choices[0]!.message.tool_calls, [
      { id: "call_w1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);
    // One model call: the run stopped at the caller's tool; the model was offered it next to the agent's.
    assert.equal(upstream.requestsOf("a").length, 1);
    const names = offeredNames(upstream.requestsOf("a")[0]);
    assert.ok(names.includes("get_weather") && names.includes("agents_list"), names.join(","));

    upstream.script("b", [{ toolCalls: [{ id: "call_w2", name: "get_weather", args: { city: "Paris" } }] }]);
    const stream = await client(base, "b").chat.completions.create({
      model: "openclaw",
      stream: true,
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [WEATHER],
    });
    const deltas: unknown[] = [];
    const finishes: unknown[] = [];
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.tool_calls) deltas.push(choice.delta.tool_calls);
      if (choice?.finish_reason) finishes.push(choice.finish_reason);
    }
    // Recorded: one chunk naming the call (empty arguments), one with the arguments, finish tool_calls.
    assert.deepEqual(deltas, [
      [{ index: 0, id: "call_w2", type: "function", function: { name: "get_weather", arguments: "" } }],
      [{ index: 0, function: { arguments: '{"city":"Paris"}' } }],
    ]);
    assert.deepEqual(finishes, ["tool_calls"]);
  });
});

Deno.test("chat completions: the follow-up's tool_calls and tool messages reach the model as tool results", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("c", [{ text: "It is sunny in Paris." }]);
    const answer = await client(base, "c").chat.completions.create({
      model: "openclaw",
      tools: [WEATHER],
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "weather in Paris?" },
        {
          role: "assistant",
          content: null,
          "tool_calls": [{
            id: "call_w1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          }],
        },
        { role: "tool", "tool_call_id": "call_w1", content: "sunny, 21C" },
      ],
    });
    assert.equal(answer.choices[0]!.message.content, "It is sunny in Paris.");
    assert.equal(answer.choices[0]!.finish_reason, "stop");
    const wire = upstream.requestsOf("c")[0] as Wire;
    const tail = wire.messages.slice(-3);
    assert.equal(tail[0]!.role, "user");
    assert.match(String(tail[0]!.content), /weather in Paris\?/);
    assert.equal(tail[1]!.role, "assistant");
    assert.deepEqual(tail[1]!.tool_calls, [
      { id: "call_w1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);
    assert.deepEqual({ role: tail[2]!.role, id: tail[2]!.tool_call_id, content: tail[2]!.content }, {
      role: "tool",
      id: "call_w1",
      content: "sunny, 21C",
    });
  });
});

Deno.test("chat completions: bad tools and tool_choice get the reference's 400s; a clash with the agent's tools too", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("d", [{ text: "plain answer" }]);
    const ask = async (extra: Record<string, unknown>) => {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "x-openclaw-model": "fake/d" },
        body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }], ...extra }),
      });
      return { status: res.status, body: await res.json() };
    };
    const invalid = (message: string) => ({ status: 400, body: { error: { message, type: "invalid_request_error" } } });
    assert.deepEqual(await ask({ tools: {} }), invalid("tools: Invalid input: expected array, received object"));
    assert.deepEqual(await ask({ tools: [1] }), invalid("Invalid tools/tool_choice: each tool must be an object"));
    assert.deepEqual(
      await ask({ tools: [{ type: "web_search" }] }),
      invalid("Invalid tools/tool_choice: only function tools are supported"),
    );
    assert.deepEqual(
      await ask({ tools: [{ type: "function" }] }),
      invalid("Invalid tools/tool_choice: tool.function is required"),
    );
    assert.deepEqual(
      await ask({ tools: [{ type: "function", function: { name: " " } }] }),
      invalid("Invalid tools/tool_choice: tool.function.name is required"),
    );
    assert.deepEqual(
      await ask({ tools: [WEATHER], "tool_choice": { type: "function", function: { name: "nope" } } }),
      invalid("Invalid tools/tool_choice: tool_choice requested unknown tool: nope"),
    );
    assert.deepEqual(
      await ask({ tools: [], "tool_choice": "required" }),
      invalid("Invalid tools/tool_choice: tool_choice=required but no tools were provided"),
    );
    assert.deepEqual(
      await ask({ tools: [WEATHER], "tool_choice": 5 }),
      invalid("Invalid tools/tool_choice: tool_choice must be a string or object"),
    );
    assert.deepEqual(
      await ask({ tools: [WEATHER], "tool_choice": { type: "allowed_tools" } }),
      invalid("Invalid tools/tool_choice: tool_choice allowed_tools is not supported"),
    );
    // A name the agent's own tools hold, or one given twice: refused before the model is asked.
    const before = upstream.requestsOf("d").length;
    assert.deepEqual(
      await ask({ tools: [{ type: "function", function: { name: "agents_list" } }] }),
      invalid("invalid tool configuration"),
    );
    assert.deepEqual(await ask({ tools: [WEATHER, WEATHER] }), invalid("invalid tool configuration"));
    assert.equal(upstream.requestsOf("d").length, before);
    // `required` that the model ignores: the reference's 502, plain and in-band when streamed.
    assert.deepEqual(await ask({ tools: [WEATHER], "tool_choice": "required" }), {
      status: 502,
      body: { error: { message: "tool_choice=required was not satisfied by the agent response", type: "api_error" } },
    });
    const system = String((upstream.requestsOf("d").at(-1) as Wire).messages.map((m) => m.content).join("\n"));
    assert.match(system, /You must call one of the available tools before responding\./);
    const streamed = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "x-openclaw-model": "fake/d" },
      body: JSON.stringify({
        model: "openclaw",
        stream: true,
        messages: [{ role: "user", content: "hi" }],
        tools: [WEATHER],
        "tool_choice": "required",
      }),
    });
    const events = (await streamed.text()).split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, ""));
    assert.equal(events.length, 3, events.join("|"));
    assert.deepEqual(JSON.parse(events[1]!), {
      error: { message: "tool_choice=required was not satisfied by the agent response", type: "api_error" },
    });
    assert.equal(events[2], "[DONE]");
  });
});

Deno.test("chat completions: tool_choice none offers no caller tool; a step calling both kinds runs the agent's and goes on", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("e", [{ text: "no tools needed" }]);
    await client(base, "e").chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "hi" }],
      tools: [WEATHER],
      "tool_choice": "none",
    });
    assert.ok(!offeredNames(upstream.requestsOf("e")[0]).includes("get_weather"));

    upstream.script("f", [
      {
        text: "mixed",
        toolCalls: [
          { id: "call_gw", name: "agents_list", args: {} },
          { id: "call_cl", name: "get_weather", args: { city: "Oslo" } },
        ],
      },
      { text: "after both" },
    ]);
    const mixed = await client(base, "f").chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "hi" }],
      tools: [WEATHER],
    });
    // Recorded: the final step's text, the caller's call, finish tool_calls.
    assert.equal(mixed.choices[0]!.finish_reason, "tool_calls");
    assert.equal(mixed.choices[0]!.message.content, "after both");
    assert.deepEqual(mixed.choices[0]!.message.tool_calls?.map((c) => c.id), ["call_cl"]);
    // The model read the agent's real result and the reference's pending result for the caller's call.
    const second = upstream.requestsOf("f")[1] as Wire;
    const results = second.messages.filter((m) => m.role === "tool");
    assert.equal(results.length, 2);
    assert.match(String(results[0]!.content), /main/);
    assert.equal(
      results[1]!.content,
      JSON.stringify(
        { status: "pending", tool: "get_weather", message: "Tool execution delegated to client" },
        null,
        2,
      ),
    );
  });
});

Deno.test("tool_choice required, met: the streamed text is held back and sent whole before the calls, on both APIs", async () => {
  await withGateway(async ({ base, upstream }) => {
    const step = { text: "Let me check the weather.", toolCalls: [{ id: "call_r", name: "get_weather", args: {} }] };
    upstream.script("a", [step]);
    const chat = await client(base, "a").chat.completions.create({
      model: "openclaw",
      stream: true,
      messages: [{ role: "user", content: "weather?" }],
      tools: [WEATHER],
      "tool_choice": "required",
    });
    const contents: string[] = [];
    let finish: unknown;
    for await (const chunk of chat) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) contents.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    // The fake model streams the text in two pieces; held, it comes as one.
    assert.deepEqual(contents, ["Let me check the weather."]);
    assert.equal(finish, "tool_calls");

    upstream.script("b", [step]);
    const stream = await client(base, "b").responses.create({
      model: "openclaw",
      input: "weather?",
      tools: [RESPONSES_WEATHER],
      "tool_choice": "required",
      stream: true,
    });
    const deltas: string[] = [];
    for await (const event of stream) if (event.type === "response.output_text.delta") deltas.push(event.delta);
    assert.deepEqual(deltas, ["Let me check the weather."]);
  });
});

Deno.test("chat completions on the Anthropic wire: the caller's tool offered, its call handed back, the follow-up as tool_use and tool_result", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("ca", [
      { toolCalls: [{ id: "toolu_1", name: "get_weather", args: { city: "Paris" } }] },
      { text: "Sunny in Paris." },
    ]);
    const sdk = client(base, "ca", "claude");
    const first = await sdk.chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [WEATHER],
    });
    assert.equal(first.choices[0]!.finish_reason, "tool_calls");
    const calls = first.choices[0]!.message.tool_calls!;
    const offered = (upstream.requestsOf("ca")[0] as { tools: { name: string }[] }).tools.map((t) => t.name);
    assert.ok(offered.includes("get_weather"));
    const second = await sdk.chat.completions.create({
      model: "openclaw",
      messages: [
        { role: "user", content: "weather in Paris?" },
        { role: "assistant", content: null, "tool_calls": calls },
        { role: "tool", "tool_call_id": calls[0]!.id, content: "sunny, 21C" },
      ],
      tools: [WEATHER],
    });
    assert.equal(second.choices[0]!.message.content, "Sunny in Paris.");
    type Block = {
      type: string;
      id?: string;
      name?: string;
      input?: unknown;
      "tool_use_id"?: string;
      content?: unknown;
    };
    const wire = (upstream.requestsOf("ca")[1] as { messages: { role: string; content: Block[] | string }[] }).messages;
    const blocks = wire.flatMap((m) =>
      typeof m.content === "string" ? [] : m.content.map((b) => ({ role: m.role, ...b }))
    );
    const use = blocks.find((b) => b.type === "tool_use");
    const result = blocks.find((b) => b.type === "tool_result");
    assert.deepEqual([use?.role, use?.id, use?.name, use?.input], ["assistant", "toolu_1", "get_weather", {
      city: "Paris",
    }]);
    assert.deepEqual([result?.role, result?.tool_use_id], ["user", "toolu_1"]);
    assert.match(JSON.stringify(result?.content), /sunny, 21C/);
  });
});
