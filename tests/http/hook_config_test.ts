import assert from "node:assert/strict";
import { join } from "node:path";
import { gmailBodyLimit, resolveHookRouting } from "../../src/http/hook_config.ts";
import type { HookRoutingInput } from "../../src/http/hook_config.ts";

const base = { allowRequestSessionKey: false, allowedAgentIds: undefined };
const context = (configDir: string) => ({ configDir, agentIds: ["main"], defaultAgentId: "main", generation: 1 });
const resolve = (input: Partial<HookRoutingInput>, dir = "/nonexistent") =>
  resolveHookRouting({ ...base, ...input }, context(dir));

Deno.test("hook config: the reference's refusals (prefix rules, templated keys without prefixes)", () => {
  assert.throws(
    () => resolve({ defaultSessionKey: "x:1", allowedSessionKeyPrefixes: ["hook:"] }),
    /^Error: hooks.defaultSessionKey must match hooks.allowedSessionKeyPrefixes$/,
  );
  assert.throws(
    () => resolve({ allowedSessionKeyPrefixes: ["agent:"] }),
    /hooks.allowedSessionKeyPrefixes must include 'hook:' when hooks.defaultSessionKey is unset/,
  );
  assert.throws(
    () => resolve({ presets: ["gmail"] }),
    /hooks.allowedSessionKeyPrefixes is required when a hook mapping sessionKey uses templates/,
  );
  // An earlier catch-all mapping shadows the preset: its templated key no longer counts.
  assert.equal(resolve({ mappings: [{ messageTemplate: "x" }], presets: ["gmail"] }).mappings.length, 2);
});

Deno.test("hook config: the gmail path gets its larger body allowance; others the default", () => {
  const routing = resolve({ presets: ["gmail"], allowedSessionKeyPrefixes: ["hook:"] });
  assert.equal(routing.bodyLimit("gmail/"), gmailBodyLimit(undefined));
  assert.equal(gmailBodyLimit(undefined), 100 * (20_000 * 3 + 8192));
  assert.equal(gmailBodyLimit(1), 100 * (3 + 8192));
  assert.equal(gmailBodyLimit(1e9), 32 * 1024 * 1024);
  assert.equal(routing.bodyLimit("other"), 256 * 1024);
});

Deno.test("hook config: transforms stay inside <config dir>/hooks/transforms, symlinks included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const root = join(dir, "hooks", "transforms");
    await Deno.mkdir(root, { recursive: true });
    await Deno.mkdir(join(dir, "outside"));
    await Deno.symlink(join(dir, "outside"), join(root, "link"));
    const ok = resolve({ mappings: [{ transform: { module: "sub/t.mjs" } }] }, dir);
    assert.equal(ok.mappings[0]?.transform?.modulePath, join(root, "sub", "t.mjs"));
    assert.throws(
      () => resolve({ mappings: [{ transform: { module: "link/t.mjs" } }] }, dir),
      /Hook transform module path must be within/,
    );
    assert.throws(
      () => resolve({ mappings: [{ transform: { module: "../t.mjs" } }] }, dir),
      /Hook transform module path must be within/,
    );
    assert.throws(
      () => resolve({ mappings: [{ transform: { module: "t.mjs" } }], transformsDir: "/etc" }, dir),
      /Hook transformsDir module path must be within/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
