import assert from "node:assert/strict";
import { dispatch } from "../../src/rpc/dispatch.ts";
import { RpcError } from "../../src/rpc/errors.ts";
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

/** A table of one method per outcome; `ran` records which handlers were reached. */
function table(ran: string[]): MethodTable {
  return {
    "sessions.list": {
      scope: "operator.read",
      validator: "validateSessionsListParams",
      handler: ({ params }) => (ran.push("sessions.list"), { sessions: [], params }),
    },
    "config.apply": {
      scope: "operator.admin",
      check: (params) => (typeof params === "object" ? undefined : "must be object"),
      handler: () => (ran.push("config.apply"), {}),
    },
    "own.check": {
      scope: "operator.read",
      check: (params) => (params === undefined ? undefined : "at root: unexpected property 'x'"),
      handler: () => (ran.push("own.check"), { ok: 1 }),
    },
    "refuses": {
      scope: "operator.read",
      handler: () => {
        ran.push("refuses");
        throw new RpcError("UNAVAILABLE", "agent run failed", {
          details: { reason: "upstream" },
          retryable: true,
          payload: { runId: "r1", status: "error" },
        });
      },
    },
    "explodes": {
      scope: "operator.read",
      handler: () => {
        ran.push("explodes");
        throw new Error("disk on fire");
      },
    },
  };
}

/** Validators that know one rule (no `bogus` key): the package's own are tested through Connection. */
class StubValidators extends ProtocolValidators {
  override problem(name: string, params: unknown): Promise<string | undefined> {
    const bogus = typeof params === "object" && params !== null && "bogus" in params;
    return Promise.resolve(bogus ? `${name}: at root: unexpected property 'bogus'` : undefined);
  }
}

function deps(ran: string[], unexpected: [string, unknown][] = []) {
  return {
    methods: table(ran),
    validators: new StubValidators(),
    onUnexpected: (method: string, error: unknown) => unexpected.push([method, error]),
  };
}

Deno.test("dispatch refuses an unknown method with INVALID_REQUEST, naming it", async () => {
  const ran: string[] = [];
  const result = await dispatch(deps(ran), { method: "no.such", params: {}, caller });
  assert.deepEqual(result, { ok: false, error: { code: "INVALID_REQUEST", message: "unknown method: no.such" } });
  assert.deepEqual(ran, []);
});

Deno.test("dispatch refuses a missing scope before reading params, with the reference's details shape", async () => {
  const ran: string[] = [];
  // Params that would also fail validation: the scope refusal comes first, as in the reference.
  const result = await dispatch(deps(ran), { method: "config.apply", params: "not an object", caller });
  assert.deepEqual(result, {
    ok: false,
    error: {
      code: "FORBIDDEN",
      message: "missing scope: operator.admin",
      details: { code: "MISSING_SCOPE", missingScope: "operator.admin", requiredScopes: ["operator.admin"] },
    },
  });
  assert.deepEqual(ran, []);
  const admin = { ...caller, scopes: ["operator.admin"] };
  assert.deepEqual(await dispatch(deps(ran), { method: "config.apply", params: {}, caller: admin }), {
    ok: true,
    payload: {},
  });
});

Deno.test("dispatch refuses invalid params (named validator or own check) without running the handler", async () => {
  const ran: string[] = [];
  const bad = await dispatch(deps(ran), { method: "sessions.list", params: { bogus: 1 }, caller });
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.error.code, "INVALID_REQUEST");
  assert.equal(
    !bad.ok && bad.error.message,
    "invalid sessions.list params: validateSessionsListParams: at root: unexpected property 'bogus'",
  );
  const own = await dispatch(deps(ran), { method: "own.check", params: { x: 1 }, caller });
  assert.deepEqual(own, {
    ok: false,
    error: { code: "INVALID_REQUEST", message: "invalid own.check params: at root: unexpected property 'x'" },
  });
  assert.deepEqual(ran, []);
  // Absent params reach the handler as {} (the check sees them as given).
  const good = await dispatch(deps(ran), { method: "sessions.list", params: undefined, caller });
  assert.deepEqual(good, { ok: true, payload: { sessions: [], params: {} } });
  assert.deepEqual(ran, ["sessions.list"]);
});

Deno.test("dispatch turns a handler's RpcError into its body and keeps its payload; nothing is reported", async () => {
  const ran: string[] = [];
  const unexpected: [string, unknown][] = [];
  const result = await dispatch(deps(ran, unexpected), { method: "refuses", params: {}, caller });
  assert.deepEqual(result, {
    ok: false,
    error: { code: "UNAVAILABLE", message: "agent run failed", details: { reason: "upstream" }, retryable: true },
    payload: { runId: "r1", status: "error" },
  });
  assert.deepEqual(unexpected, [], "a typed refusal is not an unexpected failure");
});

Deno.test("dispatch answers an unexpected handler error with UNAVAILABLE and reports it once", async () => {
  const unexpected: [string, unknown][] = [];
  const result = await dispatch(deps([], unexpected), { method: "explodes", params: {}, caller });
  assert.deepEqual(result, { ok: false, error: { code: "UNAVAILABLE", message: "explodes failed: disk on fire" } });
  assert.equal(unexpected.length, 1);
  assert.equal(unexpected[0]![0], "explodes");
  assert.match(String(unexpected[0]![1]), /disk on fire/);
});

Deno.test("dispatch hands two-stage methods the caller's accept callback", async () => {
  const accepted: unknown[] = [];
  const methods: MethodTable = {
    agent: {
      scope: "operator.read",
      handler: ({ accept, caller: who }) => {
        accept({ runId: "r1", status: "accepted" });
        return { runId: "r1", status: "ok", by: who.connId };
      },
    },
  };
  const result = await dispatch(
    { methods, validators: new StubValidators(), onUnexpected: () => {} },
    { method: "agent", params: {}, caller, accept: (payload) => accepted.push(payload) },
  );
  assert.deepEqual(accepted, [{ runId: "r1", status: "accepted" }]);
  assert.deepEqual(result, { ok: true, payload: { runId: "r1", status: "ok", by: "c1" } });
});
