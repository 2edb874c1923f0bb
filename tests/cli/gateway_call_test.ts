import assert from "node:assert/strict";
import { callWithScopes } from "../../src/cli/commands/gateway_call.ts";
import { type GatewayConnection, GatewayRequestError } from "../../src/client/rpc_client.ts";

/** A fake gateway that checks scopes as the dispatcher does: a table of method -> required scope. */
function fakeGateway(table: Record<string, string>) {
  const asked: string[][] = [];
  const connect = (scopes: string[]): Promise<GatewayConnection> => {
    asked.push(scopes);
    return Promise.resolve({
      hello: {
        server: { version: "test", connId: "c" },
        auth: { role: "operator", scopes },
        features: { methods: Object.keys(table), events: [] },
        snapshot: {},
      },
      connectLatencyMs: 1,
      request<T>(method: string): Promise<T> {
        const required = table[method];
        if (method === "boom") throw new GatewayRequestError({ code: "UNAVAILABLE", message: "boom" });
        if (required && !scopes.includes(required) && !scopes.includes("operator.admin")) {
          throw new GatewayRequestError({
            code: "FORBIDDEN",
            message: `missing scope: ${required}`,
            details: { code: "MISSING_SCOPE", missingScope: required, requiredScopes: [required] },
          });
        }
        return Promise.resolve({ method } as T);
      },
      close() {},
    });
  };
  return { asked, connect };
}

const TABLE = {
  health: "operator.read",
  agent: "operator.write",
  "chat.send": "operator.write",
  "sessions.reset": "operator.admin",
  boom: "operator.read",
};

Deno.test("callWithScopes() asks read first, then exactly the scope a missing-scope refusal names", async () => {
  for (
    const [method, expected] of [
      ["health", [["operator.read"]]],
      ["agent", [["operator.read"], ["operator.write"]]],
      ["chat.send", [["operator.read"], ["operator.write"]]],
      ["sessions.reset", [["operator.read"], ["operator.admin"]]],
    ] as const
  ) {
    const gateway = fakeGateway(TABLE);
    assert.deepEqual(await callWithScopes(gateway.connect, { method, params: {}, timeoutMs: 1000 }), { method });
    assert.deepEqual(gateway.asked, expected, method);
  }
});

Deno.test("callWithScopes() does not retry other errors, nor a refusal for a scope it already asked", async () => {
  const gateway = fakeGateway(TABLE);
  await assert.rejects(callWithScopes(gateway.connect, { method: "boom", params: {}, timeoutMs: 1000 }), /boom/);
  assert.equal(gateway.asked.length, 1);
  // A credential that cannot hold read: the refusal names a scope already asked, so no loop.
  const denied = fakeGateway({ health: "operator.read" });
  const narrow = (_scopes: string[]) => denied.connect([]);
  await assert.rejects(callWithScopes(narrow, { method: "health", params: {}, timeoutMs: 1000 }), /missing scope/);
  assert.equal(denied.asked.length, 1);
});
