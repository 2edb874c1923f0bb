import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { ProviderModels, streamCompletion } from "../../src/agent/provider.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async function send(api: string) {
  const upstream = startFakeUpstream();
  try {
    const provider = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, api, apiKey: "k", models: ["m1"] } } },
      } as never,
      "/s",
      "/home/test",
    ).providers.get("fake")!;
    for await (
      const _ of streamCompletion({
        provider,
        model: "m1",
        messages: [{ role: "user", text: "what is this?", images: [{ data: PNG_B64, mimeType: "image/png" }] }],
        signal: new AbortController().signal,
        models: new ProviderModels(),
      })
    ) {
      // Drained: only the request matters.
    }
    return upstream.requests.at(-1) as { messages: { role: string; content: unknown }[] };
  } finally {
    await upstream.stop();
  }
}

Deno.test("a user message's images: an image_url data URL part on the OpenAI-compatible wire", async () => {
  const request = await send("openai-completions");
  assert.deepEqual(request.messages.at(-1), {
    role: "user",
    content: [
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_B64}` } },
    ],
  });
});

Deno.test("a user message's images: a base64 image source block on the Anthropic Messages wire", async () => {
  const request = await send("anthropic-messages");
  const content = request.messages.at(-1)!.content as Record<string, unknown>[];
  assert.deepEqual(content.map(({ cache_control: _, ...part }) => part), [
    { type: "text", text: "what is this?" },
    { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_B64 } },
  ]);
});
