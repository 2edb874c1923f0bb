// Under a `tool_choice` constraint both APIs hold the streamed text back and send it whole at the
// end. Recorded from the reference (OpenClaw 2026.9.6, `tools.toolSearch.enabled: false`): when a
// step called both an agent tool and the caller's and the run went on to a final answer, the held
// text is that answer's text ("after both"), as the plain answer holds it, not every step's.
import assert from "node:assert/strict";
import { client, withGateway } from "../support/client_tools_gateway.ts";

const MIXED = [
  {
    text: "mixed",
    toolCalls: [
      { id: "call_gw", name: "agents_list", args: {} },
      { id: "call_cl", name: "get_weather", args: { city: "Oslo" } },
    ],
  },
  { text: "after both" },
];

Deno.test("tool_choice required after a mixed step: the held text is the final answer's, streamed on both APIs", async () => {
  await withGateway(async ({ base, upstream }) => {
    const sdk = (model: string) => client(base, model);
    upstream.script("a", MIXED);
    const chat = await sdk("a").chat.completions.create({
      model: "openclaw",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
      tools: [{
        type: "function",
        function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
      }],
      "tool_choice": "required",
    });
    const contents: string[] = [];
    let finish: unknown;
    for await (const chunk of chat) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) contents.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    assert.deepEqual(contents, ["after both"]);
    assert.equal(finish, "tool_calls");

    upstream.script("b", MIXED);
    const stream = await sdk("b").responses.create({
      model: "openclaw",
      input: "hi",
      tools: [{ type: "function", name: "get_weather", parameters: {}, strict: false }],
      "tool_choice": "required",
      stream: true,
    });
    const deltas: string[] = [];
    let done: string | undefined;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") deltas.push(event.delta);
      if (event.type === "response.output_text.done") done = event.text;
    }
    assert.deepEqual(deltas, ["after both"]);
    assert.equal(done, "after both");
  });
});
