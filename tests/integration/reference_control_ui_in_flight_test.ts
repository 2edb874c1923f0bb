// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the test)
// in headless Chromium, loaded while a chat run another client started is mid-stream on our gateway: the
// fake model "drip" streamed three pieces before the page existed and then stalls, so the page can only
// learn the text from `chat.history`'s `inFlightRun`. It shows the partial text and Stop, again after a
// reload, and its Stop ends the run.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { FAKE_CHUNKS, startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer, uiLink } from "../support/reference_ui_server.ts";
import { recordGatewayFrames } from "../support/reference_ui_visit.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { FrameLog } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-in-flight-token-0123456789";
const DRIPPED = FAKE_CHUNKS.slice(0, 3).join("");

Deno.test("the reference Control UI loaded mid-run shows the text streamed so far and Stop, after a reload too", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, model: "drip" }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const client = await connectReference({ port, token: TOKEN });
  try {
    await client.request("chat.send", {
      sessionKey: "agent:main:main",
      message: "Talk slowly",
      idempotencyKey: "ui-1",
    });
    await until(
      () =>
        client.events.some((e) => {
          const p = e.payload as { state?: string; message?: { content: { text: string }[] } };
          return e.event === "chat" && p.state === "delta" && p.message?.content[0]?.text === DRIPPED;
        }),
      "the dripped text streamed",
    );
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const log = new FrameLog();
    recordGatewayFrames(page, port, log);
    await page.goto(uiLink(server, "/chat/main", port, TOKEN));
    await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 30_000 });
    await page.getByText(DRIPPED).first().waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Stop generating" }).waitFor({ timeout: 30_000 });
    const histories = () =>
      log.requests.filter((r) => r.method === "chat.history" || r.method === "chat.startup").filter((r) =>
        (r.answer?.payload as { inFlightRun?: { runId?: string } } | undefined)?.inFlightRun?.runId === "ui-1"
      );
    assert.ok(histories().length > 0, "the page read the run from the history's inFlightRun");

    const before = histories().length;
    await page.reload();
    await page.getByText(DRIPPED).first().waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Stop generating" }).click({ timeout: 30_000 });
    assert.ok(histories().length > before, "read again after the reload");
    await until(
      () =>
        client.events.some((e) =>
          e.event === "chat" && (e.payload as { runId?: string; state?: string }).runId === "ui-1" &&
          (e.payload as { state?: string }).state === "aborted"
        ),
      "the run's aborted chat event",
    );
  } finally {
    client.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
