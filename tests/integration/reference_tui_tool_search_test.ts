// The Tool Search run of tests/support/tool_search_ui.ts sent from the reference's `openclaw tui` (tmux) against our
// gateway: live, the search's card, the `tool_call` card and the nested memory_get card under it; in a TUI opened
// afterwards, the cards drawn from `chat.history` (its `activity`); both as against the reference
// (tests/fixtures/tool_search/reference_tui.json, tools/record_reference_tool_search_tui.ts).
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { searchFromTui, searchTuiConfig, type TuiSearchView } from "../support/tool_search_tui.ts";
import { SEARCH_UI_MEMORY, SEARCH_UI_MODEL, searchUiSteps } from "../support/tool_search_ui.ts";

const TOKEN = "reference-tui-tool-search-token-0123456789";

const REF: TuiSearchView = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/tool_search/reference_tui.json", import.meta.url)),
);

Deno.test("a Tool Search run in the reference TUI draws against our gateway as against the reference", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  upstream.script(SEARCH_UI_MODEL, searchUiSteps());
  const port = freePort();
  const workspace = await Deno.makeTempDir({ prefix: "oc-tool-search-tui-ws-" });
  const dir = await Deno.makeTempDir({ prefix: "oc-tool-search-tui-" });
  await Deno.writeTextFile(`${workspace}/MEMORY.md`, SEARCH_UI_MEMORY);
  const home = await tempHome(searchTuiConfig({ port, token: TOKEN, upstreamUrl: upstream.url, workspace }));
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const view = await searchFromTui({ dir, port, token: TOKEN });
    assert.deepEqual(view.live, REF.live, "live");
    assert.deepEqual(view.later, REF.later, "drawn from chat.history");
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
