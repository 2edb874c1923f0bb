// The Memory settings and memory import pages without a memory plugin or import providers, in the
// reference's shapes for that state.
import assert from "node:assert/strict";
import { memoryMethods } from "../../../src/rpc/methods/memory.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = memoryMethods({
  agent: (agentId) => agentId === undefined || agentId === "main" ? { id: "main", workspace: "/srv/ws" } : undefined,
});

Deno.test("doctor.memory.status: the memory plugin is unavailable", async () => {
  const expected = { agentId: "main", embedding: { ok: false, error: "memory plugin unavailable" } };
  assert.deepEqual(await payloadOf(table, "doctor.memory.status", { agentId: "main" }), expected);
  assert.deepEqual(await payloadOf(table, "doctor.memory.status", {}), expected);
  const unknown = await callMethod(table, "doctor.memory.status", { agentId: "ops" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "ops"');
  const typed = await callMethod(table, "doctor.memory.status", { agentId: 3 });
  assert.equal(!typed.ok && typed.error.message, "agentId must be a string");
});

Deno.test("migrations.memory.plan: the agent's workspace and no import providers", async () => {
  assert.deepEqual(await payloadOf(table, "migrations.memory.plan", { agentId: "main", overwrite: false }), {
    agentId: "main",
    workspace: "/srv/ws",
    providers: [],
  });
  const unknown = await callMethod(table, "migrations.memory.plan", { agentId: "ops" });
  assert.equal(!unknown.ok && unknown.error.message, "unknown agent id");
  const invalid = await callMethod(table, "migrations.memory.plan", { agentId: "../x" });
  assert.equal(!invalid.ok && invalid.error.message, "invalid agent id");
  const read = await callMethod(table, "migrations.memory.plan", { agentId: "main" }, ["operator.read"]);
  assert.equal(!read.ok && read.error.message, "missing scope: operator.admin");
});

Deno.test("memory.search: the reference's checks, defaults and answer", async () => {
  const asked: unknown[] = [];
  const searching = memoryMethods({
    agent: (agentId) => agentId === undefined || agentId === "main" ? { id: "main", workspace: "/srv/ws" } : undefined,
    search: (agentId, query, options) => {
      asked.push([agentId, query, options]);
      if (query === "boom") return Promise.reject(new Error("disk gone"));
      return Promise.resolve({ provider: "none", searchMode: "fts-only", results: [{ path: "MEMORY.md" }] });
    },
  });
  assert.deepEqual(await payloadOf(searching, "memory.search", { query: " cat " }), {
    agentId: "main",
    provider: "none",
    searchMode: "fts-only",
    results: [{ path: "MEMORY.md" }],
  });
  await payloadOf(searching, "memory.search", { query: "x", agentId: "MAIN", maxResults: 500, minScore: 0.5 });
  assert.deepEqual(asked, [["main", "cat", { maxResults: 20, minScore: undefined }], ["main", "x", {
    maxResults: 50,
    minScore: 0.5,
  }]]);
  const message = async (params: unknown) => {
    const answer = await callMethod(searching, "memory.search", params);
    return !answer.ok && answer.error.message;
  };
  assert.equal(await message({ query: "  " }), "query must be a non-empty string");
  assert.equal(
    await message({ query: "x", maxResults: "5" }),
    "maxResults and minScore must be finite numbers when provided",
  );
  assert.equal(await message({ query: "x", agentId: 7 }), "agentId must be a string");
  assert.equal(await message({ query: "x", agentId: "ops" }), "unknown agentId");
  assert.equal(await message({ query: "boom" }), "memory search failed: disk gone");
  const scoped = await callMethod(searching, "memory.search", { query: "x" }, ["operator.read"]);
  assert.equal(scoped.ok, true, "operator.read suffices");
});
