// A kept session (`user` or a session key) with the caller's function tools: the session's
// transcript already holds the calls the run handed back (with the reference's pending result), and
// an OpenAI client's follow-up sends those calls again with its results. OpenAI refuses one
// tool_call_id twice in a request ("Invalid parameter: Duplicate value for 'tool_call_id'"), so the
// follow-up's copy of a call the transcript holds is left out and its result reaches the model as
// the reference words such an output, `Tool:<id>: <output>`.
import assert from "node:assert/strict";
import { client, WEATHER, withGateway } from "../support/client_tools_gateway.ts";

type Wire = {
  messages: { role: string; content?: unknown; "tool_call_id"?: string; "tool_calls"?: { id: string }[] }[];
};

Deno.test("a kept session's follow-up sends each tool call and result once; the caller's output reaches the model", async () => {
  await withGateway(async ({ base, upstream }) => {
    upstream.script("k", [
      { text: "Checking.", toolCalls: [{ id: "call_k1", name: "get_weather", args: { city: "Paris" } }] },
      { text: "Sunny in Paris." },
    ]);
    const sdk = client(base, "k");
    const first = await sdk.chat.completions.create({
      model: "openclaw",
      user: "kept-1",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [WEATHER],
    });
    assert.equal(first.choices[0]!.finish_reason, "tool_calls");
    const calls = first.choices[0]!.message.tool_calls!;
    const second = await sdk.chat.completions.create({
      model: "openclaw",
      user: "kept-1",
      messages: [
        { role: "user", content: "weather in Paris?" },
        { role: "assistant", content: null, "tool_calls": calls },
        { role: "tool", "tool_call_id": calls[0]!.id, content: "sunny, 21C" },
      ],
      tools: [WEATHER],
    });
    assert.equal(second.choices[0]!.message.content, "Sunny in Paris.");
    const wire = (upstream.requestsOf("k")[1] as Wire).messages;
    const callIds = wire.flatMap((m) => m.tool_calls?.map((c) => c.id) ?? []);
    const resultIds = wire.flatMap((m) => m.role === "tool" ? [m.tool_call_id] : []);
    assert.deepEqual(callIds, ["call_k1"], JSON.stringify(wire));
    assert.deepEqual(resultIds, ["call_k1"], JSON.stringify(wire));
    // The transcript's call and pending result, the prompt, then the caller's output as the reference words it.
    const tail = wire.filter((m) => m.role !== "system").slice(-3);
    assert.deepEqual(tail.map((m) => m.role), ["tool", "user", "user"]);
    assert.equal(tail[2]!.content, "Tool:call_k1: sunny, 21C");
  });
});
