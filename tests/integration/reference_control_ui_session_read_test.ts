// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui) against our gateway: a session whose run
// failed shows the sidebar's "Run failed" notice (from its row's `status` and `lastRunError`, unread since the
// run ended); opening that session makes the page mark it read (`sessions.patch {unread: false,
// expectedMarkedUnreadAt}`), our gateway records `lastReadAt`, and the notice leaves the sidebar of a page
// that stayed open, as against the reference (tests/fixtures/session_read_state/ref.json `openedInUi`).
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { openUiPage } from "../support/reference_ui_page.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { runEnded } from "../support/read_state_steps.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-ui-read-token-0123456789abcdef";
const KEY = "agent:main:failed";

/** What the reference's row said before and after its UI opened the failed session. */
const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/session_read_state/ref.json", import.meta.url)),
) as { openedInUi: { changed: Record<string, unknown>[]; after: { unread: boolean; readAfterEnd: boolean } } };

Deno.test("the reference Control UI clears a failed run's sidebar notice once the session is opened", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin });
  const fake = (config.models as { providers: { fake: { models: { id: string; name: string }[] } } }).providers.fake;
  fake.models.push({ id: "fail", name: "fail" });
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port });
  const client = await connectReference({
    port,
    token: TOKEN,
    mode: "cli",
    clientName: "cli",
    scopes: ["operator.read", "operator.write", "operator.admin"],
  });
  const { browser, stop } = await launchBrowser();
  try {
    await client.request("sessions.patch", { key: KEY, model: "fake/fail" });
    await client.request("chat.send", { sessionKey: KEY, message: "go fail", idempotencyKey: "fail-1" });
    await runEnded(client, "fail-1");
    await client.request("sessions.subscribe", {});
    // A page on the main session: the failed session's row in its sidebar carries the notice.
    const main = await openUiPage(browser, { server, gatewayPort: port, token: TOKEN, route: "/chat/main" });
    const notice = main.page.locator('[data-session-attention="error"]');
    await notice.first().waitFor({ state: "attached", timeout: 30_000 });
    assert.equal(await notice.count(), 1, "one session failed");
    // Opening the failed session: the page marks it read, conditionally on its (absent) unread mark.
    const opened = await openUiPage(browser, { server, gatewayPort: port, token: TOKEN, route: "/chat/main/failed" });
    await until(
      () => opened.log.requests.some((r) => r.method === "sessions.patch" && r.answer?.ok),
      "the page's sessions.patch answered",
      30_000,
    );
    const patch = opened.log.requests.find((r) => r.method === "sessions.patch")!;
    assert.deepEqual(patch.params, { key: KEY, agentId: "main", unread: false, expectedMarkedUnreadAt: null });
    const list = await client.request<{ sessions: Record<string, unknown>[] }>("sessions.list", {});
    const row = list.sessions.find((s) => s.key === KEY)!;
    assert.equal(row.unread, RECORDED.openedInUi.after.unread);
    assert.equal((row.lastReadAt as number) >= (row.endedAt as number), RECORDED.openedInUi.after.readAfterEnd);
    // The page that stayed open hears the change and drops the notice.
    await until(async () => await notice.count() === 0, "the notice gone from the open page's sidebar", 30_000);
  } finally {
    await stop();
    client.stop();
    await proc.stop();
    await home.cleanup();
    await server.stop();
    await upstream.stop();
  }
});
