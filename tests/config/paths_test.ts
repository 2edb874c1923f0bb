import assert from "node:assert/strict";
import { resolvePaths, resolveProfile } from "../../src/config/paths.ts";
import { ConfigError } from "../../src/config/errors.ts";

const env = { HOME: "/home/u" };

Deno.test("resolvePaths() defaults to ~/.openclaw/openclaw.json", () => {
  const paths = resolvePaths({ env });
  assert.equal(paths.stateDir, "/home/u/.openclaw");
  assert.equal(paths.configPath, "/home/u/.openclaw/openclaw.json");
  assert.equal(paths.profile, undefined);
});

Deno.test("resolvePaths() uses ~/.openclaw-NAME for --profile NAME", () => {
  const paths = resolvePaths({ env, profile: "work" });
  assert.equal(paths.stateDir, "/home/u/.openclaw-work");
  assert.equal(paths.configPath, "/home/u/.openclaw-work/openclaw.json");
  assert.equal(paths.profile, "work");
});

Deno.test("resolvePaths() uses ~/.openclaw-dev for --dev", () => {
  const paths = resolvePaths({ env, dev: true });
  assert.equal(paths.stateDir, "/home/u/.openclaw-dev");
  assert.equal(paths.dev, true);
});

Deno.test("resolvePaths() prefers OPENCLAW_STATE_DIR and OPENCLAW_CONFIG_PATH over the profile", () => {
  const paths = resolvePaths({
    env: { ...env, OPENCLAW_STATE_DIR: "~/state", OPENCLAW_CONFIG_PATH: "/etc/oc.json5" },
    profile: "work",
  });
  assert.equal(paths.stateDir, "/home/u/state");
  assert.equal(paths.configPath, "/etc/oc.json5");
  assert.equal(paths.configPathFromEnv, true);
});

Deno.test("resolvePaths() honours OPENCLAW_HOME before HOME", () => {
  assert.equal(resolvePaths({ env: { HOME: "/a", OPENCLAW_HOME: "/b" } }).stateDir, "/b/.openclaw");
});

Deno.test("resolvePaths() falls back to an existing legacy clawdbot.json", () => {
  const exists = (p: string) => p === "/home/u/.openclaw/clawdbot.json";
  assert.equal(resolvePaths({ env, exists }).configPath, "/home/u/.openclaw/clawdbot.json");
});

Deno.test("resolveProfile() refuses --dev with --profile", () => {
  assert.throws(() => resolveProfile({ env, dev: true, profile: "x" }), /Cannot combine --dev with --profile/);
});

Deno.test("resolveProfile() treats 'default' as no profile and reads OPENCLAW_PROFILE", () => {
  assert.equal(resolveProfile({ env, profile: "default" }).profile, undefined);
  assert.equal(resolveProfile({ env: { ...env, OPENCLAW_PROFILE: "ops" } }).profile, "ops");
});

Deno.test("resolveProfile() rejects names with path characters", () => {
  assert.throws(
    () => resolveProfile({ env, profile: "../etc" }),
    (e) => e instanceof ConfigError && e.exitKind === "usage",
  );
});
