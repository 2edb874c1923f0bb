// `models.authStatus` on the store onboard writes, against the reference gateway's recorded answers
// (tests/fixtures/credentials/models_status/auth_status_cases.json): the stored Anthropic profile,
// or the key in ANTHROPIC_API_KEY (which also names anthropic-openai and claude-cli).
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { modelsMethods } from "../../../src/rpc/methods/models.ts";
import { payloadOf } from "../../support/method_call.ts";

const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/credentials/models_status/auth_status_cases.json", import.meta.url)),
).cases;

const ONBOARDED = {
  agents: { defaults: { model: { primary: "anthropic/claude-opus-5" }, models: { "anthropic/claude-opus-5": {} } } },
  auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } },
};
const STORED = { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-stored-one" } };

function methods(
  profiles: Record<string, { type: string; provider: string; key?: string }>,
  env: Record<string, string>,
) {
  const agents = agentsFromConfig(ONBOARDED as never, "/tmp/oc-auth-status-unused", "/home/test");
  return modelsMethods({
    agents: () => agents,
    models: () => [],
    env: (name) => env[name],
    rawConfig: () => ONBOARDED,
    authProfiles: () => Promise.resolve({ profiles }),
  });
}

Deno.test("models.authStatus lists the stored Anthropic profile as the reference does", async () => {
  const result = (await payloadOf(methods(STORED, {}), "models.authStatus", {})) as Record<string, unknown>;
  assert.deepEqual(result.providers, RECORDED.store.result.providers);
  assert.ok(!JSON.stringify(result).includes("sk-ant-stored-one"), "no secret in the answer");
});

Deno.test("models.authStatus names ANTHROPIC_API_KEY for anthropic, anthropic-openai and claude-cli as the reference does", async () => {
  const result = (await payloadOf(methods({}, RECORDED.env.env), "models.authStatus", {})) as Record<string, unknown>;
  assert.deepEqual(result.providers, RECORDED.env.result.providers);
});
