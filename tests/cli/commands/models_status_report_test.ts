// `models status` rules: the reference's key masking and the report's route issues and exit code.
import assert from "node:assert/strict";
import { StatusNotServed, statusReport } from "../../../src/cli/commands/models_status_report.ts";
import { maskApiKey } from "../../../src/config/model_status_auth.ts";
import { modelStatusFacts } from "../../../src/config/model_status_facts.ts";
import type { RawConfig } from "../../../src/config/schema.ts";

Deno.test("maskApiKey keeps 1+1, 2+2 or 8+8 characters by length (recorded values)", () => {
  assert.deepEqual(
    ["x", "short", "ENVP_KEY", "abcd1234efgh", "envsecret-9876543210", "  ", "a\u0007bc"].map(maskApiKey),
    ["x...x", "s...t", "EN...EY", "ab...gh", "envsecre...76543210", "missing", "a...c"],
  );
});

const inputs = (config: Record<string, unknown>) => ({
  configPath: "/h/.openclaw/openclaw.json",
  agentDir: "/h/.openclaw/agents/main/agent",
  authored: config,
  facts: modelStatusFacts(config as RawConfig),
  short: (path: string) => path.replace(/^\/h\//, "~/"),
  exists: () => false,
  store: { profiles: {} },
  storePath: "/h/.openclaw/agents/main/agent/openclaw-agent.sqlite",
  env: () => undefined,
  now: 0,
});

Deno.test("a remote provider without a key is an indeterminate route and --check's 1", () => {
  const config = {
    models: {
      providers: {
        local: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "x", models: [{ id: "m1" }] },
        remote: { baseUrl: "https://api.example.com/v1", models: [{ id: "r1" }] },
      },
    },
    agents: { defaults: { model: { primary: "local/m1", fallbacks: ["remote/r1", "remote/r1"] } } },
  };
  const { report, check } = statusReport(inputs(config));
  assert.equal(check, 1);
  assert.deepEqual(report.auth.modelRouteIssues, [
    {
      kind: "indeterminate",
      provider: "remote",
      model: "r1",
      message: "Auth readiness could not be confirmed for remote/r1.",
    },
  ]);
  assert.deepEqual(report.auth.providers.map((p) => [p.provider, p.effective]), [
    ["local", { kind: "models.json", detail: "x...x" }],
  ]);
});

Deno.test("a model on a provider this gateway does not configure is refused by name", () => {
  assert.throws(() => statusReport(inputs({})), StatusNotServed);
  assert.throws(
    () =>
      statusReport({
        ...inputs({ models: { providers: { p: { baseUrl: "http://localhost", models: [] } } } }),
        exists: () => true,
      }),
    /auth profiles kept in the agent's own store \(~\/\.openclaw\/agents\/main\/agent\/openclaw-agent\.sqlite\) are not served/,
  );
});

Deno.test("after onboard: anthropic is reported from the store, its key masked; --check 0, and 1 once the key is gone", () => {
  const config = {
    agents: { defaults: { model: { primary: "anthropic/claude-opus-5" }, models: { "anthropic/claude-opus-5": {} } } },
    auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } },
    meta: { migrations: { modelPolicyAllowlist: true } },
  };
  const store = {
    profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-stored-one" } },
  };
  const stored = statusReport({
    ...inputs(config),
    store,
    storePath: "/h/.openclaw/state/openclaw.sqlite",
  });
  assert.equal(stored.check, 0);
  assert.deepEqual(stored.report.utilityModel, { ref: "anthropic/claude-haiku-4-5", source: "provider-default" });
  assert.deepEqual(stored.report.auth.providers.map((p) => [p.provider, p.effective, p.profiles.labels]), [
    ["anthropic", { kind: "profiles", detail: "~/.openclaw/state/openclaw.sqlite" }, [
      "anthropic:default=sk-ant-s...ored-one",
    ]],
  ]);
  assert.ok(!JSON.stringify(stored.report).includes("sk-ant-stored-one"));
  const gone = statusReport({ ...inputs(config), store: { profiles: {} } });
  assert.equal(gone.check, 1);
  assert.deepEqual(gone.report.auth.missingProvidersInUse, ["anthropic"]);
});
