// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the test)
// against our gateway: a message sent from its composer to a model that never answers ("stall") runs
// into its deadline (`agents.defaults.timeoutSeconds`), the page shows the reference's timeout message for
// that run (from the chat `error`, errorKind `timeout`), the session row the page reads says `timeout`,
// and the composer takes the next message, as against the reference. A session whose run timed out, opened
// afresh, shows the run's error above the composer from the row's `lastRunError`, as against the reference.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { openUiPage } from "../support/reference_ui_page.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-ui-deadline-token-0123456789ab";

/** The run's timeout as the reference words it (tests/fixtures/run_deadline/reference_events.json). */
const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/run_deadline/reference_events.json", import.meta.url)),
) as { withConfigured: { waited: { error: string } } };

/** What the reference's row and page said of a timed-out run (tools/record_reference_ui_live.ts). */
const LIVE = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/reference_ui_live/ref.json", import.meta.url)),
) as { runs: { timeout: { row: { lastRunError: string } } }; reopened: { timeout: string[] } };

Deno.test("the reference Control UI shows a run's timeout and its composer takes the next message", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const config = clientTestConfig({
    port,
    token: TOKEN,
    upstreamUrl: upstream.url,
    uiOrigin: server.origin,
    model: "stall",
  });
  (config.agents as { defaults: Record<string, unknown> }).defaults.timeoutSeconds = 2;
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const { page, log, settled } = await openUiPage(browser, {
      server,
      gatewayPort: port,
      token: TOKEN,
      route: "/chat/main",
    });
    const composer = page.getByRole("textbox", { name: "Chat composer" });
    await composer.waitFor({ timeout: 30_000 });
    await settled();
    await composer.fill("think forever");
    await composer.press("Enter");
    const errorOf = () =>
      log.events.find((e) => e.event === "chat" && (e.payload as { state?: string }).state === "error")?.payload as
        | { runId: string; errorKind?: string; errorMessage?: string }
        | undefined;
    await until(() => errorOf() !== undefined, "the run's chat error", 30_000);
    assert.deepEqual([errorOf()!.errorKind, errorOf()!.errorMessage], [
      "timeout",
      RECORDED.withConfigured.waited.error,
    ]);
    // The page shows the reference's message for the run (its first words; the page cuts the rest).
    await page.getByText("Error: Request timed out before a response was generated.").first().waitFor({
      timeout: 30_000,
    });
    // The row the page reads after the run says how it ended, as the reference's does.
    const { runId } = errorOf()!;
    await until(
      () =>
        log.events.some((e) =>
          e.event === "sessions.changed" && (e.payload as { lastRunId?: string }).lastRunId === runId &&
          (e.payload as { status?: string }).status === "timeout"
        ),
      "the session row ended as timeout",
      30_000,
    );
    await settled();
    assert.equal(await page.getByRole("button", { name: "Stop generating" }).count(), 0, "no run left to stop");
    // The composer is usable again: the next message goes out and shows.
    await composer.fill("are you still there");
    await composer.press("Enter");
    await until(
      () =>
        log.requests.some((r) =>
          r.method === "chat.send" && (r.params as { message?: string }).message === "are you still there" &&
          r.answer?.ok === true
        ),
      "the next chat.send answered ok",
      30_000,
    );
    await page.getByText("are you still there").first().waitFor({ timeout: 30_000 });
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("the reference Control UI opened on a session whose run timed out shows the run's error from the row's lastRunError", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const config = clientTestConfig({
    port,
    token: TOKEN,
    upstreamUrl: upstream.url,
    uiOrigin: server.origin,
    model: "stall",
  });
  (config.agents as { defaults: Record<string, unknown> }).defaults.timeoutSeconds = 2;
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port });
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  const { browser, stop } = await launchBrowser();
  try {
    await client.request("chat.send", {
      sessionKey: "agent:main:main",
      message: "think forever",
      idempotencyKey: "r1",
    });
    await until(
      () => client.events.some((e) => e.event === "chat" && (e.payload as { state?: string }).state === "error"),
      "the run's timeout",
      30_000,
    );
    const rows = await client.request<{ sessions: { key: string; status?: string; lastRunError?: string }[] }>(
      "sessions.list",
      {},
    );
    const row = rows.sessions.find((r) => r.key === "agent:main:main");
    assert.deepEqual([row?.status, row?.lastRunError], ["timeout", LIVE.runs.timeout.row.lastRunError]);
    const { page, settled } = await openUiPage(browser, {
      server,
      gatewayPort: port,
      token: TOKEN,
      route: "/chat/main",
    });
    await page.getByText("think forever").first().waitFor({ timeout: 30_000 });
    await settled();
    // The page cuts the text; the reference's page showed the same words for the same steps.
    const shown = "Request timed out before a response was generated. Please try again, or increase";
    assert.ok(LIVE.reopened.timeout.some((line) => line.startsWith(shown)), "the reference's page shows it so");
    // Shown above the composer (the sidebar's hidden tooltip holds the same words: the page's text is what shows).
    await until(async () => (await page.locator("body").innerText()).includes(shown), "the run's error shown", 30_000);
  } finally {
    client.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
