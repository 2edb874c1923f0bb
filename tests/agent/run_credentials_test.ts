import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { anthropicSdkBaseUrl } from "../../src/agent/provider.ts";
import { RunCredentials } from "../../src/agent/run_credentials.ts";
import { RunError } from "../../src/agent/run_error.ts";
import { resolveRunTarget } from "../../src/agent/run_target.ts";
import { putAuthProfileStore } from "../support/auth_profile_store.ts";

async function withState(run: (stateDir: string) => void | Promise<void>): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runcred-" });
  try {
    await run(stateDir);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
}

function credentials(stateDir: string, env: Record<string, string> = {}): RunCredentials {
  return new RunCredentials({ stateDir, env: (name) => env[name], auth: () => ({}) });
}

Deno.test("a model on anthropic or openai resolves without a models.providers entry, on the built-in endpoint", () => {
  const agents = agentsFromConfig(
    { agents: { defaults: { model: { primary: "anthropic/claude-opus-5" } } } },
    "/s",
    "/home/test",
  );
  const target = resolveRunTarget(agents, { agentId: "main" });
  assert.equal(target.spec.baseUrl, "https://api.anthropic.com");
  assert.equal(target.spec.api, "anthropic-messages");
  assert.equal(target.spec.builtIn, true);
  assert.equal(agents.providers.size, 0, "built-ins are not listed as declared providers");
  const openai = resolveRunTarget(agents, { agentId: "main", model: { provider: "openai", model: "gpt-5" } });
  assert.equal(openai.spec.baseUrl, "https://api.openai.com/v1");
  assert.throws(
    () => resolveRunTarget(agents, { agentId: "main", model: { provider: "nope", model: "m" } }),
    /Unknown model: nope\/m\. Declare the provider under models\.providers\.nope\./,
  );
  // An entry with only a baseUrl (or only a key) keeps the built-in's API and endpoint.
  const moved = agentsFromConfig(
    { models: { providers: { anthropic: { baseUrl: "http://127.0.0.1:9/" } } } },
    "/s",
    "/home/test",
  );
  assert.deepEqual(
    [moved.providers.get("anthropic")!.baseUrl, moved.providers.get("anthropic")!.api],
    ["http://127.0.0.1:9", "anthropic-messages"],
  );
  const keyed = agentsFromConfig(
    { models: { providers: { openai: { apiKey: "k", auth: "api-key" } } } },
    "/s",
    "/home/test",
  );
  assert.deepEqual(
    [keyed.providers.get("openai")!.baseUrl, keyed.providers.get("openai")!.auth],
    ["https://api.openai.com/v1", "api-key"],
  );
});

Deno.test("anthropicSdkBaseUrl() adds /v1 to the reference's base URL, and keeps one already there", () => {
  assert.equal(anthropicSdkBaseUrl("https://api.anthropic.com"), "https://api.anthropic.com/v1");
  assert.equal(anthropicSdkBaseUrl("http://127.0.0.1:5/v1"), "http://127.0.0.1:5/v1");
});

Deno.test("RunCredentials.withKey() sends the stored key, and the same spec object while it is unchanged", async () => {
  await withState((stateDir) => {
    const profile = { type: "api_key", provider: "anthropic", key: "sk-one" };
    putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: { "anthropic:default": profile } }));
    const spec = agentsFromConfig({}, stateDir, "/home/test").builtIns!.get("anthropic")!;
    const keys = credentials(stateDir, { ANTHROPIC_API_KEY: "sk-env" });
    try {
      const first = keys.withKey(spec, "main");
      assert.equal(first.apiKey, "sk-one");
      assert.equal(keys.withKey(spec, "main"), first, "the provider model built for it is reused");
      putAuthProfileStore(
        stateDir,
        JSON.stringify({ version: 1, profiles: { "anthropic:default": { ...profile, key: "sk-two" } } }),
      );
      assert.equal(keys.withKey(spec, "main").apiKey, "sk-two");
    } finally {
      keys.close();
    }
  });
});

Deno.test("RunCredentials.withKey() refuses a built-in provider without a key in the reference's words; a declared one goes as written", async () => {
  await withState((stateDir) => {
    const agents = agentsFromConfig(
      { models: { providers: { local: { baseUrl: "http://127.0.0.1:1/v1" } } } },
      stateDir,
      "/home/test",
    );
    const keys = credentials(stateDir);
    try {
      const local = agents.providers.get("local")!;
      assert.equal(keys.withKey(local, "main"), local);
      assert.throws(() => keys.withKey(agents.builtIns!.get("openai")!, "work"), (error: Error) => {
        assert.ok(error instanceof RunError);
        assert.equal(error.kind, "no_credentials");
        assert.equal(
          error.message,
          `No API key found for provider "openai". Auth store: ${stateDir}/state/openclaw.sqlite (agentDir: ${stateDir}/agents/work/agent). Configure an API key (openclaw models auth paste-api-key --provider openai; add --agent <id> for a non-default agent) or copy only portable static auth profiles from the main agentDir.`,
        );
        return true;
      });
      // A damaged store is the run's failure too, with the store's own words.
      putAuthProfileStore(stateDir, "not json");
      assert.throws(() => keys.withKey(local, "main"), (error: Error) => {
        assert.ok(error instanceof RunError && error.kind === "no_credentials");
        assert.match(error.message, /^Auth profile store .* is unreadable/);
        return true;
      });
    } finally {
      keys.close();
    }
  });
});

Deno.test("RunCredentials.withKey() refuses a key no HTTP header can carry, naming where it came from and never the key", async () => {
  await withState((stateDir) => {
    // A key pasted across a line break: Deno's Headers would throw `Invalid header value: "<the key>"`, which the
    // provider's failure line logs.
    const broken = "sk-ant-broken-key-first-half\nsecond-half-of-the-key";
    const profile = { type: "api_key", provider: "anthropic", key: broken };
    putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: { "anthropic:default": profile } }));
    const spec = agentsFromConfig({}, stateDir, "/home/test").builtIns!.get("anthropic")!;
    const keys = credentials(stateDir);
    try {
      assert.throws(() => keys.withKey(spec, "main"), (error: Error) => {
        assert.ok(error instanceof RunError && error.kind === "no_credentials");
        assert.equal(
          error.message,
          'The API key of auth profile anthropic:default for provider "anthropic" holds a line break or another character an HTTP header cannot carry, so it was not sent; store the key again (openclaw models auth paste-api-key --provider anthropic).',
        );
        assert.ok(!error.message.includes("second-half"), "the key is not echoed");
        return true;
      });
    } finally {
      keys.close();
    }
    const fromEnv = credentials(stateDir, { ANTHROPIC_API_KEY: "sk-env\u0000x" });
    putAuthProfileStore(stateDir, JSON.stringify({ version: 1, profiles: {} }));
    try {
      assert.throws(() => fromEnv.withKey(spec, "main"), /The API key of environment variable ANTHROPIC_API_KEY for/);
    } finally {
      fromEnv.close();
    }
  });
});
