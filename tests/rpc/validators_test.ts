import assert from "node:assert/strict";
import { dispatch } from "../../src/rpc/dispatch.ts";
import { type MethodTable, validated } from "../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { operatorCaller } from "../support/rpc_caller.ts";

const caller = operatorCaller(["operator.read"]);

Deno.test("check() returns the value typed when valid, and the reference's error text when not", async () => {
  const validators = new ProtocolValidators();
  const ok = await validators.check("validateSessionsListParams", { limit: 3 });
  assert.deepEqual(ok, { ok: true, value: { limit: 3 } });
  const bad = await validators.check("validateSessionsListParams", { limit: "three" });
  assert.equal(bad.ok, false);
  assert.equal(await validators.problem("validateSessionsListParams", { limit: "three" }), !bad.ok && bad.problem);
});

Deno.test("a validated() handler runs only on params its validator accepted, and receives them as sent", async () => {
  const seen: unknown[] = [];
  const methods: MethodTable = {
    "sessions.list": validated("operator.read", "validateSessionsListParams", ({ params }) => {
      seen.push(params.limit);
      return { limit: params.limit ?? null };
    }),
  };
  const deps = { methods, validators: new ProtocolValidators(), onUnexpected: () => {} };
  assert.deepEqual(await dispatch(deps, { method: "sessions.list", params: { limit: 2 }, caller }), {
    ok: true,
    payload: { limit: 2 },
  });
  const refused = await dispatch(deps, { method: "sessions.list", params: { limit: "x" }, caller });
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.error.message : "", /^invalid sessions\.list params: /);
  assert.deepEqual(seen, [2], "the handler never saw the invalid params");
});

Deno.test("fields of the 2026.9.6 schemas the pinned package lacks are accepted and checked (models.list sessionKey)", async () => {
  const validators = new ProtocolValidators();
  const sent = { view: "configured", sessionKey: "agent:main:main", agentId: "main" };
  assert.deepEqual(await validators.check("validateModelsListParams", sent), { ok: true, value: sent });
  assert.equal(
    await validators.problem("validateModelsListParams", { sessionKey: "" }),
    "at /sessionKey: must not have fewer than 1 characters",
  );
  assert.match(await validators.problem("validateModelsListParams", { bogus: 1 }) ?? "", /unexpected property 'bogus'/);
  assert.equal(await validators.problem("validateChatHistoryParams", { sessionKey: "k", maxBytes: 262144 }), undefined);
  assert.match(
    await validators.problem("validateChatHistoryParams", { sessionKey: "k", maxBytes: 5 }) ?? "",
    /maxBytes/,
  );
});

Deno.test("prefetch() loads a precompiled check ahead and resolves; the check then answers as without it", async () => {
  const client = { id: "cli", version: "t", platform: "linux", mode: "cli" };
  const params = { minProtocol: 4, maxProtocol: 4, client, role: "operator", scopes: [] };
  const fetched = new ProtocolValidators();
  assert.equal(await fetched.prefetch("validateConnectParams"), undefined);
  // A validator with no precompiled check: nothing to load, nothing thrown.
  assert.equal(await fetched.prefetch("validateWorkerHeartbeatParams"), undefined);
  const plain = new ProtocolValidators();
  assert.deepEqual(
    await fetched.check("validateConnectParams", params),
    await plain.check("validateConnectParams", params),
  );
  const refused = { ...params, client: { ...client, id: "nobody" } };
  assert.equal(
    await fetched.problem("validateConnectParams", refused),
    await plain.problem("validateConnectParams", refused),
  );
  assert.ok(await fetched.problem("validateConnectParams", refused));
});
