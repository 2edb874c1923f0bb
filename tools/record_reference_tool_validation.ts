// Records what the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) answers to direct tool calls whose arguments
// are off their schemas (tests/support/tool_validation_script.ts): what the model got back, the item and tool
// events clients saw, the stored transcript entry. Writes tests/fixtures/tool_validation/<target>.json
// (tests/integration/tool_validation_test.ts holds ours to ref.json).
//
//   deno run -A tools/record_reference_tool_validation.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~30 s.
import { recordToolSearch } from "../tests/support/tool_search_script.ts";
import { VALIDATION_MODEL, VALIDATION_SCRIPT } from "../tests/support/tool_validation_script.ts";

const target = Deno.args[0] ?? "ref";
const recording = await recordToolSearch(target, VALIDATION_SCRIPT);
const facts = {
  recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with the fake model ` +
    `'${VALIDATION_MODEL}' (tests/support/tool_validation_script.ts), through @openclaw/gateway-client (cli, caps ` +
    "tool-events), by tools/record_reference_tool_validation.ts; the workspace path is replaced by $WORKSPACE",
  ...recording,
};
const out = new URL(`../tests/fixtures/tool_validation/${target}.json`, import.meta.url);
await Deno.mkdir(new URL(".", out), { recursive: true });
await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
