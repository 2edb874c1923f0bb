// A Tool Search run sent from the reference's own Control UI (headless Chromium) against our gateway: the scripted
// model searches the catalog (`tool_search`), calls what it found through `tool_call` (memory_get), then answers.
// The chat shows what it shows against the reference (tests/fixtures/tool_search/reference_ui.json, recorded by
// tools/record_reference_tool_search_ui.ts): the run's "3 other operations" group, the search's and the call's rows,
// the nested memory_get card under the call, each row opened; the same on a fresh page; and `chat.history` keeps
// the nested call as the reference's `openclaw.nested-tool.v1` entry with the reference's `activity` items.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { openUiPage } from "../support/reference_ui_page.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import {
  SEARCH_UI_ANSWER,
  SEARCH_UI_MEMORY,
  SEARCH_UI_MODEL,
  SEARCH_UI_SESSION,
  searchUiConfig,
  searchUiSteps,
  type SearchUiView,
  searchUiView,
  sendFromUi,
} from "../support/tool_search_ui.ts";

const TOKEN = "reference-ui-tool-search-token-0123456789";

interface Recording {
  after: SearchUiView;
  reloaded: SearchUiView;
  history: Record<string, unknown>[];
  activity: { messageId: string; items: unknown[] }[];
  toolEvents: { stream: string; data: Record<string, unknown> }[];
}

const REF: Recording = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/tool_search/reference_ui.json", import.meta.url)),
);

/** Fields that differ run to run (ids, times, the run's scope): left out of every comparison. */
const VOLATILE = new Set([
  "id",
  "runId",
  "scopeId",
  "afterEntryId",
  "idempotencyKey",
  "timestamp",
  "startedAt",
  "endedAt",
  "__openclaw",
  "responseId",
]);

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => !VOLATILE.has(key)).map(([key, v]) => [key, stable(v)]),
  );
}

/** What the chat shows, without the whole thread's text (its time stamps and run recap are the page's own). */
function shown({ groups, rows, opened, answers, sent }: SearchUiView) {
  return { groups, rows, opened, answers, sent };
}

/** The nested call's events: the item and tool events of the call `tool_call` made. */
function nestedEvents(events: Recording["toolEvents"]) {
  return stable(events.filter((e) => String(e.data.toolCallId).startsWith("tool_search_code:")));
}

Deno.test("a Tool Search run in the reference Control UI shows against our gateway as against the reference", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  upstream.script(SEARCH_UI_MODEL, searchUiSteps());
  const server = await startReferenceUiServer();
  const port = freePort();
  const workspace = await Deno.makeTempDir({ prefix: "oc-tool-search-ui-ws-" });
  await Deno.writeTextFile(`${workspace}/MEMORY.md`, SEARCH_UI_MEMORY);
  const home = await tempHome(
    searchUiConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, workspace }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const client = await connectReference({ port, token: TOKEN });
  try {
    const ui = await sendFromUi(browser, { server, gatewayPort: port, token: TOKEN });
    const after = await searchUiView(ui.page);
    assert.deepEqual(shown(after), shown(REF.after), "once the run ended");
    const toolEvents = ui.log.events.flatMap((e) => {
      const p = e.payload as { stream?: string; data?: Record<string, unknown> };
      return e.event === "agent" && (p.stream === "item" || p.stream === "tool")
        ? [{ stream: p.stream, data: p.data! }]
        : [];
    });
    assert.deepEqual(nestedEvents(toolEvents), nestedEvents(REF.toolEvents), "the nested call's events");
    await ui.page.close();

    const fresh = await openUiPage(browser, { server, gatewayPort: port, token: TOKEN, route: "/chat/main" });
    await fresh.page.getByText(SEARCH_UI_ANSWER).first().waitFor({ timeout: 30_000 });
    await fresh.settled();
    assert.deepEqual(shown(await searchUiView(fresh.page)), shown(REF.reloaded), "on a fresh page");

    const history = await client.request<{ messages: Record<string, unknown>[]; activity?: Recording["activity"] }>(
      "chat.history",
      { sessionKey: SEARCH_UI_SESSION, limit: 200 },
    );
    assert.deepEqual(history.messages.map((m) => m.role), REF.history.map((m) => m.role));
    const nested = (messages: Record<string, unknown>[]) => stable(messages.find((m) => m.role === "custom"));
    assert.deepEqual(nested(history.messages), nested(REF.history), "the nested call's entry");
    const seqs = history.messages.map((m) => (m.__openclaw as { seq: number }).seq);
    assert.deepEqual(seqs, REF.history.map((m) => (m.__openclaw as { seq: number }).seq), "positions count the entry");
    const items = (activity: Recording["activity"] | undefined) => (activity ?? []).map((a) => a.items);
    assert.deepEqual(items(history.activity), items(REF.activity), "the history's activity items");
    const ids = new Set(history.messages.map((m) => (m.__openclaw as { id: string }).id));
    assert.ok(history.activity!.every((a) => ids.has(a.messageId)), "each activity names a message of the page");
  } finally {
    client.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
});
