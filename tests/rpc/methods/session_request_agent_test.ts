import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { RpcError } from "../../../src/rpc/errors.ts";
import { requestedSessionAgent } from "../../../src/rpc/methods/session_request_agent.ts";

const agents = agentsFromConfig(
  { agents: { list: [{ id: "main", default: true }, { id: "ops" }] } },
  "/tmp/oc-request-agent-unused",
  "/home/test",
);

Deno.test("a session request's agentId: names the owner of a bare key, must match a prefixed key's agent", () => {
  assert.equal(requestedSessionAgent(agents, "main", undefined), "main");
  assert.equal(requestedSessionAgent(agents, "main", "ops"), "ops");
  assert.equal(requestedSessionAgent(agents, "agent:ops:main", undefined), "ops");
  assert.equal(requestedSessionAgent(agents, "agent:ops:work", "ops"), "ops");
});

Deno.test("a session request's agentId: refused in the reference's words when unknown or not the key's agent", () => {
  assert.throws(
    () => requestedSessionAgent(agents, "main", "ghost"),
    (e: unknown) => e instanceof RpcError && e.code === "INVALID_REQUEST" && e.message === 'Unknown agent id "ghost"',
  );
  assert.throws(
    () => requestedSessionAgent(agents, "agent:ops:main", "main"),
    (e: unknown) => e instanceof RpcError && e.message === 'agent "main" does not match session key agent "ops"',
  );
});
