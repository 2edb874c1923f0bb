// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, a test client served on
// loopback by the test, never shipped) in headless Chromium against our gateway: chat sends and the
// fake model's answer streams in, the pages the issue names load, and no request of the whole visit
// is answered "unknown method" (nor with any other error: the reference answers none). One visit,
// then one step per section, so the sections that already work show as passing. What the UI calls
// against the reference is recorded by tools/record_reference_clients.ts, which also shows this
// verdict passing against the reference gateway.
import assert from "node:assert/strict";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { judgeVisitBySection, visitControlUi } from "../support/reference_ui_visit.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "reference-ui-token-0123456789abcdef";

Deno.test("the reference Control UI against our gateway: chat streams the answer, every page loads, no unknown method", async (t) => {
  requirePeer();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  // The fake's "slow" model: 100 ms between chunks, so the answer visibly streams.
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, model: "slow" }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const visit = await visitControlUi({
      page,
      server,
      gatewayPort: port,
      token: TOKEN,
      // Each step waits for something to appear: the bound only limits a failure (a loaded machine
      // took more than 8 s for the switch-gateway prompt).
      stepTimeoutMs: 30_000,
      chatTimeoutMs: 15_000,
      screenshotDir: SCREENSHOT_DIR,
    });
    for (const { section, failures } of judgeVisitBySection(visit)) {
      await t.step(section, () => assert.equal(failures.length, 0, `${section}:\n${failures.join("\n")}`));
    }
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
