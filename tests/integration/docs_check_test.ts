import assert from "node:assert/strict";
import { runDocsCheck } from "../../tools/docs_check.ts";

Deno.test("every runnable snippet in the docs runs against a real gateway", async () => {
  const { ran, failures } = await runDocsCheck();
  assert.ok(ran >= 2, `expected runnable snippets, found ${ran}`);
  assert.deepEqual(failures, []);
});
