import assert from "node:assert/strict";
import { shardEntries, unitTestFiles } from "../../tools/unit_tier.ts";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

Deno.test("the unit tier is every *_test.ts outside tests/integration/, and nothing else", async () => {
  const files = await unitTestFiles(REPO_ROOT);
  assert.ok(files.includes("tests/http/health_test.ts"));
  assert.ok(files.includes("tests/tools/unit_tier_test.ts"), "this very file");
  assert.ok(files.includes("tests/channels/irc/protocol_test.ts"), "nested folders too");
  assert.deepEqual(files.filter((f) => f.startsWith("tests/integration/")), []);
  assert.deepEqual(files.filter((f) => !f.endsWith("_test.ts")), [], "no support modules or benchmarks");
  assert.deepEqual(files, [...files].sort());
});

Deno.test("shardEntries imports each file exactly once, round robin, by absolute file URL", () => {
  const files = ["tests/a_test.ts", "tests/b_test.ts", "tests/c_test.ts", "tests/d e_test.ts", "tests/f_test.ts"];
  const entries = shardEntries("/repo", files, 2);
  assert.equal(entries.length, 2);
  const imports = entries.map((text) => [...text.matchAll(/^import "(.+)";$/gm)].map((m) => m[1]));
  assert.deepEqual(imports, [
    ["file:///repo/tests/a_test.ts", "file:///repo/tests/c_test.ts", "file:///repo/tests/f_test.ts"],
    ["file:///repo/tests/b_test.ts", "file:///repo/tests/d%20e_test.ts"],
  ]);
  assert.equal(shardEntries("/repo", files.slice(0, 1), 4).length, 1, "no empty shards");
});
