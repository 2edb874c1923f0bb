import assert from "node:assert/strict";
import { RpcError } from "../../../src/rpc/errors.ts";
import { resolveWakeTarget } from "../../../src/rpc/methods/wake_target.ts";
import { systemMethods } from "../../../src/rpc/methods/system.ts";

const agents = { defaultAgentId: "main", ids: ["main", "ops"] };

/** The error a target gets, as `[code, message]` (the reference 2026.9.6's replies, measured). */
function refusal(input: { agentId?: string; sessionKey?: string }): [string, string] {
  try {
    resolveWakeTarget(agents, input);
  } catch (error) {
    assert.ok(error instanceof RpcError);
    return [error.code, error.message];
  }
  assert.fail(`no error for ${JSON.stringify(input)}`);
}

Deno.test("wake targets the reference refuses, with its words", () => {
  assert.deepEqual(refusal({ agentId: "nosuch" }), ["UNAVAILABLE", "Error: cron job agent is unavailable: nosuch"]);
  assert.deepEqual(refusal({ sessionKey: "agent:nosuch:main" }), [
    "UNAVAILABLE",
    "Error: cron job agent is unavailable: nosuch",
  ]);
  assert.deepEqual(refusal({ sessionKey: "foo", agentId: "nosuch" }), ["INVALID_REQUEST", 'Unknown agent id "nosuch"']);
  assert.deepEqual(refusal({ sessionKey: "agent:ops:main", agentId: "main" }), [
    "INVALID_REQUEST",
    "Multiple agents are configured, but session agent resolution has no explicit owner. " +
    'The agent-scoped session key belongs to "ops", not "main".',
  ]);
  assert.deepEqual(refusal({ sessionKey: "agent:main:subagent:x" }), [
    "INVALID_REQUEST",
    "wake sessionKey cannot target a subagent session",
  ]);
  assert.deepEqual(refusal({ sessionKey: "agent::main" }), ["INVALID_REQUEST", 'malformed session key "agent::main"']);
});

Deno.test("a bare session key belongs to the default agent (or the one named); a qualified one to its agent", () => {
  assert.deepEqual(resolveWakeTarget(agents, { sessionKey: "foo" }), { agentId: "main", sessionKey: "agent:main:foo" });
  assert.deepEqual(resolveWakeTarget(agents, { sessionKey: "foo", agentId: "ops" }), {
    agentId: "ops",
    sessionKey: "agent:ops:foo",
  });
  assert.deepEqual(resolveWakeTarget(agents, { sessionKey: "agent:ops:main" }), {
    agentId: "ops",
    sessionKey: "agent:ops:main",
  });
  assert.deepEqual(resolveWakeTarget(agents, { agentId: "ops" }), { agentId: "ops" });
  assert.deepEqual(resolveWakeTarget(agents, {}), { agentId: undefined });
});

Deno.test("the wake method passes the checked target on and refuses an unknown agent before queueing", async () => {
  const woken: unknown[] = [];
  const methods = systemMethods({
    presence: () => [],
    recordSystemEvent: () => {},
    lastHeartbeat: () => null,
    wake: (input) => {
      woken.push(input);
      return "queued";
    },
    agents: () => agents,
  });
  const wake = methods.wake!;
  const call = (params: unknown) => wake.handler({ params } as Parameters<typeof wake.handler>[0]);
  assert.deepEqual(await call({ mode: "now", text: "hi", sessionKey: "foo" }), { ok: true });
  assert.deepEqual(woken, [{ mode: "now", text: "hi", agentId: "main", sessionKey: "agent:main:foo" }]);
  await assert.rejects(async () => await call({ mode: "now", text: "hi", agentId: "nosuch" }), RpcError);
  assert.equal(woken.length, 1);
});
