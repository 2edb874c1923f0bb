// Records which tools the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) offers the model, in each config of
// tests/support/tool_set_cases.ts: the `tools` array of the first model request of a run (names in order, each
// tool's description and parameter schema), and `tools.effective` / `tools.catalog` for the same agent. Writes
// tests/fixtures/tool_set/<target>.json.
//
//   deno run -A tools/record_reference_tool_set.ts [ref|ours] [case...]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); each case starts a gateway (~30 s).
import { recordToolSet, TOOL_SET_CASES, type ToolSetRecording } from "../tests/support/tool_set_cases.ts";

const target = Deno.args[0] ?? "ref";
const only = Deno.args.slice(1);

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const out = new URL(`../tests/fixtures/tool_set/${target}.json`, import.meta.url);
const previous = await Deno.readTextFile(out).then((text) => JSON.parse(text).cases as ToolSetRecording[]).catch(
  () => [],
);
const cases: ToolSetRecording[] = [];
const why =
  'The reference\'s Tool Search is on by default (tools.toolSearch unset = {enabled: true, mode: "tools"}): ' +
  "its request carries the core coding tools (read, write, edit, ls, apply_patch, exec, process), its direct-only " +
  "tools (openclaw for an owner, sessions_yield) and tool_search/tool_describe/tool_call, and defers every other " +
  "allowed tool into the catalog those controls search and call; the search-off-* cases (tools.toolSearch: false) " +
  "offer every allowed tool directly. A non-owner sender (telegram-dm) is not offered the owner-only tools " +
  "(automations, gateway, openclaw, ...), and exec/process mention automations only when it is offered. Tools are " +
  "sent sorted by name. See docs/compatibility.md (the tool loop).";
await Deno.mkdir(new URL(".", out), { recursive: true });
/** Writes what is recorded so far: a loaded machine can fail a later case, and the earlier ones stay. */
async function write(): Promise<void> {
  const facts = {
    recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with the fake model fake/m1, ` +
      "one run per config of tests/support/tool_set_cases.ts (chat.send, or a Telegram DM through the fake Bot API), " +
      "by tools/record_reference_tool_set.ts",
    why,
    cases,
  };
  await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
}
for (const testCase of TOOL_SET_CASES) {
  const kept = previous.find((c) => c.case === testCase.name);
  if (kept && (only.length === 0 ? false : !only.includes(testCase.name))) {
    cases.push(kept);
    continue;
  }
  // The reference's start can fail on a loaded machine (its state lease or migrations time out): try again.
  for (let attempt = 1;; attempt++) {
    try {
      const recording = await recordToolSet(target, "/tmp/toolset/refgw", testCase);
      say(`${testCase.name}: ${recording.names.join(", ")}`);
      cases.push(recording);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      say(`${testCase.name}: attempt ${attempt} failed (${String(error).slice(0, 200)}); again`);
    }
  }
  await write();
}
await write();
say(`wrote ${out.pathname}`);
