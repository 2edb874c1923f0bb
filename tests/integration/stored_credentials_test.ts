// The Anthropic key `openclaw onboard --non-interactive` stores (the reference's `authProfiles.store`
// row) is what our gateway sends, with no `models.providers` key: only the endpoint is moved to a fake
// upstream by config (`models.providers.anthropic.baseUrl`, as the reference allows without a key).
// A key changed in the store applies to the next run without a restart, a store without one fails the
// run with the reference's words (tests/fixtures/credentials/README.md: how they were recorded), and
// `/v1/embeddings` on the built-in openai sends OPENAI_API_KEY.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { onboardApiKeyArgs, putAuthProfileStore } from "../support/auth_profile_store.ts";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";

const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/credentials/reference_runs.json", import.meta.url)),
);
const TOKEN = "stored-credentials-token";
const STORED = "sk-ant-stored-one";
const ROTATED = "sk-ant-rotated-two";
const OPENAI_KEY = "sk-openai-from-env";

Deno.test("a turn on anthropic sends the key onboard stored; a rotated key applies without restart; none gets the reference's words", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome();
  const env = { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath };
  let gateway: Awaited<ReturnType<typeof spawnOpenclaw>> | undefined;
  try {
    const onboard = await spawnOpenclaw(onboardApiKeyArgs(STORED), { home: home.home, env });
    assert.equal(await onboard.exited(30_000), 0, onboard.output);
    const config = JSON.parse(await Deno.readTextFile(home.configPath));
    assert.equal(config.agents.defaults.model.primary, "anthropic/claude-opus-5");
    assert.equal(config.models, undefined, "onboard declares no provider");
    const port = freePort();
    config.gateway = {
      ...config.gateway,
      port,
      auth: { mode: "token", token: TOKEN },
      http: { endpoints: { chatCompletions: { enabled: true } } },
    };
    // The endpoint only: the reference posts to `<baseUrl>/v1/messages` and so do we.
    config.models = {
      providers: { anthropic: { baseUrl: upstream.url.replace(/\/v1$/, "") }, openai: { baseUrl: upstream.url } },
    };
    await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
    // OpenAI's key from the environment only: the built-in provider's variable (for the embeddings below).
    gateway = await spawnOpenclaw(["gateway", "run", "--port", String(port)], {
      home: home.home,
      env: { ...env, OPENAI_API_KEY: OPENAI_KEY },
    });
    await gateway.waitForLine(/listening on/, 30_000);
    const ask = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "hi" }] }),
      });
      return { status: response.status, body: await response.json() };
    };
    const sent = () => upstream.calls.filter((call) => call.path === "/v1/messages").map((call) => call.headers);

    const first = await ask();
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.choices[0].message.content, "Hello from the fake model, streamed in pieces.");
    assert.equal(sent().length, 1);
    assert.equal(sent()[0]!["x-api-key"], STORED);
    // As the reference sent it (`base`): the same version header, the same path.
    assert.equal(sent()[0]!["anthropic-version"], RECORDED.base.first.upstreamCalls[0].ver);
    assert.equal(upstream.calls.at(-1)!.path, RECORDED.base.first.upstreamCalls[0].path);
    assert.equal(upstream.requests.at(-1)!.model, "claude-opus-5");

    // `/v1/embeddings` on the built-in openai provider sends OPENAI_API_KEY (no profile for openai).
    const embedded = await fetch(`http://127.0.0.1:${port}/v1/embeddings`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TOKEN}`,
        "content-type": "application/json",
        "x-openclaw-model": "openai/text-embedding-3-small",
      },
      body: JSON.stringify({ input: "hello" }),
    });
    assert.equal(embedded.status, 200, await embedded.clone().text());
    assert.equal((await embedded.json()).data[0].embedding.length, 3);
    const embeddingCall = upstream.calls.findLast((call) => call.path === "/v1/embeddings")!;
    assert.equal(embeddingCall.headers.authorization, `Bearer ${OPENAI_KEY}`);

    // Rotated in the store by another process: the next run sends it, the gateway never restarted.
    const profile = { type: "api_key", provider: "anthropic", key: ROTATED };
    putAuthProfileStore(home.stateDir, JSON.stringify({ version: 1, profiles: { "anthropic:default": profile } }));
    const second = await ask();
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(sent().at(-1)!["x-api-key"], ROTATED);

    // No API-key profile left (a token login is not sent): refused with the reference's words, nothing sent.
    const token = { type: "token", provider: "anthropic", token: "sk-ant-oat-token" };
    putAuthProfileStore(home.stateDir, JSON.stringify({ version: 1, profiles: { "anthropic:sub": token } }));
    const before = sent().length;
    const third = await ask();
    // The reference's answer for a store without a key (`nostore`), its temp state dir replaced by ours.
    const reference = RECORDED.nostore.first;
    assert.equal(third.status, reference.status);
    assert.equal(third.body.error.type, reference.body.error.type);
    const message: string = third.body.error.message;
    const words: string = reference.body.error.message.replaceAll("<ROOT>/state", home.stateDir);
    assert.ok(message.startsWith(`${words} Profiles not used: `), `${message}\n!=\n${words}`);
    assert.match(message, /anthropic:sub \(a token profile, which this gateway does not send\)/);
    assert.ok(!message.includes("sk-ant-oat-token"), "the stored token is never echoed");
    // No profile at all: the reference's words and nothing more.
    putAuthProfileStore(home.stateDir, JSON.stringify({ version: 1, profiles: {} }));
    const fourth = await ask();
    assert.equal(fourth.status, reference.status);
    assert.equal(fourth.body.error.message, words);
    assert.equal(sent().length, before);
  } finally {
    await gateway?.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
