// The reference's own Control UI (headless Chromium) against our gateway during a host suspension: its
// connection indicator reads "Suspended" from our `gateway.suspension` event while a lease holds, and clears
// when the lease is released, as the reference documents (docs/gateway/external-apps.md).
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { connectReference } from "../support/reference_client.ts";
import { openUiPage } from "../support/reference_ui_page.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-ui-suspension-token-0123456789abcdef";

Deno.test("the reference Control UI shows our gateway as Suspended while a lease holds, and clears on resume", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const admin = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    const { page, settled } = await openUiPage(browser, {
      server,
      gatewayPort: port,
      token: TOKEN,
      route: "/chat/main",
    });
    await settled();
    const suspendedText = page.getByText("Suspended", { exact: true });
    assert.equal(await suspendedText.count(), 0, "not suspended before the lease");

    const lease = await admin.request<{ status: string; suspensionId: string }>("gateway.suspend.prepare", {
      requestId: "ui-host-1",
    });
    assert.equal(lease.status, "ready");
    await suspendedText.first().waitFor({ timeout: 15_000 });

    await admin.request("gateway.suspend.resume", { suspensionId: lease.suspensionId });
    await until(async () => (await suspendedText.count()) === 0, "the indicator cleared", 15_000);
  } finally {
    admin.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
