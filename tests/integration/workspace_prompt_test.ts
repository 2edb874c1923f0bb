import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "workspace-token-0123456789abcdef";

Deno.test("the workspace's bootstrap files reach the model as its system message, for chat, Anthropic and HTTP runs, and stay out of the transcript", async () => {
  const upstream = startFakeUpstream();
  const ws = await Deno.makeTempDir({ prefix: "oc-ws-int-" });
  await Deno.writeTextFile(`${ws}/AGENTS.md`, "Always answer in haiku. AGENTS-MARKER");
  await Deno.writeTextFile(`${ws}/SOUL.md`, "Calm and dry. SOUL-MARKER");
  await Deno.writeTextFile(`${ws}/MEMORY.md`, "The user's cat is called Miso. MEMORY-MARKER");
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    models: {
      providers: {
        fake: { baseUrl: upstream.url, models: ["m1"] },
        claude: { baseUrl: upstream.url, api: "anthropic-messages", apiKey: "sk-ant-test", models: ["claude-x"] },
      },
    },
    agents: {
      list: [
        { id: "main", default: true, model: "fake/m1", workspace: ws },
        { id: "poet", model: "claude/claude-x", workspace: ws },
      ],
    },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    const markers = ["AGENTS-MARKER", "SOUL-MARKER", "MEMORY-MARKER"];
    // A chat turn (WebChat / TUI path) on the OpenAI-compatible API.
    await session.request("chat.send", { sessionKey: "agent:main:main", message: "hello", idempotencyKey: "ws-1" });
    await until(
      () => session.events.some((e) => e.event === "chat" && (e.payload as { state: string }).state === "final"),
      "the chat turn's final event",
    );
    const chatBody = upstream.requests.at(-1) as { messages: { role: string; content: string }[] };
    assert.deepEqual(chatBody.messages.map((m) => m.role), ["system", "user"]);
    for (const marker of markers) assert.ok(chatBody.messages[0]!.content.includes(marker), `${marker} in the prompt`);
    assert.ok(chatBody.messages[0]!.content.includes(`## ${ws}/AGENTS.md`));
    const history = await session.request<{ messages: { role: string; content: unknown }[] }>("chat.history", {
      sessionKey: "agent:main:main",
    });
    assert.deepEqual(history.messages.map((m) => m.role), ["user", "assistant"], "no system message is stored");
    assert.ok(!JSON.stringify(history).includes("AGENTS-MARKER"), "the prompt is not in the transcript");

    // The Anthropic Messages API carries it in its `system` field; a group session has no MEMORY.md.
    const final = await session.request<{ result: { payloads: { text: string }[] } }>(
      "agent",
      { message: "hi", sessionKey: "agent:poet:irc:group:#ops", idempotencyKey: "ws-2" },
      { expectFinal: true },
    );
    assert.equal(final.result.payloads[0]!.text, FAKE_ANSWER);
    const anthropic = upstream.requests.at(-1) as { system?: unknown; messages: { role: string }[] };
    const system = JSON.stringify(anthropic.system ?? "");
    assert.ok(system.includes("AGENTS-MARKER") && system.includes("SOUL-MARKER"), system.slice(0, 200));
    assert.ok(!system.includes("MEMORY-MARKER"), "long-term memory stays out of group sessions");
    assert.deepEqual(anthropic.messages.map((m) => m.role), ["user"]);

    // OpenAI-compatible HTTP: the prompt comes first, the caller's own system message after it.
    await Deno.writeTextFile(`${ws}/AGENTS.md`, "Edited since. EDITED-MARKER");
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "openclaw",
        messages: [{ role: "system", content: "CALLER-SYSTEM" }, { role: "user", content: "hey" }],
      }),
    });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).choices[0].message.content, FAKE_ANSWER);
    const http = upstream.requests.at(-1) as { messages: { role: string; content: string }[] };
    assert.deepEqual(http.messages.map((m) => m.role), ["system", "user"]);
    const prompt = http.messages[0]!.content;
    assert.ok(prompt.includes("EDITED-MARKER"), "files are read afresh for each run");
    assert.ok(prompt.indexOf("EDITED-MARKER") < prompt.indexOf("CALLER-SYSTEM"), "workspace first, caller after");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(ws, { recursive: true });
  }
});
