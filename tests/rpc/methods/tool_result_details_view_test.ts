import assert from "node:assert/strict";
import { toolResultDetailsView } from "../../../src/rpc/methods/tool_result_details_view.ts";

Deno.test("a write's or an edit's change and diff are shown; its patch and other tools' details are not", () => {
  const write = {
    changed: true,
    created: true,
    diff: "+1 42",
    patch: "--- num.txt\n+++ num.txt\n@@ -0,0 +1,1 @@\n+42\n",
    firstChangedLine: 1,
  };
  assert.deepEqual(toolResultDetailsView(write), { changed: true, created: true, diff: "+1 42" });
  assert.deepEqual(toolResultDetailsView({ changed: false }), { changed: false });
  assert.equal(toolResultDetailsView({ kind: "text", content: "one" }), undefined);
  assert.equal(toolResultDetailsView({ diff: "  " }), undefined);
  assert.equal(toolResultDetailsView(undefined), undefined);
});

Deno.test("a long diff is cut at the history's text limit, as the reference cuts history texts", () => {
  const shown = toolResultDetailsView({ changed: true, diff: "x".repeat(20) }, 8);
  assert.deepEqual(shown, { changed: true, diff: "xxxxxxxx\n...(truncated)..." });
});
