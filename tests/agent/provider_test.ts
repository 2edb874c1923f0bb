import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { ProviderModels, streamCompletion } from "../../src/agent/provider.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";

function providers(baseUrl: string, api = "openai-completions") {
  return agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl, api, models: ["m1"] }, other: { baseUrl, models: ["m1"] } } },
    } as never,
    "/s",
    "/home/test",
  ).providers;
}

Deno.test("ProviderModels builds a model once per provider spec and model id", async () => {
  const models = new ProviderModels();
  const specs = providers("http://127.0.0.1:9/v1");
  const fake = specs.get("fake")!;
  const first = await models.get(fake, "m1");
  assert.equal(await models.get(fake, "m1"), first);
  assert.notEqual(await models.get(fake, "m2"), first);
  assert.notEqual(await models.get(specs.get("other")!, "m1"), first);
  assert.equal(first.modelId, "m1");
});

Deno.test("ProviderModels builds afresh for a reloaded config (a new spec object, new settings)", async () => {
  const models = new ProviderModels();
  const before = await models.get(providers("http://127.0.0.1:9/v1").get("fake")!, "m1");
  const after = await models.get(providers("http://127.0.0.1:10/v1", "anthropic-messages").get("fake")!, "m1");
  assert.notEqual(after, before);
  assert.match(after.provider, /anthropic/);
});

Deno.test("streamCompletion() reuses one model across runs and still streams each answer whole", async () => {
  const upstream = startFakeUpstream();
  try {
    const models = new ProviderModels();
    const provider = providers(upstream.url).get("fake")!;
    for (let run = 0; run < 3; run++) {
      let text = "";
      for await (
        const part of streamCompletion({
          provider,
          model: "m1",
          messages: [{ role: "user", text: `hi ${run}` }],
          signal: new AbortController().signal,
          models,
        })
      ) {
        if (part.type === "delta") text += part.text;
      }
      assert.equal(text, FAKE_ANSWER);
    }
    // Each run sent its own request: the cached model carries no state from one run to the next.
    assert.deepEqual(
      upstream.requests.map((r) => (r.messages as { content: string }[]).at(-1)?.content),
      ["hi 0", "hi 1", "hi 2"],
    );
  } finally {
    await upstream.stop();
  }
});
