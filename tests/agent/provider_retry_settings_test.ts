import assert from "node:assert/strict";
import { providerRetrySettings, readProviderRetrySettings } from "../../src/agent/provider_retry_settings.ts";

Deno.test("providerRetrySettings() reads retry.provider's maxRetries and maxRetryDelayMs", () => {
  assert.deepEqual(providerRetrySettings('{"retry":{"provider":{"maxRetries":1,"maxRetryDelayMs":5000}}}'), {
    maxRetries: 1,
    maxRetryDelayMs: 5000,
  });
  assert.deepEqual(providerRetrySettings('{"retry":{"provider":{"maxRetries":0}}}'), {
    maxRetries: 0,
    maxRetryDelayMs: 60_000,
  });
});

Deno.test("providerRetrySettings() keeps the defaults for no file, other settings, bad values or bad JSON", () => {
  const defaults = { maxRetries: undefined, maxRetryDelayMs: 60_000 };
  assert.deepEqual(providerRetrySettings(undefined), defaults);
  assert.deepEqual(providerRetrySettings('{"retry":{"enabled":false}}'), defaults);
  assert.deepEqual(providerRetrySettings('{"retry":{"provider":{"maxRetries":-1,"maxRetryDelayMs":"x"}}}'), defaults);
  assert.deepEqual(providerRetrySettings('{"retry":{"provider":null}}'), defaults);
  assert.deepEqual(providerRetrySettings("null"), defaults);
  assert.deepEqual(providerRetrySettings("{not json"), defaults);
});

Deno.test("readProviderRetrySettings() reads <agentDir>/settings.json, the defaults without one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await readProviderRetrySettings(dir), { maxRetries: undefined, maxRetryDelayMs: 60_000 });
    await Deno.writeTextFile(`${dir}/settings.json`, '{"retry":{"provider":{"maxRetries":2}}}');
    assert.deepEqual(await readProviderRetrySettings(dir), { maxRetries: 2, maxRetryDelayMs: 60_000 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
