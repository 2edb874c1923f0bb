// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the test) in headless
// Chromium against our gateway: a message sent from its composer to a model that never answers ("stall") shows the
// run under way with the same start-up status line as against the reference (recorded by
// tools/record_reference_run_status.ts in tests/fixtures/run_status/ref.json: "Waiting for a response…", from the
// chat `status` `starting_model`), after the same chat `status` frames, and its Stop button.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { type UiStartupView, uiStartupView } from "../support/run_status_ui.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "reference-ui-run-status-token-0123456789";

const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/run_status/ref.json", import.meta.url)),
) as { ui: UiStartupView };

Deno.test("the reference Control UI shows its run's start-up status as against the reference", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, model: "stall" }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const view = await uiStartupView(browser, { server, gatewayPort: port, token: TOKEN });
    assert.deepEqual(view, RECORDED.ui);
    assert.equal(view.shown["Waiting for a response…"], true, "the model's start shown");
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
