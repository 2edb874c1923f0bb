// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the test)
// against our gateway: a session idle past `session.reset.idleMinutes` (its last interaction stored ten
// minutes back before start) is opened from its link and shows its old turn; the next message sent from
// the composer starts the new session first, and the chat shows the reference's "Session reset" divider
// ("The earlier conversation was cleared.") ahead of the new turn, live and after a reload, with the new
// session's id in the page's history; after the reload the old turn is still shown above the divider, as
// the reference's one transcript shows it (our reset starts a new window; its history reaches back).
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { launchBrowser } from "../support/browser.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { openUiPage } from "../support/reference_ui_page.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db_path.ts";

const TOKEN = "reference-ui-session-reset-token-01234567";
const KEY = "agent:main:stale";
const DIVIDER = "The earlier conversation was cleared.";

/** What the same steps showed against the reference gateway (tools/record_reference_ui_surfaces.ts). */
const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/reference_ui_surfaces/ref.json", import.meta.url)),
) as { reset: { historyKinds: string[]; pageTextAfterReload: string[] } };

/** Stores one exchange on `KEY` whose start and last interaction lie `idleForMs` back; returns its session id. */
async function seedStale(stateDir: string, idleForMs: number): Promise<string> {
  const store = new SessionStore(stateDir);
  const at = Date.now();
  const { row } = await store.openTurn(KEY, "main", {
    user: { role: "user", content: [{ type: "text", text: "remember the old days" }], timestamp: at, runId: "seed" },
    interaction: true,
  });
  await store.close();
  const past = at - idleForMs;
  const db = new DatabaseSync(agentDbPath(stateDir, "main"));
  try {
    db.prepare(
      "UPDATE session_nodes SET entry_json = json_set(entry_json, '$.lastInteractionAt', ?, '$.sessionStartedAt', ?, " +
        "'$.updatedAt', ?), last_interaction_at = ?, updated_at = ? WHERE session_key = ?",
    ).run(past, past, past, past, past, KEY);
  } finally {
    db.close();
  }
  return row.sessionId;
}

Deno.test("the reference Control UI shows the session an idle reset started, with the reference's reset divider", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin });
  const home = await tempHome({ ...config, session: { reset: { mode: "idle", idleMinutes: 1 } } });
  const staleId = await seedStale(home.stateDir, 10 * 60_000);
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const opened = await openUiPage(browser, { server, gatewayPort: port, token: TOKEN, route: "/chat/main/stale" });
    const composer = opened.page.getByRole("textbox", { name: "Chat composer" });
    await composer.waitFor({ timeout: 30_000 });
    await opened.page.getByText("remember the old days").first().waitFor({ timeout: 30_000 });
    await opened.settled();
    assert.equal(await opened.page.getByText(DIVIDER).count(), 0, "no reset before the next turn");
    await composer.fill("hello after a long break");
    await composer.press("Enter");
    await opened.page.getByText(DIVIDER).waitFor({ timeout: 30_000 });
    await opened.page.getByText(FAKE_ANSWER).last().waitFor({ timeout: 30_000 });
    await opened.settled();
    await opened.page.close();

    // Opened afresh, the chat is the new session: the old turn, the divider, then the new turn.
    const again = await openUiPage(browser, { server, gatewayPort: port, token: TOKEN, route: "/chat/main/stale" });
    await again.page.getByText(DIVIDER).waitFor({ timeout: 30_000 });
    await again.page.getByText("hello after a long break").first().waitFor({ timeout: 30_000 });
    await again.settled();
    // The page reads the chat with chat.startup (the history and the chat's metadata in one answer).
    const history = again.log.requests.findLast((r) =>
      (r.method === "chat.startup" || r.method === "chat.history") &&
      (r.params as { sessionKey?: string }).sessionKey === KEY && r.answer?.ok
    )?.answer?.payload as { sessionId: string; messages: { role: string; __openclaw?: { kind?: string } }[] };
    assert.ok(history.sessionId && history.sessionId !== staleId, "the page's history is the new session's");
    // The old window's turn above the marker, as the reference's transcript reads (the seed has no answer).
    const kinds = history.messages.map((m) => m.__openclaw?.kind ?? m.role);
    assert.deepEqual(kinds, ["user", "reset", "user", "assistant"]);
    assert.deepEqual(RECORDED.reset.historyKinds, ["user", "assistant", ...kinds.slice(1)]);
    assert.ok(RECORDED.reset.pageTextAfterReload.includes(DIVIDER));
    await again.page.getByText("remember the old days").first().waitFor({ timeout: 30_000 });
    const text = await again.page.locator("body").innerText();
    const order = ["remember the old days", "SESSION RESET", "hello after a long break"].map((t) => text.indexOf(t));
    assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)), `page order: ${order}`);
    assert.deepEqual(
      RECORDED.reset.pageTextAfterReload.filter((l) => l !== "The earlier conversation was cleared."),
      ["remember the old days", "SESSION RESET", "hello after idle"],
      "the reference's page after its reload: the old turn, the divider, the new turn",
    );
    await until(() => again.log.unanswered === 0, "the page's requests answered");
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
