import assert from "node:assert/strict";
import { compareOutcome, keyPaths, outcomeOf } from "../support/reference_cli.ts";

Deno.test("keyPaths() collapses array indices, unions element keys and reads record-id keys as <id>", () => {
  assert.deepEqual(
    keyPaths({
      a: { b: 1 },
      list: [{ x: 1 }, { y: [{ z: null }] }],
      byId: { "3ab7c32e-8683-40d9-b257-66d8cdd2fef1": { label: "job" } },
    }),
    ["a", "a.b", "byId", "byId.<id>", "byId.<id>.label", "list", "list[].x", "list[].y", "list[].y[].z"],
  );
  assert.deepEqual(keyPaths([{ id: 1 }]), ["[].id"]);
  assert.deepEqual(keyPaths(null), []);
});

Deno.test("outcomeOf() reads one JSON document, JSON lines, or no JSON", () => {
  assert.deepEqual(outcomeOf(0, '{"ok":true}\n'), { code: 0, shape: "object", paths: ["ok"] });
  assert.deepEqual(outcomeOf(0, "null"), { code: 0, shape: "null", paths: [] });
  assert.deepEqual(outcomeOf(0, '{"type":"meta"}\n{"type":"log","level":"info"}\n'), {
    code: 0,
    shape: "lines",
    paths: ["[].level", "[].type"],
  });
  assert.deepEqual(outcomeOf(1, "Error: unknown method\n"), { code: 1, shape: "none", paths: [] });
});

Deno.test("compareOutcome(): same needs every reference path (less omits); extra paths of ours do not count", () => {
  const reference = { code: 0, shape: "object" as const, paths: ["a", "a.b", "pools.x", "server.buildId"] };
  const ours = { code: 0, shape: "object" as const, paths: ["a", "a.b", "mine"] };
  assert.deepEqual(compareOutcome(ours, reference), { level: "exit", missing: ["pools.x", "server.buildId"] });
  assert.deepEqual(compareOutcome(ours, reference, ["pools.", /server\.buildId$/]), { level: "same", missing: [] });
  assert.equal(compareOutcome({ ...ours, code: 1 }, reference).level, "differs");
  assert.equal(compareOutcome({ ...ours, shape: "null" }, reference, ["pools.", /buildId/]).level, "exit");
});
