import assert from "node:assert/strict";
import { ignoredKeys } from "../../src/config/implemented_keys.ts";

Deno.test("ignoredKeys() names each section and key this gateway does not act on, at its highest ignored level", () => {
  const config = {
    $schema: "https://example.test/schema.json",
    gateway: { mode: "local", auth: { token: "t", allowTailscale: true }, tailscale: { mode: "serve" } },
    channels: { irc: { host: "irc.test", nick: "bot" }, whatsapp: { enabled: true }, slack: {} },
    cron: { enabled: true, sessionRetention: "24h", triggers: { enabled: true } },
    skills: { entries: { a: { enabled: true } }, install: { nodeManager: "pnpm" } },
    hooks: { enabled: true, token: "h", mappings: [{ match: { path: "gmail" } }] },
    logging: { level: "debug", redactPatterns: ["x"] },
    models: {
      mode: "merge",
      providers: {
        local: {
          baseUrl: "http://127.0.0.1:1/v1",
          models: ["m0", { id: "m1", name: "One", cost: { input: 0 }, maxTokens: 10 }],
        },
      },
    },
    agents: {
      defaults: { model: { primary: "local/m1", fallbacks: ["x/y"] }, sandbox: { mode: "all" }, workspace: "/w" },
      list: [{ id: "ops", model: "local/m0", skills: ["a"] }],
    },
    session: { dmScope: "per-peer", reset: { mode: "daily" }, identityLinks: { ann: ["irc:ann"] } },
    bindings: [{ agentId: "ops", match: { channel: "irc" } }],
  };
  assert.deepEqual(ignoredKeys(config), [
    "gateway.auth.allowTailscale",
    "gateway.tailscale",
    "cron.triggers",
    "skills.install",
    "logging.redactPatterns",
    "models.mode",
    "models.providers.local.models[1].cost",
    "session.identityLinks",
  ]);
});

Deno.test("ignoredKeys() is empty for a config this gateway reads in full", () => {
  assert.deepEqual(
    ignoredKeys({
      gateway: { mode: "local", port: 1, auth: { token: "t" }, reload: { mode: "hot" } },
      models: { providers: { p: { baseUrl: "http://x/v1", apiKey: "k", models: [{ id: "m" }] } } },
      agents: {
        defaults: { model: { primary: "p/m", fallbacks: ["p/n"] } },
        entries: { main: { default: true, identity: { name: "M" }, model: { primary: "p/m", fallbacks: [] } } },
      },
    }),
    [],
  );
});

Deno.test("ignoredKeys(): the connection limits are implemented, so none is reported as ignored", () => {
  assert.deepEqual(ignoredKeys({ gateway: { limits: { maxConnections: 10, sendTimeoutMs: 1000 } } }), []);
});

Deno.test("ignoredKeys(): the HTTP endpoints' media limits are implemented; chat images' maxChars and pdf are not read", () => {
  const fetchKeys = { allowUrl: true, urlAllowlist: ["a.test"], allowedMimes: ["image/png"], maxBytes: 1 };
  assert.deepEqual(
    ignoredKeys({
      gateway: {
        http: {
          endpoints: {
            chatCompletions: {
              enabled: true,
              images: { ...fetchKeys, maxRedirects: 1, timeoutMs: 5, maxChars: 1, pdf: {} },
            },
            responses: {
              enabled: true,
              maxUrlParts: 2,
              images: { ...fetchKeys, maxRedirects: 0 },
              files: { ...fetchKeys, maxChars: 10, timeoutMs: 5, pdf: { maxPages: 1, maxPixels: 1, minTextChars: 0 } },
            },
          },
        },
      },
    }),
    ["gateway.http.endpoints.chatCompletions.images.maxChars", "gateway.http.endpoints.chatCompletions.images.pdf"],
  );
});
