import assert from "node:assert/strict";
import { qualifiedSessionKey } from "../../src/sessions/session_key.ts";

Deno.test("qualifiedSessionKey() puts a bare key under its agent, lowercased", () => {
  assert.equal(qualifiedSessionKey("main", "main"), "agent:main:main");
  assert.equal(qualifiedSessionKey("work", "ops"), "agent:ops:work");
  assert.equal(qualifiedSessionKey("Work", "main"), "agent:main:work");
});

Deno.test("qualifiedSessionKey() keeps an agent-scoped key as sent", () => {
  assert.equal(qualifiedSessionKey("agent:main:work", "ops"), "agent:main:work");
  assert.equal(qualifiedSessionKey("agent:ops:main", "main"), "agent:ops:main");
});

Deno.test("qualifiedSessionKey() keeps global and unknown unscoped, as the reference's store does", () => {
  assert.equal(qualifiedSessionKey("global", "main"), "global");
  assert.equal(qualifiedSessionKey("Unknown", "ops"), "unknown");
});
