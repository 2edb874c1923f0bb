import assert from "node:assert/strict";
import { resolveToolPolicy } from "../../src/config/resolve_tool_policy.ts";
import { effectiveProfile, toolAllowed, toolMatcher } from "../../src/agent/tool_policy.ts";
import { profileAllow } from "../../src/agent/tool_groups.ts";

const NAMES = ["read", "exec", "sessions_list", "agents_list", "message", "memory_search", "docs__read_docs"];

function allowed(config: Record<string, unknown>, agentId = "main"): string[] {
  const allow = toolAllowed(resolveToolPolicy(config as never), agentId);
  return NAMES.filter(allow);
}

Deno.test("tool policy: no profile and no lists filter nothing", () => {
  assert.deepEqual(allowed({}), NAMES);
});

Deno.test("tool policy: profiles as the reference lists them (coding/messaging take MCP tools, full all)", () => {
  assert.deepEqual(allowed({ tools: { profile: "coding" } }), [
    "read",
    "exec",
    "sessions_list",
    "memory_search",
    "docs__read_docs",
  ]);
  assert.deepEqual(allowed({ tools: { profile: "messaging" } }), ["sessions_list", "message", "docs__read_docs"]);
  assert.deepEqual(allowed({ tools: { profile: "minimal" } }), []);
  assert.deepEqual(allowed({ tools: { profile: "full" } }), NAMES);
  assert.ok(profileAllow("minimal").includes("session_status"));
});

Deno.test("tool policy: alsoAllow widens a profile; allow restricts; deny wins; groups, globs, any case", () => {
  assert.deepEqual(allowed({ tools: { profile: "messaging", alsoAllow: ["agents_list"] } }), [
    "sessions_list",
    "agents_list",
    "message",
    "docs__read_docs",
  ]);
  assert.deepEqual(allowed({ tools: { allow: ["group:sessions", "Agents_*"] } }), ["sessions_list", "agents_list"]);
  assert.deepEqual(allowed({ tools: { allow: ["group:openclaw"], deny: ["sessions_*"] } }), [
    "agents_list",
    "message",
    "memory_search",
  ]);
  assert.deepEqual(allowed({ tools: { deny: ["group:fs", "BASH", "group:plugins"] } }), [
    "sessions_list",
    "agents_list",
    "message",
    "memory_search",
  ]);
  assert.equal(toolMatcher(["cron"])("automations"), true);
});

Deno.test("tool policy: apply-patch names apply_patch, and a tool's own name is folded and de-aliased too", () => {
  assert.equal(toolMatcher(["apply-patch"])("apply_patch"), true);
  assert.equal(toolMatcher(["Apply_Patch"])("apply_patch"), true);
  assert.equal(toolMatcher(["exec"])("bash"), true);
  assert.equal(toolMatcher(["apply_patch"])("Apply-Patch"), true);
});

Deno.test("tool policy: an agent's tools override the profile and restrict after the global lists", () => {
  const config = {
    tools: { profile: "coding", deny: ["exec"] },
    agents: {
      list: [
        { id: "main" },
        { id: "helper", tools: { profile: "full", deny: ["read"] } },
        { id: "narrow", tools: { allow: ["exec", "sessions_list"] } },
      ],
    },
  };
  const policy = resolveToolPolicy(config as never);
  assert.equal(effectiveProfile(policy, "helper"), "full");
  assert.equal(effectiveProfile(policy, "main"), "coding");
  assert.deepEqual(allowed(config, "main"), ["read", "sessions_list", "memory_search", "docs__read_docs"]);
  // The global deny of exec still holds for an agent on the full profile.
  assert.deepEqual(allowed(config, "helper"), [
    "sessions_list",
    "agents_list",
    "message",
    "memory_search",
    "docs__read_docs",
  ]);
  // An agent's allow cannot grant back exec, which the global layer denied.
  assert.deepEqual(allowed(config, "narrow"), ["sessions_list"]);
});

Deno.test("tool policy: an unknown profile or a non-list is ignored, not an error", () => {
  assert.deepEqual(allowed({ tools: { profile: "everything", allow: "read" } }), NAMES);
});
