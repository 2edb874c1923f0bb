import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "attach-token-0123456789abcdef";
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

Deno.test("chat.send attachments: an image reaches a vision model inline; a document is kept and named; bad content is refused", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: {
      providers: {
        fake: {
          baseUrl: upstream.url,
          api: "openai-completions",
          models: [{ id: "m1", name: "m1", input: ["text", "image"] }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  const lastUser = () => {
    const request = upstream.requests.at(-1) as { messages: { role: string; content: unknown }[] };
    return request.messages.filter((m) => m.role === "user").at(-1)!.content;
  };
  try {
    await session.request("chat.send", {
      sessionKey: "agent:main:main",
      message: "what is this?",
      idempotencyKey: "a1",
      attachments: [{
        type: "image",
        mimeType: "image/png",
        fileName: "dot.png",
        content: `data:image/png;base64,${PNG_B64}`,
      }],
    });
    await until(() => upstream.requests.length === 1, "the model asked");
    assert.deepEqual(lastUser(), [
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } },
    ]);
    await session.request("agent.wait", { runId: "a1", timeoutMs: 10_000 });

    const pdf = btoa("%PDF-1.4 hello");
    await session.request("chat.send", {
      sessionKey: "agent:main:main",
      message: "read this",
      idempotencyKey: "a2",
      attachments: [{ type: "file", mimeType: "application/pdf", fileName: "report.pdf", content: pdf }],
    });
    await until(() => upstream.requests.length === 2, "the model asked again");
    const kept = (await Array.fromAsync(Deno.readDir(`${home.stateDir}/media/inbound`))).map((e) => e.name);
    assert.equal(kept.length, 1);
    assert.match(kept[0]!, /^report---[0-9a-f-]{36}\.pdf$/);
    assert.equal(lastUser(), `read this\n[media attached: ${home.stateDir}/media/inbound/${kept[0]}]`);
    await session.request("agent.wait", { runId: "a2", timeoutMs: 10_000 });

    await assert.rejects(
      session.request("chat.send", {
        sessionKey: "agent:main:main",
        message: "x",
        idempotencyKey: "a3",
        attachments: [{ type: "image", mimeType: "image/png", fileName: "bad.png", content: "not base64!" }],
      }),
      /attachment bad\.png: invalid base64 content/,
    );
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
