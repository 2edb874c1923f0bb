// Direct tool calls off their schemas on our gateway against the reference's recording of the same script
// (tests/fixtures/tool_validation/ref.json, by tools/record_reference_tool_validation.ts): each call is checked against
// the tool's schema before it runs, coercible values run coerced, and the rest are refused in the reference's words,
// shown to clients as blocked; the history shows a write's and an edit's change and diff. The reference's catalog
// holds tools this gateway lacks, so the two searches' hits and suggestions are compared on what both have.
import assert from "node:assert/strict";
import { recordToolSearch, type ToolSearchRecording } from "../support/tool_search_script.ts";
import { VALIDATION_CALLS, VALIDATION_SCRIPT } from "../support/tool_validation_script.ts";

const REF: ToolSearchRecording = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/tool_validation/ref.json", import.meta.url)),
);

Deno.test("tool calls are checked against their schemas as the reference's gateway checks them", async () => {
  const ours = await recordToolSearch("ours", VALIDATION_SCRIPT);
  assert.equal(ours.final?.state, "final");
  assert.deepEqual(ours.calls.map((c) => c.call), VALIDATION_CALLS.map((c) => c.id));
  for (const [i, mine] of ours.calls.entries()) {
    const theirs = REF.calls[i]!;
    if (mine.call === "v_12" || mine.call === "v_13") continue;
    assert.deepEqual(mine, theirs, mine.call);
  }
  // A number for a string query is searched as text: a list, not a refusal.
  const search = ours.calls.find((c) => c.call === "v_12")!;
  assert.ok(Array.isArray(JSON.parse(search.modelSaw!)), search.modelSaw ?? "no answer");
  assert.deepEqual(search.items.map((item) => item.status), ["running", "completed"]);
  // `true` for a string id is looked up as "true": the reference's unknown-id sentence, whatever it suggests.
  const describe = (r: ToolSearchRecording) => JSON.parse(r.calls.find((c) => c.call === "v_13")!.modelSaw!).error;
  const unsuggested = (text: string) => text.replace(/ Did you mean: [^?]+\?/, "");
  assert.equal(unsuggested(describe(ours)), unsuggested(describe(REF)));
});
