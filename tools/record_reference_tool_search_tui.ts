// Records what the reference OpenClaw 2026.9.6's `openclaw tui` (tmux) draws of the Tool Search run of
// tests/support/tool_search_ui.ts against the reference gateway: live, with each call's card (verbose on), and in a
// TUI opened afterwards from `chat.history`. Writes tests/fixtures/tool_search/reference_tui.json; `--target ours`
// prints what it draws against our gateway instead.
//
//   deno run -A tools/record_reference_tool_search_tui.ts [--target ref|ours] [--port 19642]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh) and tmux; it takes ~1 min.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { searchFromTui, searchTuiConfig } from "../tests/support/tool_search_tui.ts";
import { SEARCH_UI_MEMORY, SEARCH_UI_MODEL, searchUiSteps } from "../tests/support/tool_search_ui.ts";

const TOKEN = "record-tool-search-tui-token-0123456789";

/** The value after `name`, or `fallback`. */
function flag(name: string, fallback: string): string {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Deno.args[at + 1] ?? fallback : fallback;
}

async function main(): Promise<void> {
  const target = flag("--target", "ref");
  const port = Number(flag("--port", "19642"));
  const upstream = startFakeUpstream();
  upstream.script(SEARCH_UI_MODEL, searchUiSteps());
  const workspace = await Deno.makeTempDir({ prefix: "tsui-tui-ws-" });
  const dir = await Deno.makeTempDir({ prefix: "tsui-tui-" });
  await Deno.writeTextFile(`${workspace}/MEMORY.md`, SEARCH_UI_MEMORY);
  const config = searchTuiConfig({ port, token: TOKEN, upstreamUrl: upstream.url, workspace });
  const gateway = await startRecordedGateway(target, { root: "/tmp/record-tool-search-tui", port, config });
  try {
    const view = await searchFromTui({ dir, port, token: TOKEN });
    const recorded = "OpenClaw 2026.9.6 gateway with the fake model 'uisearcher' (tests/support/tool_search_ui.ts), " +
      "its `openclaw tui` in tmux, by tools/record_reference_tool_search_tui.ts";
    const text = JSON.stringify({ recorded, ...view }, null, 2) + "\n";
    if (target !== "ref") return void Deno.stdout.writeSync(new TextEncoder().encode(text));
    const out = new URL("../tests/fixtures/tool_search/reference_tui.json", import.meta.url);
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    await gateway.stop();
    await upstream.stop();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
