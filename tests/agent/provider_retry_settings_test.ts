import assert from "node:assert/strict";
import {
  providerRetryCache,
  providerRetrySettings,
  readProviderRetrySettings,
} from "../../src/agent/provider_retry_settings.ts";

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

const DEFAULTS = { maxRetries: undefined, maxRetryDelayMs: 60_000 };

Deno.test("readProviderRetrySettings() reads <agentDir>/settings.json, the defaults without one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cache = providerRetryCache();
    assert.deepEqual(readProviderRetrySettings(dir, cache), DEFAULTS);
    await Deno.writeTextFile(`${dir}/settings.json`, '{"retry":{"provider":{"maxRetries":2}}}');
    assert.deepEqual(readProviderRetrySettings(dir, cache), { maxRetries: 2, maxRetryDelayMs: 60_000 });
    await Deno.mkdir(`${dir}/sub/settings.json`, { recursive: true });
    assert.deepEqual(readProviderRetrySettings(`${dir}/sub`, cache), DEFAULTS, "a directory reads as no file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readProviderRetrySettings() keeps a settled file and an absent one, and sees each edit at the next run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cache = providerRetryCache();
    const later = () => Date.now() + 60_000;
    // The directory's times in the past: the file system's clock ticks coarsely, and a file created within the tick
    // the directory was made in would not move them.
    await Deno.utime(dir, 1_000_000, 1_000_000);
    assert.deepEqual(readProviderRetrySettings(dir, cache, later), DEFAULTS);
    assert.equal(cache.absent.size, 1, "the settled directory vouches for the missing file");
    assert.deepEqual(readProviderRetrySettings(dir, cache, later), DEFAULTS);
    // Creating the file moves the directory's stamp: the absence is no longer trusted.
    await Deno.writeTextFile(`${dir}/settings.json`, '{"retry":{"provider":{"maxRetries":1}}}');
    assert.deepEqual(readProviderRetrySettings(dir, cache, later), { maxRetries: 1, maxRetryDelayMs: 60_000 });
    assert.equal(cache.files.size, 1);
    const kept = cache.files.get(`${dir}/settings.json`)!.settings;
    assert.equal(readProviderRetrySettings(dir, cache, later), kept, "an unchanged stamp reuses the settings");
    // A longer text changes the size, whatever the clock's grain.
    await Deno.writeTextFile(`${dir}/settings.json`, '{"retry":{"provider":{"maxRetries":3, "maxRetryDelayMs":5}}}');
    assert.deepEqual(readProviderRetrySettings(dir, cache, later), { maxRetries: 3, maxRetryDelayMs: 5 });
    await Deno.remove(`${dir}/settings.json`);
    assert.deepEqual(readProviderRetrySettings(dir, cache, later), DEFAULTS);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readProviderRetrySettings() keeps nothing while the file's stamp has not settled", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cache = providerRetryCache();
    await Deno.writeTextFile(`${dir}/settings.json`, '{"retry":{"provider":{"maxRetries":1}}}');
    assert.deepEqual(readProviderRetrySettings(dir, cache), { maxRetries: 1, maxRetryDelayMs: 60_000 });
    assert.equal(cache.files.size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
