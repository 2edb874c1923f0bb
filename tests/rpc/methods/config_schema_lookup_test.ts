// `config.schema.lookup` over a small schema (the walk and the reference's stripping) and over this
// gateway's own config schema (what the Settings pages read); results checked with the reference's
// own result validator.
import assert from "node:assert/strict";
import { validateConfigSchemaLookupResult } from "@openclaw/gateway-protocol";
import { configSchemaLookupMethods, lookupConfigSchema } from "../../../src/rpc/methods/config_schema_lookup.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const SCHEMA = {
  type: "object",
  properties: {
    gateway: {
      type: "object",
      description: "The listener.",
      properties: { port: { type: "integer", minimum: 1 }, auth: { type: "object", properties: { token: {} } } },
      required: ["port"],
      additionalProperties: false,
    },
    bindings: { type: "array", items: { type: "object", properties: { agentId: { type: "string" } } } },
    channels: { type: "object", additionalProperties: { anyOf: [{ type: "object", properties: { x: {} } }] } },
  },
};

Deno.test("lookupConfigSchema: a node without its subtree, its children, their reload kinds", () => {
  assert.deepEqual(lookupConfigSchema(SCHEMA, "gateway"), {
    path: "gateway",
    schema: { type: "object", description: "The listener.", additionalProperties: false },
    reloadKind: "restart",
    children: [
      { key: "port", path: "gateway.port", type: "integer", required: true, hasChildren: false, reloadKind: "restart" },
      { key: "auth", path: "gateway.auth", type: "object", required: false, hasChildren: true, reloadKind: "restart" },
    ],
  });
  assert.equal(lookupConfigSchema(SCHEMA, "gateway.auth.token")?.reloadKind, "hot");
  assert.deepEqual(lookupConfigSchema(SCHEMA, "bindings[0]")?.children.map((c) => c.path), ["bindings.0.agentId"]);
  assert.deepEqual(lookupConfigSchema(SCHEMA, "bindings")?.children.map((c) => c.key), ["*"]);
  assert.deepEqual(lookupConfigSchema(SCHEMA, "channels.telegram.x")?.path, "channels.telegram.x");
  assert.deepEqual([lookupConfigSchema(SCHEMA, ".")?.path, lookupConfigSchema(SCHEMA, ".")?.reloadKind], [
    ".",
    "restart",
  ]);
  assert.equal(lookupConfigSchema(SCHEMA, "gateway.nope"), undefined);
  assert.equal(lookupConfigSchema(SCHEMA, "gateway.__proto__"), undefined);
  assert.equal(lookupConfigSchema(SCHEMA, ""), undefined);
});

Deno.test("config.schema.lookup: this gateway's config schema, valid by the reference's result schema", async () => {
  const table = configSchemaLookupMethods();
  const agents = await payloadOf(table, "config.schema.lookup", { path: "agents.defaults" }) as {
    children: { key: string }[];
  };
  assert.ok(validateConfigSchemaLookupResult(agents));
  assert.ok(agents.children.some((child) => child.key === "memorySearch"), "agents.defaults.memorySearch is a child");
  const root = await payloadOf(table, "config.schema.lookup", { path: "." }) as { children: { key: string }[] };
  assert.ok(validateConfigSchemaLookupResult(root));
  assert.ok(root.children.some((child) => child.key === "gateway"));
  const missing = await callMethod(table, "config.schema.lookup", { path: "gateway.nope" });
  assert.deepEqual(!missing.ok && [missing.error.code, missing.error.message], [
    "INVALID_REQUEST",
    "config schema path not found",
  ]);
});
