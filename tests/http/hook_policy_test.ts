import assert from "node:assert/strict";
import {
  directDelivery,
  type HookPolicy,
  resolveAllowedAgentIds,
  resolveAllowedPrefixes,
  resolveLogicalKey,
  resolveTargetAgent,
  scopeKeyToAgent,
} from "../../src/http/hook_policy.ts";

const policy = (over: Partial<HookPolicy> = {}): HookPolicy => ({
  knownAgentIds: new Set(["main", "ops"]),
  defaultAgentId: "main",
  allowedAgentIds: undefined,
  defaultSessionKey: undefined,
  allowRequestSessionKey: false,
  allowedSessionKeyPrefixes: undefined,
  ...over,
});

Deno.test("hook policy: requests name known agents; mappings fall back to the default; the allowlist applies to both", () => {
  assert.deepEqual(resolveTargetAgent(policy(), "OPS", "request"), {
    ok: true,
    value: { selected: "ops", effective: "ops" },
  });
  assert.deepEqual(resolveTargetAgent(policy(), "ghost", "request"), { ok: false, error: 'unknown agentId "ghost"' });
  assert.deepEqual(resolveTargetAgent(policy(), "ghost", "mapping"), {
    ok: true,
    value: { selected: "main", effective: "main" },
  });
  assert.deepEqual(resolveTargetAgent(policy({ allowedAgentIds: new Set(["main"]) }), "ops", "request"), {
    ok: false,
    error: "agentId is not allowed by hooks.allowedAgentIds",
  });
  assert.equal(resolveAllowedAgentIds(["main", "*"]), undefined);
  assert.deepEqual(resolveAllowedAgentIds([]), new Set());
  assert.deepEqual(resolveAllowedPrefixes([" Hook: ", ""]), ["hook:"]);
  assert.equal(resolveAllowedPrefixes([" "]), undefined);
});

Deno.test("hook policy: caller keys need allowRequestSessionKey, static mapping keys do not; prefixes bind all, generated keys too", () => {
  assert.deepEqual(resolveLogicalKey(policy(), "hook:x", "request"), {
    ok: false,
    error:
      "sessionKey is disabled for externally supplied hook payload values; set hooks.allowRequestSessionKey=true to enable",
  });
  assert.deepEqual(resolveLogicalKey(policy(), "hook:x", "mapping-templated").ok, false);
  assert.deepEqual(resolveLogicalKey(policy(), "fixed", "mapping-static"), { ok: true, value: "fixed" });
  const prefixed = policy({ allowRequestSessionKey: true, allowedSessionKeyPrefixes: ["hook:"] });
  assert.deepEqual(resolveLogicalKey(prefixed, "other:x", "request"), {
    ok: false,
    error: "sessionKey must start with one of: hook:",
  });
  assert.deepEqual(resolveLogicalKey(prefixed, "HOOK:x", "request"), { ok: true, value: "HOOK:x" });
  const generated = resolveLogicalKey(policy(), undefined, "request");
  assert.ok(generated.ok && /^hook:[0-9a-f-]{36}$/.test(generated.value));
  assert.deepEqual(resolveLogicalKey(policy({ defaultSessionKey: "hook:d" }), undefined, "request"), {
    ok: true,
    value: "hook:d",
  });
  assert.deepEqual(scopeKeyToAgent(policy(), "agent:main:hook:1", "ops"), { ok: true, value: "agent:ops:hook:1" });
  assert.equal(scopeKeyToAgent(prefixed, "agent:main:hook:1", "ops").ok, false, "re-scoped keys are checked again");
});

Deno.test("hook policy: direct delivery needs channel and to together, a concrete channel, accountId with both", () => {
  const channels = ["irc"];
  const error = (payload: Record<string, unknown>) => {
    const verdict = directDelivery(payload, channels);
    return verdict.ok ? undefined : verdict.error;
  };
  assert.deepEqual(directDelivery({}, channels), {
    ok: true,
    value: { deliver: true, channel: "last", to: undefined, delivery: { mode: "none" } },
  });
  assert.deepEqual(directDelivery({ deliver: false, channel: "zzz" }, channels), {
    ok: true,
    value: { deliver: false, channel: "last", delivery: { mode: "none" } },
  });
  assert.equal(error({ channel: "zzz", to: "x" }), "channel must be last|irc");
  assert.equal(error({ to: "#x" }), "channel and to must be set together for hook delivery");
  assert.equal(error({ channel: "irc" }), "channel and to must be set together for hook delivery");
  assert.equal(error({ channel: "last", to: "#x" }), "channel must name a concrete channel for hook delivery");
  assert.equal(error({ accountId: "a" }), "accountId requires channel and to for hook delivery");
  assert.equal(error({ channel: "irc", to: " " }), "to must be a non-empty string for hook delivery");
  assert.deepEqual(directDelivery({ channel: "IRC", to: "#x", accountId: "a" }, channels), {
    ok: true,
    value: {
      deliver: true,
      channel: "irc",
      to: "#x",
      delivery: { mode: "announce", channel: "irc", to: "#x", accountId: "a" },
    },
  });
});
