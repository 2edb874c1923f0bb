// `agent --local`'s SecretRefs: the places an agent run reads resolve through `secrets.providers` (the gateway's
// resolver); a required one that fails ends the command with its reason; a web-tool key (optional) and places the
// run never reads (gateway auth, channels) are not stopped on.
import assert from "node:assert/strict";
import { agentRunSecretNeed } from "../../src/config/agent_secret_places.ts";
import type { ConfigSnapshot } from "../../src/config/load.ts";
import { withAgentRunSecrets } from "../../src/server/local_agent.ts";

function snapshotOf(config: Record<string, unknown>): ConfigSnapshot {
  return { config } as unknown as ConfigSnapshot;
}

/** A folder with a 0600 JSON secrets file and a provider script that exits 3. */
async function providers(): Promise<{ dir: string; providers: Record<string, unknown> }> {
  const dir = await Deno.makeTempDir({ prefix: "local-agent-secrets-" });
  await Deno.writeTextFile(`${dir}/secrets.json`, JSON.stringify({ providers: { fake: "sk-file" } }));
  await Deno.chmod(`${dir}/secrets.json`, 0o600);
  await Deno.writeTextFile(`${dir}/fail`, "#!/bin/sh\nexit 3\n");
  await Deno.chmod(`${dir}/fail`, 0o700);
  return {
    dir,
    providers: {
      vault: { source: "file", path: `${dir}/secrets.json` },
      broken: { source: "exec", command: `${dir}/fail` },
    },
  };
}

Deno.test("agentRunSecretNeed: model, memory, speech, skills and agent places are required; web tools optional; the rest unread", () => {
  assert.equal(agentRunSecretNeed("models.providers.fake.apiKey"), "required");
  assert.equal(agentRunSecretNeed("skills.entries.x.apiKey"), "required");
  assert.equal(agentRunSecretNeed("tools.web.search.apiKey"), "optional");
  assert.equal(agentRunSecretNeed("plugins.entries.brave.config.webSearch.apiKey"), "optional");
  assert.equal(agentRunSecretNeed("gateway.auth.token"), undefined);
  assert.equal(agentRunSecretNeed("channels.telegram.botToken"), undefined);
});

Deno.test("withAgentRunSecrets: a model provider's file ref resolves; refs the run does not read are not run", async () => {
  const home = await providers();
  try {
    const config = {
      secrets: { providers: home.providers },
      gateway: { auth: { mode: "token", token: { source: "exec", provider: "broken", id: "gw" } } },
      models: { providers: { fake: { apiKey: { source: "file", provider: "vault", id: "/providers/fake" } } } },
      tools: { web: { search: { apiKey: { source: "exec", provider: "broken", id: "web" } } } },
    };
    const result = await withAgentRunSecrets(snapshotOf(config), { env: {}, stateDir: home.dir });
    assert.ok(result.ok);
    const resolved = result.config as typeof config;
    assert.equal(resolved.models.providers.fake.apiKey, "sk-file");
    assert.equal(resolved.tools.web.search.apiKey, undefined, "an optional key that failed runs as if unset");
    assert.deepEqual(resolved.gateway.auth.token, config.gateway.auth.token, "gateway auth is left as written");
  } finally {
    await Deno.remove(home.dir, { recursive: true });
  }
});

Deno.test("withAgentRunSecrets: a model provider's failing exec ref ends the command with the reason, the place and the ref", async () => {
  const home = await providers();
  try {
    const config = {
      secrets: { providers: home.providers },
      models: { providers: { fake: { apiKey: { source: "exec", provider: "broken", id: "fake" } } } },
    };
    const result = await withAgentRunSecrets(snapshotOf(config), { env: {}, stateDir: home.dir });
    assert.deepEqual(result, {
      ok: false,
      message: 'agent: failed to resolve secrets locally (Exec provider "broken" exited with code 3. ' +
        "models.providers.fake.apiKey refers to exec:broken:fake). Check the configured secret sources, then retry.",
    });
  } finally {
    await Deno.remove(home.dir, { recursive: true });
  }
});

Deno.test("withAgentRunSecrets: a config without provider-backed refs is the config as read", async () => {
  const config = { models: { providers: { fake: { apiKey: "sk-literal" } } } };
  const snapshot = snapshotOf(config);
  const result = await withAgentRunSecrets(snapshot, { env: {}, stateDir: "/nonexistent" });
  assert.ok(result.ok);
  assert.equal(result.config, snapshot.config);
});
