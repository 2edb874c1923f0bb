import assert from "node:assert/strict";
import { auditExitCode, runSecretsAudit } from "../../../src/cli/commands/secrets_audit_scan.ts";

function inputs(files: Record<string, string>, extra: Partial<Parameters<typeof runSecretsAudit>[0]> = {}) {
  return {
    configPath: "/s/openclaw.json",
    stateDir: "/s",
    config: {},
    env: {},
    readFile: (path: string) =>
      path in files ? Promise.resolve(files[path]!) : Promise.reject(new Deno.errors.NotFound(path)),
    storeEntries: () => new Map<string, string>(),
    authStore: () => undefined,
    allowExec: false,
    ...extra,
  };
}

Deno.test("auth-profile credentials: plaintext found, and they shadow the provider's config ref", async () => {
  const report = await runSecretsAudit(
    inputs({}, {
      config: {
        models: { providers: { openai: { apiKey: { source: "env", provider: "default", id: "OPENAI_API_KEY" } } } },
      },
      env: { OPENAI_API_KEY: "sk-env" },
      authStore: () => ({
        path: "/s/state/openclaw.sqlite",
        profiles: {
          "openai:default": { type: "api_key", provider: "openai", key: "sk-profile" },
          "anthropic:me": { type: "oauth", provider: "anthropic", access: "a", refresh: "r" },
        },
      }),
    }),
    "/s/state/openclaw.sqlite",
  );
  assert.deepEqual(report.findings.map((f) => [f.code, f.jsonPath, f.message]), [
    ["PLAINTEXT_FOUND", "profiles.openai:default.key", "Auth profile API key is stored as plaintext."],
    [
      "LEGACY_RESIDUE",
      "profiles.anthropic:me",
      "OAuth credentials are present (out of scope for static SecretRef migration).",
    ],
    [
      "REF_SHADOWED",
      "models.providers.openai.apiKey",
      'Auth profile credentials (api_key) take precedence for provider "openai", so this config ref may never be used.',
    ],
  ]);
  assert.deepEqual(report.filesScanned, ["/s/openclaw.json", "/s/state/openclaw.sqlite"]);
  assert.equal(report.status, "findings");
  assert.deepEqual([auditExitCode(report, false), auditExitCode(report, true)], [0, 1]);
});

Deno.test("models.json that is not JSON, a store placeholder and non-secret markers", async () => {
  const report = await runSecretsAudit(
    inputs({ "/s/agents/main/agent/models.json": "{nope" }, {
      config: { models: { providers: { local: { apiKey: "ollama-local" }, envnamed: { apiKey: "OPENAI_API_KEY" } } } },
      storeEntries: () => new Map([["OLD_TOKEN", "__OPENCLAW_REDACTED__"]]),
    }),
    "/s/state/openclaw.sqlite",
  );
  assert.deepEqual(report.findings.map((f) => [f.code, f.file, f.jsonPath]), [
    ["REF_UNRESOLVED", "/s/agents/main/agent/models.json", "<root>"],
    ["PLACEHOLDER_VALUE", "/s/state/openclaw.sqlite", "secret_store_entries.OLD_TOKEN"],
  ]);
  assert.match(report.findings[0]!.message, /^Invalid JSON in models\.json: /);
  assert.equal(report.summary.unresolvedRefCount, 2);
  assert.equal(auditExitCode(report, false), 2);
});

Deno.test("exec refs are skipped unless allowed, and run through the injected runner when allowed", async () => {
  const config = {
    secrets: { providers: { op: { source: "exec", command: "/usr/bin/op" } } },
    gateway: { auth: { token: { source: "exec", provider: "op", id: "gw" } } },
  };
  const skipped = await runSecretsAudit(inputs({}, { config }), "/db");
  assert.deepEqual([skipped.resolution, skipped.findings], [
    { refsChecked: 0, skippedExecRefs: 1, resolvabilityComplete: false },
    [],
  ]);
  const ran = await runSecretsAudit(
    inputs({}, {
      config,
      allowExec: true,
      runExec: (_p, _a, ids) => Promise.resolve(new Map(ids.map((id) => [id, ""]))),
    }),
    "/db",
  );
  assert.deepEqual(ran.findings.map((f) => f.message), [
    "Failed to resolve exec:op:gw (resolved value is not a non-empty string).",
  ]);
});

Deno.test("models.json of every configured agent: agents.entries, its agentDir override and ~ expanded", async () => {
  const models = JSON.stringify({ providers: { openai: { apiKey: "sk-plain" } } });
  const report = await runSecretsAudit(
    inputs({ "/home/u/agents-elsewhere/work/models.json": models, "/s/agents/ops/agent/models.json": models }, {
      config: { agents: { entries: { work: { agentDir: "~/agents-elsewhere/work" }, ops: {} } } },
      env: { HOME: "/home/u" },
    }),
    "/s/state/openclaw.sqlite",
  );
  assert.deepEqual(report.findings.map((f) => [f.code, f.file, f.jsonPath]), [
    ["PLAINTEXT_FOUND", "/home/u/agents-elsewhere/work/models.json", "providers.openai.apiKey"],
    ["PLAINTEXT_FOUND", "/s/agents/ops/agent/models.json", "providers.openai.apiKey"],
  ]);
});
