// Our gateway against the reference's recording of the tools its model request carries in each config of
// tests/support/tool_set_cases.ts (tests/fixtures/tool_set/ref.json, tools/record_reference_tool_set.ts).
// With Tool Search on (the default), both offer the core coding tools and the tool_search/tool_describe/tool_call
// controls, the rest reachable through them; with `tools.toolSearch: false` (the search-off-* configs) every tool
// directly. Each config is held to the reference's recording of it, less the tools this gateway does not have: the
// same tools in the same order, with the reference's descriptions and schemas where ours are not documented as
// different, and `tools.effective`/`tools.catalog` listing them as the reference's do.
import assert from "node:assert/strict";
import { type ListedGroup, recordToolSet, TOOL_SET_CASES, type ToolSetRecording } from "../support/tool_set_cases.ts";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/tool_set/ref.json", import.meta.url)),
) as { cases: ToolSetRecording[] };

/** The tools this gateway has (the reference has some 40 more: docs/compatibility.md). */
const OURS = new Set([
  "agents_list",
  "apply_patch",
  "automations",
  "edit",
  "exec",
  "ls",
  "memory_get",
  "memory_search",
  "message",
  "process",
  "read",
  "sessions_history",
  "sessions_list",
  "sessions_send",
  "tool_call",
  "tool_describe",
  "tool_search",
  "web_fetch",
  "write",
]);

/** Tools whose description and parameter schema are the reference's, word for word. */
const SAME_TEXT = [
  "apply_patch",
  "edit",
  "exec",
  "ls",
  "memory_get",
  "memory_search",
  "process",
  "read",
  "tool_call",
  "tool_describe",
  "tool_search",
  "web_fetch",
  "write",
];

/**
 * Tools whose description is the reference's (their schemas differ as documented) where no channel is configured:
 * with Telegram the reference's `message` also offers Telegram's own actions (edit, react, poll...), ours only send.
 */
const SAME_DESCRIPTION_WITHOUT_CHANNEL = ["message"];

function refCase(name: string): ToolSetRecording {
  const found = recorded.cases.find((c) => c.case === name);
  assert.ok(found, `the reference recording has case ${name}`);
  return found;
}

/** The reference's recording of the same config with Tool Search off, where one was made. */
function twin(name: string): ToolSetRecording | undefined {
  if (name.startsWith("search-off")) return refCase(name);
  return recorded.cases.find((c) => c.case === (name === "default" ? "search-off" : `search-off-${name}`));
}

/** The reference's tools for a config, as this gateway should offer them: the recorded list, less what it lacks. */
function expectedNames(name: string): string[] {
  return refCase(name).names.filter((n) => OURS.has(n));
}

/** The reference's tool `tool` in config `name`: offered directly, else in its Tool-Search-off twin, else by default. */
function refTool(name: string, tool: string): { description: string; parameters: unknown } {
  const found = [refCase(name), twin(name), refCase("search-off")].map((c) => c?.tools.find((t) => t.name === tool))
    .find((t) => t !== undefined);
  assert.ok(found, `the reference offered ${tool}`);
  return found;
}

/**
 * Each listed tool as `[group, id, fields...]`, sorted by id. Documented differences left out: `agents_list`'s
 * summary (the reference's names subagent spawn targets) and `sessions_list`'s label (the reference's
 * `Sessions (sessions_list)` tells it apart from its `sessions` tool, which this gateway does not have).
 */
function listed(groups: ListedGroup[]): [string, string, unknown][] {
  return groups.flatMap((g) =>
    g.tools.map((t): [string, string, unknown] => {
      const { id, label, description, ...rest } = t;
      const fields = {
        ...rest,
        ...(id === "sessions_list" ? {} : { label }),
        ...(id === "agents_list" ? {} : { description }),
      };
      return [String(g.id), String(id), fields];
    })
  ).sort((a, b) => a[1].localeCompare(b[1]));
}

for (const testCase of TOOL_SET_CASES) {
  Deno.test(`tool set: config ${testCase.name} offers the reference's tools, in its order and words`, async () => {
    const ours = await recordToolSet("ours", "", testCase);
    assert.deepEqual(ours.names, expectedNames(testCase.name));
    for (const tool of ours.tools) {
      const theirs = refTool(testCase.name, tool.name);
      // exec's and process's descriptions name `automations` only where the reference's did.
      const sameDescription = testCase.via !== "telegram" && SAME_DESCRIPTION_WITHOUT_CHANNEL.includes(tool.name);
      // Without `process` the reference's exec runs to completion, described and shaped so: not done here.
      const sameText = SAME_TEXT.includes(tool.name) && (tool.name !== "exec" || ours.names.includes("process"));
      if (sameText || sameDescription) {
        assert.equal(tool.description, theirs.description, `${tool.name}'s description`);
      }
      if (sameText) assert.deepEqual(tool.parameters, theirs.parameters, `${tool.name}'s schema`);
    }
    // tools.effective and tools.catalog show each of our tools as the reference's do, in the same group.
    const ref = refCase(testCase.name);
    assert.equal(ours.effective.profile, ref.effective.profile);
    assert.deepEqual(listed(ours.effective.groups), listed(ref.effective.groups).filter(([, id]) => OURS.has(id)));
    assert.deepEqual(listed(ours.catalog.groups), listed(ref.catalog.groups).filter(([, id]) => OURS.has(id)));
  });
}
