import assert from "node:assert/strict";
import { dispatch } from "../../src/rpc/dispatch.ts";
import type { MethodTable } from "../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";

const caller = {
  connId: "c1",
  role: "operator" as const,
  scopes: ["operator.read"],
  clientId: "test",
  clientMode: "cli",
  remoteAddr: "127.0.0.1",
};

/** Validators whose module failed to load: every check rejects. */
class BrokenValidators extends ProtocolValidators {
  override problem(): Promise<string | undefined> {
    return Promise.reject(new Error("validator module failed to load"));
  }
}

Deno.test("dispatch answers UNAVAILABLE when the params validator throws, instead of rejecting", async () => {
  const methods: MethodTable = {
    "sessions.list": { scope: "operator.read", validator: "validateSessionsListParams", handler: () => ({}) },
    "echo": {
      scope: "operator.read",
      check: () => {
        throw new TypeError("check exploded");
      },
      handler: () => ({}),
    },
  };
  const unexpected: string[] = [];
  const deps = {
    methods,
    validators: new BrokenValidators(),
    onUnexpected: (method: string) => unexpected.push(method),
  };
  for (const method of ["sessions.list", "echo"]) {
    const result = await dispatch(deps, { method, params: {}, caller });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.code, "UNAVAILABLE");
  }
  assert.deepEqual(unexpected, ["sessions.list", "echo"], "each failure is reported once");
});
