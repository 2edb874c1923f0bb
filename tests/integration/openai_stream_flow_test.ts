import assert from "node:assert/strict";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "flow-token-0123456789abcdef";

function chunk(delta: Record<string, unknown>, finish: string | null): string {
  const body = { id: "c", object: "chat.completion.chunk", created: 1, model: "gated", choices: [] as unknown[] };
  body.choices.push({ index: 0, delta, "finish_reason": finish });
  return `data: ${JSON.stringify(body)}\n\n`;
}

Deno.test("HTTP: a streamed delta reaches the client before the upstream sends its next chunk", async () => {
  // The upstream sends its first chunk, then holds the rest until the client has read that
  // chunk's delta through the gateway (or gives up after 10 s: then the gateway held it back).
  let release!: (why: "client" | "timeout") => void;
  const released = new Promise<"client" | "timeout">((resolve) => release = resolve);
  const giveUp = setTimeout(() => release("timeout"), 10_000);
  const encoder = new TextEncoder();
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    await request.text();
    return new Response(
      new ReadableStream({
        async start(controller) {
          controller.enqueue(encoder.encode(chunk({ role: "assistant", content: "Hello" }, null)));
          await released;
          controller.enqueue(encoder.encode(chunk({ content: " world" }, null)));
          controller.enqueue(encoder.encode(chunk({}, "stop")));
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  });
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    models: {
      providers: {
        fake: { baseUrl: `http://127.0.0.1:${(upstream.addr as Deno.NetAddr).port}/v1`, models: ["gated"] },
      },
    },
    agents: { defaults: { model: { primary: "fake/gated" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    assert.equal(response.status, 200);
    const decoder = new TextDecoder();
    let text = "";
    for await (const piece of response.body!) {
      text += decoder.decode(piece, { stream: true });
      // Nothing in "Hello" could still become something else (a `MEDIA:` line), so it must come through now.
      if (text.includes('"content":"Hello"')) release("client");
    }
    assert.equal(await released, "client", "the first delta was held until the upstream's next chunk");
    assert.ok(text.includes('"content":" world"') && text.endsWith("data: [DONE]\n\n"));
  } finally {
    clearTimeout(giveUp);
    release("timeout");
    await proc.stop();
    await upstream.shutdown();
    await home.cleanup();
  }
});
