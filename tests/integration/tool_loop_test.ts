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
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
  };
}

async function withLoopGateway(
  body: (ctx: { session: ReferenceSession; reader: ReferenceSession; upstream: FakeUpstream }) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome(loopConfig(upstream.url));
  const { proc, port } = await startGateway({ home: home.home });
  // The session starting runs asks for tool events, as the reference TUI and Control UI do.
  const session = await connectReference({ port, token: TOKEN, caps: ["tool-events"] });
  const reader = await connectReference({ port, token: TOKEN });
  try {
    await body({ session, reader, upstream });
  } finally {
    reader.stop();
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

type Final = { status: string; result: { payloads: { text: string }[] } };

Deno.test("tool loop (openai-completions): the model calls agents_list, gets its result, answers with text", async () => {
  await withLoopGateway(async ({ session, reader, upstream }) => {
    upstream.script("tooler", [
      { text: "Let me check.", toolCalls: [{ id: "call_agents", name: "agents_list", args: {} }] },
      { text: "There are two agents." },
      { text: "Still two." },
    ]);
    const final = await session.request<Final>(
      "agent",
      { message: "Which agents exist?", sessionKey: "agent:main:main", idempotencyKey: "loop-openai" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    assert.equal(final.result.payloads[0]!.text, "There are two agents.");
    // The report counts the steps and the tools that answered; one model, one attempt.
    const meta = (final.result as unknown as {
      meta: {
        agentMeta: {
          assistantTurns: number;
          usage: { output: number };
          lastCallUsage: { output: number };
          terminalReceipt: { successfulToolNames: string[] };
        };
        executionTrace: { attempts: unknown[] };
      };
    }).meta;
    assert.equal(meta.agentMeta.assistantTurns, 2);
    assert.deepEqual(meta.agentMeta.terminalReceipt.successfulToolNames, ["agents_list"]);
    assert.equal(meta.agentMeta.usage.output, 2 * meta.agentMeta.lastCallUsage.output);
    assert.equal(meta.executionTrace.attempts.length, 1);

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
    ).map((e) => (e.payload as { data: Record<string, unknown> }).data);
    assert.deepEqual(tool.map((d) => [d.phase, d.name, d.toolCallId]), [
      ["start", "agents_list", "call_agents"],
      ["result", "agents_list", "call_agents"],
    ]);
    assert.deepEqual(tool[0]!.args, {});
    assert.equal(tool[1]!.isError, false);
    assert.equal(tool[1]!.commandBearing, false);
    const toolResult = tool[1]!.result as { content: { text: string }[]; details: { requester: string } };
    assert.equal(toolResult.details.requester, "main");
    assert.equal(JSON.parse(toolResult.content[0]!.text).requester, "main");
    const items = session.events.filter((e) =>
      e.event === "agent" && (e.payload as { stream: string }).stream === "item"
    ).map((e) => (e.payload as { data: Record<string, unknown> }).data);
    assert.deepEqual(items.map((d) => [d.itemId, d.phase, d.status, d.title]), [
      ["tool:call_agents", "start", "running", "Agents"],
      ["tool:call_agents", "end", "completed", "Agents"],
    ]);
    // A reader that neither asked for tool events nor started the run sees the activity, not the payloads.
    const readerStreams = reader.events.filter((e) => e.event === "agent")
      .map((e) => (e.payload as { stream: string }).stream);
    assert.ok(readerStreams.includes("item") && readerStreams.includes("lifecycle"), readerStreams.join());
    assert.ok(!readerStreams.includes("tool"), readerStreams.join());

    // The chat message is the steps' text joined; the run's answer is the last step's.
    const chat = session.events.filter((e) =>
      e.event === "chat" && (e.payload as { runId: string }).runId === "loop-openai"
    )
      .map((e) => e.payload as { state: string; message?: { content: { text: string }[] } });
    assert.equal(chat.at(-1)!.state, "final");
    assert.equal(chat.at(-1)!.message!.content[0]!.text, "Let me check.\n\nThere are two agents.");

    // The transcript keeps the call and its result as the reference does; chat.history shows them.
    const history = await session.request<{ messages: Record<string, unknown>[] }>("chat.history", {
      sessionKey: "agent:main:main",
    });
    assert.deepEqual(history.messages.map((m) => m.role), ["user", "assistant", "toolResult", "assistant"]);
    const [, call, answer, last] = history.messages;
    assert.deepEqual(call!.content, [
      { type: "text", text: "Let me check." },
      { type: "toolCall", id: "call_agents", name: "agents_list", arguments: {} },
    ]);
    assert.equal(call!.stopReason, "toolUse");
    assert.equal(answer!.toolCallId, "call_agents");
    assert.equal(answer!.toolName, "agents_list");
    assert.equal(answer!.isError, false);
    assert.deepEqual(last!.content, [{ type: "text", text: "There are two agents." }]);

    // A later run sends the earlier call and its result to the model in the wire's format.
    const again = await session.request<Final>(
      "agent",
      { message: "And now?", sessionKey: "agent:main:main", idempotencyKey: "loop-openai-2" },
      { expectFinal: true },
    );
    assert.equal(again.status, "ok");
    const third = upstream.requestsOf("tooler")[2] as { messages: { role: string; tool_call_id?: string }[] };
    assert.deepEqual(third.messages.map((m) => m.role), ["system", "user", "assistant", "tool", "assistant", "user"]);
    assert.equal(third.messages[3]!.tool_call_id, "call_agents");
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
      { text: "Looked before." },
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

    // A later run replays the calls and their results on the Anthropic wire.
    const again = await session.request<Final>(
      "agent",
      { message: "Again", agentId: "helper", sessionKey: "agent:helper:main", idempotencyKey: "loop-anthropic-2" },
      { expectFinal: true },
    );
    assert.equal(again.status, "ok");
    const third = upstream.requestsOf("tooler-a")[2] as {
      messages: { role: string; content: Record<string, unknown>[] }[];
    };
    assert.deepEqual(
      third.messages.map((m) => [m.role, m.content.map((c) => c.type).join(",")]),
      [
        ["user", "text"],
        ["assistant", "text,tool_use,tool_use"],
        ["user", "tool_result,tool_result"],
        ["assistant", "text"],
        ["user", "text"],
      ],
    );
  });
});
