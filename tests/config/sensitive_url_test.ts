import assert from "node:assert/strict";
import { redactConfig } from "../../src/config/redact.ts";
import { isSecretUrlPlace, urlCarriesSecret } from "../../src/config/sensitive_url.ts";
import { restoreRedactedValues } from "../../src/config/redaction_restore.ts";

const MARKER = "__OPENCLAW_REDACTED__";

Deno.test("urlCarriesSecret(): user info, a credential-named query parameter or a bot token path; not a plain URL", () => {
  assert.ok(urlCarriesSecret("https://user:pw@host.example/v1"));
  assert.ok(urlCarriesSecret("https://host.example/v1?api-key=abc"));
  assert.ok(urlCarriesSecret("https://host.example/v1?X-Access-Token=abc"));
  assert.ok(urlCarriesSecret("https://host.example/v1?session_token_0123456789abcdef=1"));
  assert.ok(urlCarriesSecret("https://api.telegram.org/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ/getMe"));
  assert.ok(!urlCarriesSecret("https://host.example/v1?x=1"));
  assert.ok(!urlCarriesSecret("not a url"));
});

Deno.test("isSecretUrlPlace(): the reference's URL places only", () => {
  assert.ok(isSecretUrlPlace(["models", "providers", "x", "baseUrl"]));
  assert.ok(isSecretUrlPlace(["mcp", "servers", "s", "url"]));
  assert.ok(isSecretUrlPlace(["nodeHost", "mcp", "servers", "s", "url"]));
  assert.ok(isSecretUrlPlace(["a", "request", "proxy", "url"]));
  assert.ok(!isSecretUrlPlace(["channels", "discord", "proxy"]));
  assert.ok(!isSecretUrlPlace(["hooks", "url"]));
});

Deno.test("a credential-bearing URL prints as the marker, and the marker writes the stored URL back", () => {
  const config = {
    models: { providers: { a: { baseUrl: "https://u:pw@h.example/v1" }, b: { baseUrl: "https://h.example/v1" } } },
  };
  const shown = redactConfig(config);
  assert.deepEqual(shown, {
    models: { providers: { a: { baseUrl: MARKER }, b: { baseUrl: "https://h.example/v1" } } },
  });
  assert.deepEqual(restoreRedactedValues(shown, config), config);
});
