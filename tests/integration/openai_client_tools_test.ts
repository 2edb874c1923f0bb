// The caller's own function tools on `/v1/chat/completions` and `/v1/responses`, with the `openai`
// SDK against the gateway as the binary runs it and a scripted model. The shapes were recorded
// from the reference (OpenClaw 2026.9.6, `tools.toolSearch.enabled: false` so it offers client
// tools directly, as this gateway does): docs/compatibility.md.
import assert from "node:assert/strict";
import OpenAI from "openai";
import { type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "client-tools-token-0123456789abcdef";
const MODELS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];

const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

type Wire = { messages: Record<string, unknown>[]; tools?: { function: { name: string } }[] };

async function withGateway(body: (ctx: { base: string; upstream: FakeUpstream }) => Promise<void>): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: {
      mode: "local",
      auth: { token: TOKEN },
      http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } },
    },
    models: {
      providers: {
        fake: { baseUrl: upstream.url, api: "openai-completions", models: MODELS },
        claude: { baseUrl: upstream.url, api: "anthropic-messages", apiKey: "sk-test", models: ["ca"] },
      },
    },
    agents: { defaults: { model: { primary: "fake/a" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await body({ base: `http://127.0.0.1:${port}`, upstream });
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

function client(base: string, model: string): OpenAI {
  return new OpenAI({ baseURL: `${base}/v1`, apiKey: TOKEN, defaultHeaders: { "x-openclaw-model": `fake/${model}` } });
}

function offeredNames(request: Record<string, unknown> | undefined): string[] {
  return ((request as Wire | undefined)?.tools ?? []).map((t) => t.function.name);
}

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

const RESPONSES_WEATHER = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
  strict: false,
};

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
    const sdk = new OpenAI({
      baseURL: `${base}/v1`,
      apiKey: TOKEN,
      defaultHeaders: { "x-openclaw-model": "claude/ca" },
    });
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
