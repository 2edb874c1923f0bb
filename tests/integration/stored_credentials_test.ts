// The Anthropic key `openclaw onboard --non-interactive` stores (the reference's `authProfiles.store`
// row) is what our gateway sends, with no `models.providers` key: only the endpoint is moved to a fake
// upstream by config (`models.providers.anthropic.baseUrl`, as the reference allows without a key).
// A key changed in the store applies to the next run without a restart, and a store without one
// fails the run with the reference's words (tests/fixtures/credentials/README.md: how they were recorded).
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { putAuthProfileStore } from "../support/auth_profile_store.ts";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "stored-credentials-token";
const STORED = "sk-ant-stored-one";
const ROTATED = "sk-ant-rotated-two";

Deno.test("a turn on anthropic sends the key onboard stored; a rotated key applies without restart; none gets the reference's words", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome();
  const env = { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath };
  let gateway: Awaited<ReturnType<typeof spawnOpenclaw>> | undefined;
  try {
    const onboard = await spawnOpenclaw([
      "onboard",
      "--non-interactive",
      "--accept-risk",
      "--skip-health",
      "--skip-daemon",
      "--skip-skills",
      "--auth-choice",
      "apiKey",
      "--anthropic-api-key",
      STORED,
    ], { home: home.home, env });
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
    config.models = { providers: { anthropic: { baseUrl: upstream.url.replace(/\/v1$/, "") } } };
    await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
    gateway = await spawnOpenclaw(["gateway", "run", "--port", String(port)], { home: home.home, env });
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
    assert.equal(sent()[0]!["anthropic-version"], "2023-06-01");
    assert.equal(upstream.requests.at(-1)!.model, "claude-opus-5");

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
    assert.equal(third.status, 401);
    assert.equal(third.body.error.type, "authentication_error");
    const message: string = third.body.error.message;
    const agentDir = `${home.stateDir}/agents/main/agent`;
    assert.ok(
      message.startsWith(
        `No API key found for provider "anthropic". Auth store: ${home.stateDir}/state/openclaw.sqlite (agentDir: ${agentDir}). Configure an API key (openclaw models auth paste-api-key --provider anthropic; add --agent <id> for a non-default agent) or copy only portable static auth profiles from the main agentDir.`,
      ),
      message,
    );
    assert.match(message, /anthropic:sub \(a token profile, which this gateway does not send\)/);
    assert.ok(!message.includes("sk-ant-oat-token"), "the stored token is never echoed");
    assert.equal(sent().length, before);
  } finally {
    await gateway?.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
