import assert from "node:assert/strict";
import { parseSecretsPlan, planRunsExec } from "../../src/config/secrets_plan.ts";
import { discoverSecretTargets } from "../../src/config/secret_targets.ts";

const ref = { source: "env", provider: "default", id: "OPENAI_API_KEY" };
const plan = (targets: unknown[], extra: Record<string, unknown> = {}) => ({
  version: 1,
  protocolVersion: 1,
  targets,
  ...extra,
});

Deno.test("a plan target must name a registered place its type, pathSegments and providerId agree with", () => {
  const good = {
    type: "models.providers.apiKey",
    path: "models.providers.openai.apiKey",
    pathSegments: ["models", "providers", "openai", "apiKey"],
    providerId: "openai",
    ref,
  };
  assert.equal(parseSecretsPlan(plan([good]))?.targets[0]?.path, "models.providers.openai.apiKey");
  assert.ok(parseSecretsPlan(plan([{ ...good, type: "models.providers.*.apiKey" }])), "the pattern is an alias");
  for (
    const bad of [
      { ...good, path: "models.providers.openai.baseUrl", pathSegments: undefined },
      { ...good, providerId: "anthropic" },
      { ...good, pathSegments: ["models", "providers", "other", "apiKey"] },
      { ...good, type: "gateway.auth.token" },
      { ...good, ref: { ...ref, id: "lower" } },
      { ...good, ref: { ...ref, provider: "Bad" } },
      { ...good, ref: { source: "file", provider: "vault", id: "relative" } },
      { type: "gateway.auth.token", path: "gateway.__proto__.token", ref },
    ]
  ) {
    assert.equal(parseSecretsPlan(plan([bad])), undefined, JSON.stringify(bad));
  }
  assert.equal(parseSecretsPlan({ version: 2, protocolVersion: 1, targets: [] }), undefined);
  assert.equal(parseSecretsPlan(plan([], { providerUpserts: { vault: { source: "file" } } })), undefined);
  assert.equal(parseSecretsPlan(plan([], { providerDeletes: ["Bad"] })), undefined);
});

Deno.test("exec refs or exec providers make a plan one that runs programs", () => {
  const execRef = parseSecretsPlan(
    plan([{
      type: "gateway.auth.token",
      path: "gateway.auth.token",
      ref: { source: "exec", provider: "op", id: "x" },
    }]),
  )!;
  assert.equal(planRunsExec(execRef), true);
  const execProvider = parseSecretsPlan(
    plan([], { providerUpserts: { op: { source: "exec", command: "/usr/bin/op" } } }),
  )!;
  assert.equal(planRunsExec(execProvider), true);
  assert.equal(planRunsExec(parseSecretsPlan(plan([]))!), false);
});

Deno.test("credential places are found in the reference's registry order, then key order", () => {
  const found = discoverSecretTargets({
    channels: { telegram: { botToken: "t", accounts: { ops: { botToken: "a" } } } },
    models: { providers: { b: { apiKey: "k", headers: { "X-Api-Key": "h" } }, a: { apiKey: "k2" } } },
    gateway: { auth: { password: "p", token: "t" } },
  });
  assert.deepEqual(found.map((t) => [t.path, t.providerId]), [
    ["gateway.auth.token", undefined],
    ["gateway.auth.password", undefined],
    ["models.providers.b.apiKey", "b"],
    ["models.providers.a.apiKey", "a"],
    ["models.providers.b.headers.X-Api-Key", "b"],
    ["channels.telegram.accounts.ops.botToken", undefined],
    ["channels.telegram.botToken", undefined],
  ]);
});
