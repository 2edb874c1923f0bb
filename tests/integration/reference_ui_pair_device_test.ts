// The reference's own Control UI "Pair a device" dialog (OpenClaw 2026.9.6's dist/control-ui) against our
// gateway: opened from the identity menu, it creates a full-access setup code (`device.pair.setupCode {}`) and
// shows its QR; a phone redeems the code and the dialog turns to "Device paired" on
// `device.pair.setup.completed`, with no request of the visit refused.
import assert from "node:assert/strict";
import { bootstrapConnect, newDeviceKeys } from "../support/bootstrap_connect.ts";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { recordGatewayFrames } from "../support/reference_ui_visit.ts";
import { startReferenceUiServer, uiLink } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { FrameLog, sectionFailures } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-pair-device-token-0123456789abcdef";
const TIMEOUT = 15_000;

Deno.test("the reference Control UI's pair-device dialog shows our setup code's QR and sees the phone paired", async () => {
  requirePeer();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome({
    ...clientTestConfig({ port, token: TOKEN, upstreamUrl: "http://127.0.0.1:9", uiOrigin: server.origin }),
    plugins: { entries: { "device-pair": { config: { publicUrl: `ws://127.0.0.1:${port}` } } } },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const log = new FrameLog();
    recordGatewayFrames(page, port, log);
    await page.route((url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost", (route) => route.abort());
    log.enter("shell");
    await page.goto(uiLink(server, "/", port, TOKEN));
    await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: TIMEOUT });
    await until(() => log.requests.some((r) => r.method === "connect" && r.answer?.ok), "connect answered", TIMEOUT);

    log.enter("pair device");
    // The identity menu (the viewer's name in the sidebar footer) holds "Pair device".
    await page.getByText("Owner", { exact: true }).first().click({ timeout: TIMEOUT });
    await page.locator('wa-dropdown-item[value="command:pair-mobile"]').click({ timeout: TIMEOUT });
    await page.getByRole("button", { name: "Create setup code" }).click({ timeout: TIMEOUT });
    await page.getByRole("img", { name: "OpenClaw mobile pairing QR code" }).waitFor({ timeout: TIMEOUT });
    await page.getByText(`ws://127.0.0.1:${port}`).first().waitFor({ timeout: TIMEOUT });
    const asked = log.requests.find((r) => r.method === "device.pair.setupCode");
    assert.deepEqual(asked?.params, {});
    const setup = asked?.answer?.payload as { setupCode: string; access: string };
    assert.equal(setup.access, "full");

    log.enter("phone pairs");
    const { bootstrapToken } = JSON.parse(atob(setup.setupCode.replace(/-/g, "+").replace(/_/g, "/")));
    const phone = await bootstrapConnect(port, { keys: await newDeviceKeys(), auth: { bootstrapToken } });
    assert.equal(phone.response.ok, true, JSON.stringify(phone.response.error));
    await page.getByText("Device paired").first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/reference-ui-pair-device.png` }).catch(() => {});
    assert.ok(log.events.some((e) => e.event === "device.pair.setup.completed"));
    for (const section of ["shell", "pair device", "phone pairs"]) {
      const failures = sectionFailures(log, section, []);
      assert.equal(failures.length, 0, `${section}:\n${failures.join("\n")}`);
    }
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await home.cleanup();
  }
});
