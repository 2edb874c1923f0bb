// Records what the reference OpenClaw 2026.9.6's own Control UI (headless Chromium) shows of a Tool Search run sent
// from its chat against the reference gateway: the scripted model (tests/support/tool_search_ui.ts) calls
// `tool_search`, then `tool_call` on the tool it found, then answers. Kept: each tool row's text, closed and opened,
// once the run ends and on a fresh page after it, and the session's `chat.history` messages as the UI loads them.
// Writes tests/fixtures/tool_search/reference_ui.json; `--target ours` records our gateway to /tmp instead.
//
//   deno run -A tools/record_reference_tool_search_ui.ts [--target ref|ours] [--port 19631]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~1 min.
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { withRecordedSession } from "../tests/support/recorded_session.ts";
import { openUiPage } from "../tests/support/reference_ui_page.ts";
import { startReferenceUiServer } from "../tests/support/reference_ui_server.ts";
import {
  SEARCH_UI_ANSWER,
  SEARCH_UI_MEMORY,
  SEARCH_UI_MODEL,
  SEARCH_UI_SESSION,
  searchUiConfig,
  searchUiSteps,
  searchUiView,
  sendFromUi,
} from "../tests/support/tool_search_ui.ts";

const TOKEN = "record-tool-search-ui-token-0123456789";

/** The value after `flag`, or `fallback`. */
function flag(name: string, fallback: string): string {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Deno.args[at + 1] ?? fallback : fallback;
}

async function main(): Promise<void> {
  const target = flag("--target", "ref");
  const port = Number(flag("--port", "19631"));
  const root = "/tmp/record-tool-search-ui";
  const upstream = startFakeUpstream();
  upstream.script(SEARCH_UI_MODEL, searchUiSteps());
  const server = await startReferenceUiServer();
  const workspace = await Deno.makeTempDir({ prefix: "tsui-ws-" });
  await Deno.writeTextFile(`${workspace}/MEMORY.md`, SEARCH_UI_MEMORY);
  const config = searchUiConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, workspace });
  const { browser, stop } = await launchBrowser();
  try {
    const recording = await withRecordedSession(target, { root, port, config, token: TOKEN }, async (session) => {
      const ui = await sendFromUi(browser, { server, gatewayPort: port, token: TOKEN });
      const page = ui.page;
      // The run's tool events, as the page got them (the nested call's among them).
      const events = ui.log.events.flatMap((e) => {
        const p = e.payload as { stream?: string; data?: Record<string, unknown> };
        return e.event === "agent" && (p.stream === "item" || p.stream === "tool")
          ? [{ stream: p.stream, data: p.data }]
          : [];
      });
      const { html: afterHtml, ...after } = await searchUiView(page);
      await page.screenshot({ path: `/tmp/record-tool-search-ui-${target}-after.png`, fullPage: true });
      await page.close();
      const fresh = await openUiPage(browser, { server, gatewayPort: port, token: TOKEN, route: "/chat/main" });
      await fresh.page.getByText(SEARCH_UI_ANSWER).first().waitFor({ timeout: 30_000 });
      await fresh.settled();
      const { html: reloadHtml, ...reloaded } = await searchUiView(fresh.page);
      await fresh.page.screenshot({ path: `/tmp/record-tool-search-ui-${target}-reloaded.png`, fullPage: true });
      const history = await session.request<{ messages: unknown[]; activity?: unknown[] }>("chat.history", {
        sessionKey: SEARCH_UI_SESSION,
        limit: 200,
      });
      await Deno.writeTextFile(
        `/tmp/record-tool-search-ui-${target}.html`,
        `${afterHtml}\n<!-- reloaded -->\n${reloadHtml}`,
      );
      return { after, reloaded, history: history.messages, activity: history.activity, toolEvents: events };
    });
    const text = JSON.stringify(recording, null, 2).replaceAll(workspace, "$WORKSPACE");
    const recorded = "OpenClaw 2026.9.6 gateway with the fake model 'uisearcher' (tests/support/tool_search_ui.ts), " +
      "its Control UI in headless Chromium, by tools/record_reference_tool_search_ui.ts";
    const out = target === "ref"
      ? new URL("../tests/fixtures/tool_search/reference_ui.json", import.meta.url).pathname
      : `/tmp/record-tool-search-ui-${target}.json`;
    await Deno.writeTextFile(out, JSON.stringify({ recorded, ...JSON.parse(text) }, null, 2) + "\n");
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out}\n`));
  } finally {
    await stop();
    await server.stop();
    await upstream.stop();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
