import assert from "node:assert/strict";
import JSON5 from "json5";
import { redactConfig, redactRawText } from "../../src/config/redact.ts";
import { REDACTED } from "../../src/config/redaction_marker.ts";
import { credentialKeyNames, sensitiveLeaves } from "../../src/config/sensitive.ts";

/** The value at a dotted path. */
function at(tree: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

const RAW = `{
  // The gateway's own secret.
  gateway: { auth: { mode: "token", token: "tok" } },
  hooks: { enabled: true, token: 'hook-secret-1' },
  channels: {
    telegram: { botToken: "123:bot-token", webhookSecret: "wh-secret-9", webhookUrl: "https://example.test/tg" },
    irc: { nick: "bot", sasl: { username: "bot", password: "sasl-pass" }, nickserv: { password: "ns-pass" } },
    discord: { token: "discord-token" },
  },
  models: {
    providers: {
      p: {
        baseUrl: "http://127.0.0.1:1/v1",
        apiKey: "sk-provider-key",
        headers: { Authorization: "Bearer header-key", "X-Trace": "trace-value" },
      },
    },
  },
  agents: { defaults: { memorySearch: { remote: { apiKey: "memory-key" } } } },
  env: { note: "\${KEEP_ME}" },
}
`;

const SECRETS = [
  "hook-secret-1",
  "123:bot-token",
  "wh-secret-9",
  "sasl-pass",
  "ns-pass",
  "discord-token",
  "sk-provider-key",
  "Bearer header-key",
  "trace-value",
  "memory-key",
];

Deno.test("redactRawText() replaces a short token at its value only, never as a substring", () => {
  const authored = JSON5.parse(RAW);
  const raw = redactRawText(RAW, authored);
  assert.match(raw, /mode: "token"/, "the auth mode keeps its text");
  assert.match(raw, /token: "__OPENCLAW_REDACTED__"/);
  assert.match(raw, /\/\/ The gateway's own secret\./, "comments survive");
  assert.ok(!raw.includes('"tok"'));
  assert.ok(!/__OPENCLAW_REDACTED__en/.test(raw), "no substring corruption");
  // The redacted text parses to exactly the redacted tree: a client can save it back.
  assert.deepEqual(JSON5.parse(raw), redactConfig(authored));
});

Deno.test("redactRawText() hides webhookSecret, provider headers, IRC passwords and memory-search keys", () => {
  const raw = redactRawText(RAW, JSON5.parse(RAW));
  for (const secret of SECRETS) assert.ok(!raw.includes(secret), `${secret} leaked:\n${raw}`);
  assert.match(raw, /webhookUrl: "https:\/\/example.test\/tg"/, "non-secret values stay");
  assert.match(raw, /"\$\{KEEP_ME\}"/, "an env reference is not a secret");
});

Deno.test("redactConfig() marks secrets by the schema and by credential key names outside it", () => {
  const redacted = redactConfig(JSON5.parse(RAW));
  assert.equal(at(redacted, "gateway.auth.mode"), "token");
  assert.equal(at(redacted, "gateway.auth.token"), REDACTED);
  assert.equal(at(redacted, "channels.telegram.webhookSecret"), REDACTED);
  assert.equal(at(redacted, "channels.discord.token"), REDACTED, "an undescribed channel: by key name");
  assert.equal(at(redacted, "models.providers.p.headers.Authorization"), REDACTED);
  assert.equal(at(redacted, "models.providers.p.baseUrl"), "http://127.0.0.1:1/v1");
  const leaves = sensitiveLeaves(JSON5.parse(RAW)).map((leaf) => leaf.value).sort();
  assert.deepEqual(leaves, ["tok", ...SECRETS].sort());
});

Deno.test("redactConfig() keeps a SecretRef's source and hides its id, as the reference's config.get does", () => {
  const ref = { source: "env", provider: "default", id: "GW_TOKEN" };
  const redacted = redactConfig({ gateway: { auth: { token: ref } } });
  assert.deepEqual(at(redacted, "gateway.auth.token"), { ...ref, id: REDACTED });
});

Deno.test("redactRawText() hides credential URLs and SecretRef ids in place, comments kept", () => {
  const raw = `{
  // my proxy: https://u:pw@h.example/v1
  models: { providers: { a: { baseUrl: "https://u:pw@h.example/v1", apiKey: { source: "env", provider: "default", id: "A_KEY" } },
    b: { baseUrl: "https://h.example/v1" } } },
  mcp: { servers: { s: { url: "https://m.example/sse?token=zzz" } } },
}`;
  const out = redactRawText(raw, JSON5.parse(raw));
  for (const secret of ["u:pw", "A_KEY", "token=zzz"]) assert.ok(!out.includes(secret), out);
  assert.match(out, /\/\/ my proxy: __OPENCLAW_REDACTED__/);
  assert.deepEqual(JSON5.parse(out), {
    models: {
      providers: {
        a: { baseUrl: REDACTED, apiKey: { source: "env", provider: "default", id: REDACTED } },
        b: { baseUrl: "https://h.example/v1" },
      },
    },
    mcp: { servers: { s: { url: REDACTED } } },
  });
});

Deno.test("redactRawText() hides every duplicate of a secret key, and secrets quoted in comments", () => {
  const raw = `{ hooks: { token: "first-secret", token: "second-secret" } /* old: second-secret */ }`;
  const out = redactRawText(raw, JSON5.parse(raw));
  assert.ok(!out.includes("first-secret") && !out.includes("second-secret"), out);
  assert.deepEqual(JSON5.parse(out), { hooks: { token: REDACTED } });
});

Deno.test("redactRawText() falls back to the redacted tree when a key's escapes defeat the scanner", () => {
  const raw = `{ hooks: { "to\\u006ben": "escaped-secret" } }`;
  const out = redactRawText(raw, JSON5.parse(raw));
  assert.ok(!out.includes("escaped-secret"), out);
  assert.deepEqual(JSON5.parse(out), { hooks: { token: REDACTED } });
});

Deno.test("credentialKeyNames() lists the schema's sensitive fields", () => {
  const names = credentialKeyNames();
  for (const name of ["token", "password", "botToken", "webhookSecret", "apiKey"]) assert.ok(names.includes(name));
  assert.ok(!names.includes("mode") && !names.includes("headers"));
});

Deno.test("redactConfig() hides an undeclared credential-named key of a described section, and lists of them", () => {
  // Each of these sits where the schema keeps unknown keys as written: before, only the keys of an
  // undescribed value were read, so a credential-named key itself showed in full in config.get.
  const config = {
    models: {
      providers: { p: { baseUrl: "http://x", accessToken: "leak-1", models: [{ id: "m", apiKey: "leak-2" }] } },
    },
    hooks: { gmail: { clientSecret: "leak-3", refreshSecret: ["leak-5", "leak-6"] } },
    channels: { telegram: { accessToken: "leak-4" } },
    gateway: { auth: { mode: "token" } },
  };
  const redacted = redactConfig(config);
  assert.equal(at(redacted, "models.providers.p.accessToken"), REDACTED);
  assert.equal(at(redacted, "hooks.gmail.clientSecret"), REDACTED);
  assert.equal(at(redacted, "channels.telegram.accessToken"), REDACTED);
  assert.deepEqual(at(redacted, "hooks.gmail.refreshSecret"), [REDACTED, REDACTED]);
  assert.deepEqual(redacted.models.providers.p.models, [{ id: "m", apiKey: REDACTED }]);
  assert.equal(at(redacted, "gateway.auth.mode"), "token", "a declared non-secret field stays readable");
  assert.equal(at(redacted, "models.providers.p.baseUrl"), "http://x");
  const text = redactRawText(JSON.stringify(config, null, 2), config);
  for (let i = 1; i <= 6; i++) assert.ok(!text.includes(`leak-${i}`), `leak-${i} in the raw text:\n${text}`);
});

Deno.test("redactConfig() hides what the reference's names mark where the schema says nothing, and keeps its exceptions", () => {
  const config = {
    hooks: {
      gmail: {
        apiKeys: ["leak-1", "leak-2"],
        clientSecretValue: "leak-3",
        encrypt_key: "leak-4",
        serviceAccount: "leak-5",
        dbPassword2: "leak-6",
        passwordFile: "/run/secrets/gmail",
        maxTokens: "4096",
        tokenFile: "/run/token",
      },
    },
  };
  const redacted = redactConfig(config);
  assert.deepEqual(at(redacted, "hooks.gmail.apiKeys"), [REDACTED, REDACTED]);
  for (const key of ["clientSecretValue", "encrypt_key", "serviceAccount", "dbPassword2"]) {
    assert.equal(at(redacted, `hooks.gmail.${key}`), REDACTED, key);
  }
  assert.equal(
    at(redacted, "hooks.gmail.passwordFile"),
    "/run/secrets/gmail",
    "a file's path, as the reference keeps it",
  );
  assert.equal(at(redacted, "hooks.gmail.maxTokens"), "4096");
  assert.equal(at(redacted, "hooks.gmail.tokenFile"), "/run/token");
});
