import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "secrets-token-0123456789abcdef";
const HOOK_TOKEN = "hook-token-secret-0123456789";
const PROVIDER_KEY = "sk-config-provider-key-0123456789";
const HEADER_KEY = "Bearer header-secret-0123456789";

/** A read-only operator must never see a secret, whatever state the file on disk is in. */
Deno.test("config.get over RPC: secrets are redacted in place, and an invalid file is withheld", async () => {
  const home = await tempHome(`{
  // the operator's own notes
  gateway: { mode: "local", auth: { mode: "token", token: "${TOKEN}" } },
  hooks: { enabled: true, token: "${HOOK_TOKEN}" },
  models: { providers: { p: { baseUrl: "http://127.0.0.1:1/v1", apiKey: "${PROVIDER_KEY}",
    headers: { Authorization: "${HEADER_KEY}" }, models: ["m1"] } } },
}
`);
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const session = await connectReference({ port, token: TOKEN, scopes: ["operator.read"] });
    try {
      const valid = await session.request<{ raw: string; valid: boolean }>("config.get");
      assert.equal(valid.valid, true);
      for (const secret of [TOKEN, HOOK_TOKEN, PROVIDER_KEY, HEADER_KEY]) {
        assert.ok(!JSON.stringify(valid).includes(secret), `${secret} leaked from a valid file`);
      }
      assert.match(valid.raw, /mode: "token"/, "only values are replaced");
      assert.match(valid.raw, /\/\/ the operator's own notes/);

      // A hand edit breaks the file (a missing brace): the running gateway keeps its config.
      await Deno.writeTextFile(
        home.configPath,
        `{ gateway: { mode: "local", auth: { token: "${TOKEN}" } }, hooks: { token: "${HOOK_TOKEN}" },
  models: { providers: { p: { apiKey: "${PROVIDER_KEY}", headers: { Authorization: "${HEADER_KEY}" } } } }`,
      );
      const broken = await session.request<Record<string, unknown>>("config.get");
      assert.equal(broken.valid, false);
      assert.equal(broken.raw, null);
      assert.equal(broken.parsed, null);
      assert.ok(Array.isArray(broken.issues) && broken.issues.length > 0, "the issues say what to fix");
      for (const secret of [TOKEN, HOOK_TOKEN, PROVIDER_KEY, HEADER_KEY]) {
        assert.ok(!JSON.stringify(broken).includes(secret), `${secret} leaked from an unparseable file`);
      }

      // Parseable but invalid (an unknown gateway key): withheld the same way.
      await Deno.writeTextFile(
        home.configPath,
        `{ gateway: { mode: "local", bogus: 1, auth: { token: "${TOKEN}" } }, hooks: { token: "${HOOK_TOKEN}" } }`,
      );
      const invalid = await session.request<Record<string, unknown>>("config.get");
      assert.equal(invalid.valid, false);
      assert.equal(invalid.raw, null);
      assert.ok(!JSON.stringify(invalid).includes(HOOK_TOKEN) && !JSON.stringify(invalid).includes(TOKEN));
    } finally {
      session.stop();
    }
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
