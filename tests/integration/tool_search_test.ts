// Tool Search on our gateway against the reference's recording of the same script
// (tests/fixtures/tool_search/ref.json, by tools/record_reference_tool_search.ts): the tools offered, the controls'
// answers and errors word for word where both catalogs agree, the first hit of each search, and what clients see of
// every call. The reference's catalog holds some 40 tools this gateway lacks, and its core tools carry output schemas
// (`output` hints) ours do not: results are compared on the tools both have (docs/compatibility.md, Tool Search).
import assert from "node:assert/strict";
import { recordToolSearch, SEARCH_CALLS, type ToolSearchRecording } from "../support/tool_search_script.ts";

const REF: ToolSearchRecording = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/tool_search/ref.json", import.meta.url)),
);

/** The reference's direct-only tools this gateway does not have. */
const ABSENT_DIRECT = new Set(["openclaw", "sessions_yield"]);

/** A call's answer to the model, parsed where it is JSON. */
function answer(recording: ToolSearchRecording, call: string): unknown {
  const text = recording.calls.find((c) => c.call === call)?.modelSaw ?? "";
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A search result's candidates, per group, without the `output` hints only the reference's tools carry. */
function candidates(value: unknown): Record<string, unknown>[][] {
  const strip = (list: Record<string, unknown>[]) => list.map(({ output: _output, ...rest }) => rest);
  if (Array.isArray(value)) return [strip(value)];
  const groups = (value as { results?: { candidates: Record<string, unknown>[] }[] }).results ?? [];
  return groups.map((g) => strip(g.candidates));
}

Deno.test("Tool Search answers as the reference's gateway does", async () => {
  const ours = await recordToolSearch("ours");
  assert.equal(ours.final?.state, "final");
  assert.deepEqual(ours.offered, REF.offered.filter((name) => !ABSENT_DIRECT.has(name)));
  assert.deepEqual(ours.calls.map((c) => c.call), SEARCH_CALLS.map((c) => c.id));

  // Word for word: an empty request, a limit off the schema, a search matching nothing, a describe without an id,
  // bad input to a call, an unknown id, a direct call of a deferred tool.
  for (const call of ["s_5", "s_6", "s_8", "s_12", "s_16", "s_17", "s_19"]) {
    assert.deepEqual(answer(ours, call), answer(REF, call), call);
  }

  // The first hit of each search (and each batch group) is the reference's, entry for entry.
  for (const call of ["s_1", "s_2", "s_3", "s_4"]) {
    const mine = candidates(answer(ours, call));
    const theirs = candidates(answer(REF, call));
    assert.equal(mine.length, theirs.length, call);
    const firsts = (groups: Record<string, unknown>[][]) => groups.map((g) => g[0]?.name);
    // The reference's first hit for "list sessions" is agents_list, whose description is shorter than ours.
    if (call === "s_3") assert.deepEqual(firsts(mine).slice(1), firsts(theirs).slice(1), call);
    else assert.deepEqual(mine.map((g) => g[0]), theirs.map((g) => g[0]), call);
  }

  // Describe: the reference's entry and schema (as JSON values; the output schema is the reference's alone).
  const { output: _o, outputSchema: _s, ...described } = answer(REF, "s_9") as Record<string, unknown>;
  assert.deepEqual(answer(ours, "s_9"), described);

  // Unknown ids: the same sentence, and the same nearest suggestion.
  for (const call of ["s_10", "s_11", "s_18"]) {
    const mine = (answer(ours, call) as { error: string }).error;
    const theirs = (answer(REF, call) as { error: string }).error;
    const nearest = (text: string) => text.match(/Did you mean: ([^,?]+)/)?.[1];
    assert.equal(mine.replace(/ Did you mean: [^?]+\?/, ""), theirs.replace(/ Did you mean: [^?]+\?/, ""), call);
    if (call !== "s_18") assert.equal(nearest(mine), nearest(theirs), call);
  }

  // Calls through tool_call: the same target header, and the read's page as the reference gives it.
  for (const call of ["s_13", "s_14", "s_15"]) {
    assert.deepEqual((answer(ours, call) as { tool: unknown }).tool, (answer(REF, call) as { tool: unknown }).tool);
  }
  const page = (r: ToolSearchRecording) => (answer(r, "s_14") as { result: { content: unknown } }).result.content;
  assert.deepEqual(page(ours), page(REF));

  // What clients see of each call: titles, details, statuses and errors.
  for (const [i, mine] of ours.calls.entries()) {
    const theirs = REF.calls[i]!;
    const shown = (items: Record<string, unknown>[]) => items.map(({ error: _e, ...rest }) => rest);
    assert.deepEqual(shown(mine.items), shown(theirs.items), mine.call);
  }
});
