import assert from "node:assert/strict";
import { validateSecretsResolveResult } from "@openclaw/gateway-protocol";
import { invalidResolveField, secretsResolveMethods } from "../../../src/rpc/methods/secrets_resolve.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

function table(
  config: Record<string, unknown>,
  store: Record<string, string> = {},
  inForce: Record<string, string> = {},
) {
  const warnings: string[] = [];
  let storeOpened = 0;
  const methods = secretsResolveMethods({
    config: () => config,
    env: { OPENAI_KEY: "sk-env-1" },
    inForce: (path) => inForce[path],
    storeReader: () => {
      storeOpened++;
      return Promise.resolve((name) => store[name]);
    },
    warn: (message) => warnings.push(message),
  });
  return { methods, warnings, storeOpened: () => storeOpened };
}

Deno.test("secrets.resolve params: the field the reference names for each refusal", () => {
  assert.equal(invalidResolveField({ commandName: "x", targetIds: [] }), undefined);
  assert.equal(invalidResolveField({ targetIds: [] }), "commandName");
  assert.equal(invalidResolveField({ commandName: "", targetIds: [] }), "commandName");
  assert.equal(invalidResolveField({ commandName: "x" }), "targetIds");
  assert.equal(invalidResolveField({ commandName: "x", targetIds: [""] }), "targetIds");
  assert.equal(invalidResolveField({ commandName: "x", targetIds: [], extra: 1 }), "targetIds");
  assert.equal(invalidResolveField({ commandName: "x", targetIds: [], allowedPaths: [1] }), "allowedPaths");
  assert.equal(invalidResolveField({ commandName: "x", targetIds: [], forcedActivePaths: "a" }), "forcedActivePaths");
  assert.equal(
    invalidResolveField({ commandName: "x", targetIds: [], optionalActivePaths: [""] }),
    "optionalActivePaths",
  );
  assert.equal(
    invalidResolveField({ commandName: "x", targetIds: [], providerOverrides: { other: "a" } }),
    "providerOverrides",
  );
});

Deno.test("secrets.resolve answers resolved refs of the named targets, in force values first, unknown ids refused", async () => {
  const config = {
    gateway: { auth: { token: { source: "store", provider: "default", id: "GW_TOKEN" } } },
    models: {
      providers: {
        openai: { apiKey: { source: "env", provider: "default", id: "OPENAI_KEY" } },
        plain: { apiKey: "sk-plain" },
        missing: { apiKey: { source: "env", provider: "default", id: "NOT_SET" } },
      },
    },
    channels: { telegram: { botToken: { source: "store", provider: "default", id: "TG_TOKEN" } } },
  };
  const t = table(config, { TG_TOKEN: "123:tg", GW_TOKEN: "fresh-from-store" }, { "gateway.auth.token": "in-force" });
  const payload = await payloadOf(t.methods, "secrets.resolve", {
    commandName: "status",
    targetIds: ["gateway.auth.token", "models.providers.*.apiKey", "channels.telegram.botToken"],
  });
  assert.ok(validateSecretsResolveResult(payload));
  assert.deepEqual(payload, {
    ok: true,
    assignments: [
      { path: "gateway.auth.token", pathSegments: ["gateway", "auth", "token"], value: "in-force" },
      {
        path: "models.providers.openai.apiKey",
        pathSegments: ["models", "providers", "openai", "apiKey"],
        value: "sk-env-1",
      },
      { path: "channels.telegram.botToken", pathSegments: ["channels", "telegram", "botToken"], value: "123:tg" },
    ],
    diagnostics: [],
    inactiveRefPaths: [],
  });
  const only = await payloadOf(t.methods, "secrets.resolve", {
    commandName: "status",
    targetIds: ["models.providers.*.apiKey"],
    allowedPaths: ["models.providers.openai.apiKey"],
  });
  assert.deepEqual((only as { assignments: { path: string }[] }).assignments.map((a) => a.path), [
    "models.providers.openai.apiKey",
  ]);
  const unknown = await callMethod(t.methods, "secrets.resolve", { commandName: "x", targetIds: ["nope.target"] });
  assert.deepEqual(unknown.ok ? undefined : unknown.error, {
    code: "INVALID_REQUEST",
    message: 'invalid secrets.resolve params: unknown target id "nope.target"',
  });
  const blank = await callMethod(t.methods, "secrets.resolve", { commandName: "  ", targetIds: [] });
  assert.equal(blank.ok ? undefined : blank.error.message, "invalid secrets.resolve params: commandName");
});

Deno.test("secrets.resolve opens the team store only for a store ref it must read", async () => {
  const t = table({ models: { providers: { openai: { apiKey: { source: "env", id: "OPENAI_KEY" } } } } });
  await payloadOf(t.methods, "secrets.resolve", { commandName: "x", targetIds: ["models.providers.*.apiKey"] });
  assert.equal(t.storeOpened(), 0);
});
