// Replays the reference's recorded answers (tests/fixtures/model_policy/, made by
// tools/record_model_policy.ts) against our model policy: sessions.patch's model choice, the
// `/model` chat command's reply and models.list's rows (in order), case by case, words included.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { runChatCommand } from "../../src/agent/chat_command_run.ts";
import { parseChatCommand } from "../../src/agent/chat_commands.ts";
import {
  AGENT_POLICY_PATH,
  DEFAULT_POLICY_PATH,
  keyInSet,
  LEGACY_POLICY_PATH,
  openModelPolicy,
  policyAllows,
  policyEntries,
  resolveModelPolicy,
  wildcardKey,
} from "../../src/config/model_policy.ts";
import { sessionModelChoice } from "../../src/config/model_choice.ts";
import { resolveModels } from "../../src/config/resolve_agents.ts";
import { catalogRows } from "../../src/config/model_catalog_view.ts";
import { modelStatusFacts } from "../../src/config/model_status_facts.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { modelsMethods } from "../../src/rpc/methods/models.ts";
import { payloadOf } from "../support/method_call.ts";
import {
  policyConfig,
  type PolicyProbe,
  policyProbes,
  type ProbeAnswer,
  probeId,
} from "../support/model_policy_cases.ts";

const RECORDINGS: Record<string, ProbeAnswer> = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/model_policy/reference_recordings.json", import.meta.url)),
);

async function ourAnswer(probe: PolicyProbe, sessions: SessionStore, n: number): Promise<ProbeAnswer> {
  const config = policyConfig(probe.config) as RawConfig;
  const agents = agentsFromConfig(config, "/tmp/oc-policy-unused", "/home/test");
  const agent = agents.agents.find((a) => a.id === probe.agent)!;
  if (probe.kind === "list") {
    const methods = modelsMethods({ agents: () => agents, models: () => resolveModels(config) });
    const listed = (await payloadOf(methods, "models.list", { agentId: probe.agent })) as {
      models: { provider: string; id: string }[];
    };
    return { ok: true, models: listed.models.map((m) => `${m.provider}/${m.id}`) };
  }
  if (probe.kind === "patch") {
    const choice = sessionModelChoice(agent.modelPolicy!, probe.input, {
      defaultProvider: agent.model!.provider,
      providers: new Set(agents.providers.keys()),
    });
    return "error" in choice
      ? { ok: false, error: choice.error }
      : { ok: true, text: `${choice.ref.provider}/${choice.ref.model}` };
  }
  const deps = {
    sessions,
    runs: { abort: () => [], activeRunIds: () => [] },
    agents: () => agents,
    models: () => resolveModels(config),
  };
  const target = { agentId: probe.agent, sessionKey: `agent:${probe.agent}:policy-${n}` };
  return { ok: true, text: await runChatCommand(deps, parseChatCommand(`/model ${probe.input}`)!, target) };
}

