import assert from "node:assert/strict";
import { type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "tool-loop-token-0123456789abcdef";

function loopConfig(url: string) {
  return {
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: {
      providers: {
        fake: { baseUrl: url, api: "openai-completions", models: ["tooler"] },
        claude: { baseUrl: url, api: "anthropic-messages", apiKey: "sk-test", models: ["tooler-a"] },
      },
    },
    agents: {
      defaults: { model: { primary: "fake/tooler" } },
      list: [{ id: "main", default: true }, { id: "helper", name: "Helper", model: "claude/tooler-a" }],
    },
  };
}

async function withLoopGateway(
  body: (ctx: { session: ReferenceSession; upstream: FakeUpstream }) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome(loopConfig(upstream.url));
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    await body({ session, upstream });
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

type Final = { status: string; result: { payloads: { text: string }[] } };

Deno.test("tool loop (openai-completions): the model calls agents_list, gets its result, answers with text", async () => {
  await withLoopGateway(async ({ session, upstream }) => {
    upstream.script("tooler", [
      { toolCalls: [{ id: "call_agents", name: "agents_list", args: {} }] },
      { text: "There are two agents." },
    ]);
    const final = await session.request<Final>(
      "agent",
      { message: "Which agents exist?", sessionKey: "agent:main:main", idempotencyKey: "loop-openai" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    assert.equal(final.result.payloads[0]!.text, "There are two agents.");

    const [first, second] = upstream.requestsOf("tooler") as {
      tools?: { function: { name: string } }[];
      messages: { role: string; content?: string; tool_call_id?: string; tool_calls?: unknown[] }[];
    }[];
    assert.ok(first && second, "two model steps");
    assert.ok(first.tools?.some((t) => t.function.name === "agents_list"), "agents_list is offered");
    const assistant = second.messages.find((m) => m.role === "assistant");
    assert.deepEqual(assistant?.tool_calls, [{
      id: "call_agents",
      type: "function",
      function: { name: "agents_list", arguments: "{}" },
    }]);
    const result = second.messages.find((m) => m.role === "tool");
    assert.equal(result?.tool_call_id, "call_agents");
    const listed = JSON.parse(result!.content!) as { requester: string; agents: { id: string; name?: string }[] };
    assert.equal(listed.requester, "main");
    assert.deepEqual(listed.agents.map((a) => a.id), ["main", "helper"]);

    const tool = session.events.filter((e) =>
      e.event === "agent" && (e.payload as { stream: string }).stream === "tool"
    ).map((e) => (e.payload as { data: { phase: string; name: string; toolCallId: string } }).data);
    assert.deepEqual(tool.map((d) => [d.phase, d.name, d.toolCallId]), [
      ["start", "agents_list", "call_agents"],
      ["result", "agents_list", "call_agents"],
    ]);
  });
});

Deno.test("tool loop (anthropic-messages): tool_use goes out, tool_result comes back, an unknown tool is an error result", async () => {
  await withLoopGateway(async ({ session, upstream }) => {
    upstream.script("tooler-a", [
      {
        text: "Let me look.",
        toolCalls: [
          { id: "toolu_1", name: "agents_list", args: {} },
          { id: "toolu_2", name: "no_such_tool", args: { x: 1 } },
        ],
      },
      { text: "Done looking." },
    ]);
    const final = await session.request<Final>(
      "agent",
      { message: "Look", agentId: "helper", sessionKey: "agent:helper:main", idempotencyKey: "loop-anthropic" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    assert.equal(final.result.payloads[0]!.text, "Done looking.");
    const second = upstream.requestsOf("tooler-a")[1] as {
      messages: { role: string; content: Record<string, unknown>[] }[];
    };
    const assistant = second.messages.find((m) => m.role === "assistant")!;
    assert.deepEqual(assistant.content.map((c) => c.type), ["text", "tool_use", "tool_use"]);
    const results = second.messages.at(-1)!;
    assert.equal(results.role, "user");
    const [ok, missing] = results.content as { tool_use_id: string; is_error?: boolean; content: unknown }[];
    assert.equal(ok!.tool_use_id, "toolu_1");
    assert.notEqual(ok!.is_error, true);
    assert.match(JSON.stringify(ok!.content), /helper/);
    assert.equal(missing!.tool_use_id, "toolu_2");
    assert.equal(missing!.is_error, true);
    assert.match(JSON.stringify(missing!.content), /Tool no_such_tool not found/);
  });
});
