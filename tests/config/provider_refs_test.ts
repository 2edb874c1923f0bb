import assert from "node:assert/strict";
import { providerRefPlaces } from "../../src/config/provider_refs.ts";

Deno.test("providerRefPlaces: refs through a configured provider or exec are runtime-resolved; the built-in defaults are not", () => {
  const config = {
    secrets: { providers: { vault: { source: "file", path: "/x" } } },
    gateway: { auth: { token: { source: "file", provider: "vault", id: "/gateway/token" } } },
    models: { providers: { a: { apiKey: { source: "exec", provider: "runner", id: "a" } } } },
    channels: {
      telegram: { botToken: { source: "env", id: "TG" }, webhookSecret: { source: "store", id: "HOOK" } },
      irc: { password: { source: "file", id: "/run/irc-password" } },
    },
  };
  assert.deepEqual(providerRefPlaces(config).map((place) => place.path), [
    "gateway.auth.token",
    "models.providers.a.apiKey",
  ]);
  // A configured `default` provider takes the default refs of its source too, as in the reference.
  const withDefault = { ...config, secrets: { providers: { default: { source: "env", allowlist: ["TG"] } } } };
  assert.ok(providerRefPlaces(withDefault).some((place) => place.path === "channels.telegram.botToken"));
});
