// Records what the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) does with Tool Search on, as by default:
// the fake model "searcher" searches, describes and calls through tool_search/tool_describe/tool_call
// (tests/support/tool_search_script.ts). For each call: what the model got back, the item and tool events clients
// saw, the stored transcript entry; and the tools the model's first request carried. Writes
// tests/fixtures/tool_search/<target>.json (tests/integration/tool_search_test.ts holds ours to ref.json).
//
//   deno run -A tools/record_reference_tool_search.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~30 s.
import { recordToolSearch, SEARCH_MODEL } from "../tests/support/tool_search_script.ts";

const target = Deno.args[0] ?? "ref";
const recording = await recordToolSearch(target);
const facts = {
  recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with the fake model ` +
    `'${SEARCH_MODEL}' (tests/support/tool_search_script.ts), through @openclaw/gateway-client (cli, caps ` +
    "tool-events), by tools/record_reference_tool_search.ts; the workspace path is replaced by $WORKSPACE",
  ...recording,
};
const out = new URL(`../tests/fixtures/tool_search/${target}.json`, import.meta.url);
await Deno.mkdir(new URL(".", out), { recursive: true });
await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
