// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the
// test) in headless Chromium against our gateway: a chat run another client started on the main
// session is under way (the fake model "stall" never answers), the page shows it running, and its
// Stop button, holding no run id of its own, calls `sessions.abort` with the session's key. Our
// gateway stops the run and it ends aborted for every client.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer, uiLink } from "../support/reference_ui_server.ts";
import { recordGatewayFrames } from "../support/reference_ui_visit.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { FrameLog } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-stop-token-0123456789abcdef";

Deno.test("the reference Control UI's Stop stops a run on our gateway through sessions.abort", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, model: "stall" }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const client = await connectReference({ port, token: TOKEN });
  try {
    const sent = await client.request<{ status: string }>("chat.send", {
      sessionKey: "agent:main:main",
      message: "Talk slowly",
      idempotencyKey: "ui-stop-1",
    });
    assert.equal(sent.status, "started");
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const log = new FrameLog();
    recordGatewayFrames(page, port, log);
    await page.goto(uiLink(server, "/chat/main", port, TOKEN));
    await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 30_000 });
    await page.getByRole("button", { name: "Stop generating" }).click({ timeout: 30_000 });
    const aborts = () => log.requests.filter((r) => r.method === "sessions.abort" || r.method === "chat.abort");
    await until(() => aborts().some((r) => r.answer !== undefined), "the Stop request answered");
    const [request] = aborts();
    assert.equal(request!.method, "sessions.abort", "no run id of its own: the page stops the session");
    assert.equal((request!.params as { key: string }).key, "agent:main:main");
    assert.deepEqual(request!.answer?.payload, { ok: true, abortedRunId: "ui-stop-1", status: "aborted" });
    await until(
      () =>
        client.events.some((e) =>
          e.event === "chat" && (e.payload as { runId?: string; state?: string }).runId === "ui-stop-1" &&
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