Deno.test("every recorded model-policy probe gets the reference's answer and words", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-model-policy-" });
  const sessions = new SessionStore(stateDir);
  try {
    let n = 0;
    let compared = 0;
    for (const probe of policyProbes()) {
      const recorded = RECORDINGS[probeId(probe)];
      assert.ok(recorded, `no recording for ${probeId(probe)}: run tools/record_model_policy.ts`);
      const ours = await ourAnswer(probe, sessions, ++n);
      assert.deepEqual(ours, recorded, probeId(probe));
      compared++;
    }
    assert.ok(compared >= 60, `only ${compared} probes compared`);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("policyEntries() takes the agent's own allow, then the defaults', then the unmigrated legacy keys", () => {
  const config = (extra: Record<string, unknown>) =>
    ({ agents: { defaults: { models: { "a/b": {} } }, ...extra } }) as RawConfig;
  assert.deepEqual(policyEntries(config({})), {
    refs: ["a/b"],
    configPath: LEGACY_POLICY_PATH,
    repairPath: DEFAULT_POLICY_PATH,
  });
  assert.deepEqual(
    policyEntries({ ...config({}), meta: { migrations: { modelPolicyAllowlist: true } } } as RawConfig).refs,
    [],
  );
  const withAgent = {
    agents: {
      defaults: { modelPolicy: { allow: ["x/*"] } },
      entries: { ops: { modelPolicy: { allow: ["y/z"] } }, lax: { modelPolicy: {} } },
    },
  } as RawConfig;
  assert.deepEqual(policyEntries(withAgent, "ops"), {
    refs: ["y/z"],
    configPath: AGENT_POLICY_PATH,
    repairPath: AGENT_POLICY_PATH,
  });
  // A policy object without `allow` does not replace the defaults' list.
  assert.deepEqual(policyEntries(withAgent, "lax").refs, ["x/*"]);
});

Deno.test("wildcards match at a /-segment boundary only, and malformed ones are exact entries", () => {
  assert.equal(wildcardKey("Other/ns/*"), "other/ns/*");
  assert.equal(wildcardKey("other/n s/*"), null);
  assert.equal(wildcardKey("*"), null);
  const keys = new Set(["other/ns/*"]);
  assert.equal(keyInSet(keys, "other/ns/a"), true);
  assert.equal(keyInSet(keys, "other/ns/deep/a"), true);
  assert.equal(keyInSet(keys, "other/nsx/b"), false);
  const policy = resolveModelPolicy(
    { agents: { defaults: { modelPolicy: { allow: ["other/ns/*"] } } } } as RawConfig,
    "main",
    "other",
  );
  assert.equal(policyAllows(policy, { provider: "OTHER", model: "ns/a" }), true);
  assert.equal(policyAllows(policy, { provider: "other", model: "nsx/b" }), false);
  assert.equal(policyAllows(openModelPolicy(), { provider: "any", model: "thing" }), true);
});

Deno.test("models list and models status show the rows and allowed list the reference's CLI recorded per config", async () => {
  const recorded: Record<string, { rows: { key: string; tags: string[] }[]; allowed: string[] }> = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/model_policy/reference_cli_recordings.json", import.meta.url)),
  );
  assert.equal(Object.keys(recorded).length, 6);
  for (const [name, want] of Object.entries(recorded)) {
    const config = policyConfig(name) as RawConfig;
    const rows = catalogRows(config, { all: false }).map((row) => ({ key: row.key, tags: row.tags }));
    assert.deepEqual(rows, want.rows, `${name}: models list`);
    assert.deepEqual(modelStatusFacts(config).allowed, want.allowed, `${name}: models status allowed`);
  }
});

Deno.test("after an Anthropic API-key onboard `sonnet` and `opus` resolve as the reference's defaults name them", async () => {
  const config = {
    agents: { defaults: { model: { primary: "anthropic/claude-opus-5" }, models: { "anthropic/claude-opus-5": {} } } },
    auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } },
    meta: { migrations: { modelPolicyAllowlist: true } },
  } as unknown as RawConfig;
  const policy = resolveModelPolicy(config, undefined, "anthropic");
  assert.deepEqual(policy.aliases.map((a) => [a.alias, `${a.ref.provider}/${a.ref.model}`]), [
    ["opus", "anthropic/claude-opus-5"],
    ["sonnet", "anthropic/claude-sonnet-5"],
  ]);
  assert.deepEqual(
    sessionModelChoice(policy, "sonnet", { defaultProvider: "anthropic", providers: new Set(["anthropic"]) }),
    { ref: { provider: "anthropic", model: "claude-sonnet-5" } },
  );
  // `/model sonnet` in a chat switches the session to the built-in provider's model.
  const stateDir = await Deno.makeTempDir({ prefix: "oc-model-alias-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig(config, stateDir, "/home/test");
    const deps = {
      sessions,
      runs: { abort: () => [], activeRunIds: () => [] },
      agents: () => agents,
      models: () => resolveModels(config),
    };
    const target = { agentId: "main", sessionKey: "agent:main:alias" };
    const reply = await runChatCommand(deps, parseChatCommand("/model sonnet")!, target);
    assert.match(reply, /anthropic\/claude-sonnet-5/);
    const entry = await sessions.get("agent:main:alias", "main");
    assert.deepEqual([entry?.providerOverride, entry?.modelOverride], ["anthropic", "claude-sonnet-5"]);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
  // Without an Anthropic API-key profile the defaults add nothing: `sonnet` is a bare id.
  const bare = resolveModelPolicy(
    { agents: { defaults: { models: {} } } } as unknown as RawConfig,
    undefined,
    "openai",
  );
  assert.deepEqual(bare.aliases, []);
});
