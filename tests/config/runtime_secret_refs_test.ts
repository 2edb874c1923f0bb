import assert from "node:assert/strict";
import { ConfigError } from "../../src/config/errors.ts";
import { materializeProviderRefs } from "../../src/config/provider_refs.ts";
import { resolveRuntimeSecretRefs, withGatewayAuthRefs } from "../../src/config/runtime_secret_refs.ts";
import { resolveSecretInput } from "../../src/config/resolve_auth.ts";

/** A private folder with a JSON secrets file (0600), a singleValue file and an exec provider script. */
async function providerHome(): Promise<{ dir: string; json: string; single: string; exec: string }> {
  const dir = await Deno.makeTempDir({ prefix: "runtime-secrets-" });
  const json = `${dir}/secrets.json`;
  await Deno.writeTextFile(
    json,
    JSON.stringify({ gateway: { token: "file-token" }, providers: { openai: "sk-file" } }),
  );
  await Deno.chmod(json, 0o600);
  const single = `${dir}/token.txt`;
  await Deno.writeTextFile(single, "single-token\n");
  await Deno.chmod(single, 0o600);
  const exec = `${dir}/provider`;
  await Deno.writeTextFile(
    exec,
    `#!/bin/sh\ncat > /dev/null\nprintf '{"protocolVersion":1,"values":{"gw":"exec-token","empty":""}}'\n`,
  );
  await Deno.chmod(exec, 0o700);
  return { dir, json, single, exec };
}

function configWith<T extends Record<string, unknown>>(home: { json: string; single: string; exec: string }, extra: T) {
  return {
    secrets: {
      providers: {
        vault: { source: "file", path: home.json },
        one: { source: "file", path: home.single, mode: "singleValue" },
        runner: { source: "exec", command: home.exec },
        failing: { source: "exec", command: `${home.json}.missing` },
      },
    },
    ...extra,
  };
}

Deno.test("resolveRuntimeSecretRefs: file (JSON pointer and singleValue) and exec providers resolve, and the runtime config carries their values", async () => {
  const home = await providerHome();
  try {
    const config = configWith(home, {
      gateway: { auth: { mode: "token", token: { source: "exec", provider: "runner", id: "gw" } } },
      models: {
        providers: {
          a: { apiKey: { source: "file", provider: "vault", id: "/providers/openai" } },
          b: { apiKey: { source: "file", provider: "one", id: "value" } },
        },
      },
    });
    const resolved = await resolveRuntimeSecretRefs(config, { env: {} });
    assert.deepEqual(resolved.warnings, []);
    const runtime = materializeProviderRefs(config, resolved);
    assert.equal(runtime.gateway.auth.token, "exec-token");
    assert.equal(runtime.models.providers.a.apiKey, "sk-file");
    assert.equal(runtime.models.providers.b.apiKey, "single-token");
    assert.deepEqual(runtime.secrets, config.secrets, "the provider definitions are left as written");
    assert.deepEqual(config.gateway.auth.token, { source: "exec", provider: "runner", id: "gw" }, "source untouched");
  } finally {
    await Deno.remove(home.dir, { recursive: true });
  }
});

Deno.test("resolveRuntimeSecretRefs: a failing ref at the gateway's own auth refuses with the reason, the place and the fix", async () => {
  const home = await providerHome();
  try {
    const refused = (token: unknown, mode?: string) =>
      resolveRuntimeSecretRefs(configWith(home, { gateway: { auth: { ...(mode ? { mode } : {}), token } } }), {
        env: {},
      });
    await assert.rejects(refused({ source: "exec", provider: "failing", id: "gw" }), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(
        error.message,
        `secrets.providers.failing.command is not readable: ${home.json}.missing gateway.auth.token refers to exec:failing:gw; fix secrets.providers.failing or change the reference`,
      );
      return true;
    });
    await assert.rejects(refused({ source: "exec", provider: "runner", id: "empty" }), {
      message:
        'Secret reference "exec:runner:empty" resolved to a non-string or empty value. gateway.auth.token refers to exec:runner:empty; fix secrets.providers.runner or change the reference',
    });
    await assert.rejects(refused({ source: "file", provider: "nowhere", id: "/x" }), {
      message:
        'Secret provider "nowhere" is not configured (ref: file:nowhere:/x). gateway.auth.token refers to file:nowhere:/x; fix secrets.providers.nowhere or change the reference',
    });
    await Deno.chmod(home.json, 0o644);
    await assert.rejects(refused({ source: "file", provider: "vault", id: "/gateway/token" }), {
      message:
        `secrets.providers.vault.path permissions are too open: ${home.json} gateway.auth.token refers to file:vault:/gateway/token; fix secrets.providers.vault or change the reference`,
    });
    // The token is not in use under password auth: its failure degrades instead.
    const inactive = await refused({ source: "exec", provider: "failing", id: "gw" }, "password");
    assert.equal(inactive.failed.size, 1);
  } finally {
    await Deno.remove(home.dir, { recursive: true });
  }
});

Deno.test("resolveRuntimeSecretRefs: a failing ref elsewhere degrades its owner: removed from the runtime config, with a [secrets] line", async () => {
  const home = await providerHome();
  try {
    const config = configWith(home, {
      models: {
        providers: {
          a: { baseUrl: "http://x", apiKey: { source: "file", provider: "vault", id: "/providers/missing" } },
          b: { baseUrl: "http://y", apiKey: { source: "exec", provider: "runner", id: "gw" } },
        },
      },
    });
    const resolved = await resolveRuntimeSecretRefs(config, { env: {} });
    assert.deepEqual(resolved.warnings, [
      '[SECRETS_DEGRADED] models.providers.a.apiKey (file:vault:/providers/missing): JSON pointer segment "missing" does not exist. It runs as if unset. Retry: openclaw secrets reload.',
    ]);
    const runtime = materializeProviderRefs(config, resolved);
    assert.deepEqual(runtime.models.providers.a, { baseUrl: "http://x" });
    assert.equal(runtime.models.providers.b.apiKey, "exec-token");
  } finally {
    await Deno.remove(home.dir, { recursive: true });
  }
});

Deno.test("a CLI target resolves the gateway's provider-backed auth refs itself, unless --token/--password/--url is given", async () => {
  const home = await providerHome();
  try {
    const config = configWith(home, {
      gateway: { auth: { token: { source: "exec", provider: "runner", id: "gw" } } },
      models: { providers: { a: { apiKey: { source: "exec", provider: "failing", id: "a" } } } },
    });
    const resolved = await withGatewayAuthRefs(config, { env: {} }, false);
    assert.equal(resolved.gateway.auth.token, "exec-token");
    assert.deepEqual(resolved.models, config.models, "only the gateway's auth is run for a CLI target");
    const explicit = await withGatewayAuthRefs(config, { env: {} }, true);
    assert.deepEqual(explicit.gateway.auth, {});
    // The synchronous reading never mistakes a provider-backed ref for a built-in one.
    assert.throws(
      () =>
        resolveSecretInput({ source: "exec", provider: "runner", id: "gw" }, { key: "gateway.auth.token", env: {} }),
      {
        message:
          "gateway.auth.token refers to exec:runner:gw, which resolves through secrets.providers when the gateway starts or reloads, not here. Start the gateway, or run openclaw secrets reload after changing it",
      },
    );
  } finally {
    await Deno.remove(home.dir, { recursive: true });
  }
});
