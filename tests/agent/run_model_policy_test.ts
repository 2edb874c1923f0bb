import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("a run passes over a session's model the policy no longer allows, and refuses a forbidden request model", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-run-policy-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["a", "b"] } } },
        agents: {
          defaults: { model: { primary: "fake/a" }, workspace: `${stateDir}/ws`, modelPolicy: { allow: ["fake/a"] } },
        },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({ sessions, agents: () => agents, emit: () => {} });
    upstream.script("a", [{ text: "A." }]);
    upstream.script("b", [{ text: "B." }]);
    const run = async (key: string, extra: Partial<RunRequest> = {}) => {
      const started = runs.start({ agentId: "main", sessionKey: key, message: "go", idempotencyKey: key, ...extra });
      assert.equal(started.kind, "accepted");
      return started.kind === "accepted" ? await started.done : undefined;
    };
    // Pinned to b before the list was tightened: the run uses the agent's model, the pin stays.
    await sessions.ensure("agent:main:pinned", "main");
    await sessions.update("agent:main:pinned", "main", { providerOverride: "fake", modelOverride: "b" });
    const pinned = await run("agent:main:pinned");
    assert.equal(pinned?.model, "a");
    assert.equal((await sessions.get("agent:main:pinned", "main"))!.modelOverride, "b");
    const refused = await run("agent:main:asked", { model: { provider: "fake", model: "b" } });
    assert.equal(refused?.status, "error");
    assert.equal(
      refused?.error,
      'Model override "fake/b" is not allowed for agent "main" by agents.defaults.modelPolicy.allow. ' +
        'Add "fake/b" or "fake/*" to agents.defaults.modelPolicy.allow, or remove/empty the list to allow any model.',
    );
    assert.equal(upstream.requestsOf("b").length, 0, "model b was never called");
  } finally {
    await sessions.close();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
