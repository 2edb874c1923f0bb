// The scripted model of a run whose direct tool calls carry arguments off their schemas, shared by
// tools/record_reference_tool_validation.ts and tests/integration/tool_validation_test.ts: missing and mistyped
// arguments, values the reference's validator coerces (numbers and JSON written as strings, nulls), and what the
// model got back from each.
import type { ScriptedCall } from "./fake_upstream.ts";
import type { CallScript } from "./tool_search_script.ts";

/** The scripted model's id. */
export const VALIDATION_MODEL = "validator";

/** Each call of the script, one per model step, in order (ids `v_<n>`). */
export const VALIDATION_CALLS: ScriptedCall[] = [
  { name: "read", args: {} },
  { name: "read", args: { path: "notes.txt", limit: "2" } },
  { name: "read", args: { path: "notes.txt", offset: "abc" } },
  { name: "read", args: { path: "notes.txt", limit: 2.5 } },
  { name: "read", args: { path: "notes.txt", limit: null } },
  { name: "read", args: { path: 7 } },
  { name: "write", args: { path: "new.txt" } },
  { name: "write", args: { path: "num.txt", content: 42 } },
  { name: "edit", args: { path: "notes.txt", edits: '[{"oldText":"one","newText":"uno"}]' } },
  { name: "edit", args: { path: "notes.txt", edits: [{ oldText: 5 }] } },
  { name: "exec", args: { command: ["echo", "hi"] } },
  { name: "tool_search", args: { query: 5 } },
  { name: "tool_describe", args: { id: true } },
].map((call, i) => ({ ...call, id: `v_${i + 1}` }));

/** The script as the recorder runs it. */
export const VALIDATION_SCRIPT: CallScript = {
  model: VALIDATION_MODEL,
  calls: VALIDATION_CALLS,
  answer: "Done validating.",
};
