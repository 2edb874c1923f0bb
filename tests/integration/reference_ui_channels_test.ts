// The reference's own Control UI channels settings page (`/settings/channels`, OpenClaw 2026.9.6's
// dist/control-ui) against our gateway with Telegram, Discord, Slack, WhatsApp and IRC configured:
// the page shows each channel and no request of the visit is refused.
import assert from "node:assert/strict";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { visitChannels } from "../support/reference_ui_channels.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { sectionFailures } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-channels-token-0123456789abcdef";
const BOT_TOKEN = "123:reference-ui-channels";

Deno.test("the reference Control UI's channels page loads every channel from our gateway with no request refused", async (t) => {
  requirePeer();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const upstream = startFakeUpstream();
  const telegram = startFakeTelegram(BOT_TOKEN);
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome({
    ...clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin }),
    channels: {
      telegram: { botToken: BOT_TOKEN, apiRoot: telegram.url },
      // Declared but off: nothing dials out of the machine.
      discord: { enabled: false, token: "discord-token" },
      slack: { enabled: false, botToken: "xoxb-1", appToken: "xapp-1" },
      whatsapp: { enabled: false, accounts: { default: { enabled: false } } },
      irc: { enabled: false, host: "127.0.0.1", nick: "claw" },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const visit = await visitChannels({
      page,
      server,
      gatewayPort: port,
      token: TOKEN,
      // Slack is listed once the slack channel reports itself in channels.status (its own branch).
      labels: ["IRC", "Telegram", "Discord", "WhatsApp"],
      details: [{ label: "Telegram", refresh: "Probe" }, { label: "WhatsApp", refresh: "Refresh" }],
      stepTimeoutMs: 15_000,
      screenshotDir: SCREENSHOT_DIR,
    });
    // The page read the config and every channel's status; each dialog's refresh asked again.
    for (const method of ["config.get", "channels.status"]) {
      assert.ok(visit.log.requests.some((r) => r.section === "channels page" && r.method === method), method);
    }
    for (const section of ["Telegram details", "WhatsApp details"]) {
      assert.ok(visit.log.requests.some((r) => r.section === section && r.method === "channels.status"), section);
    }
    for (const section of ["channels page", "Telegram details", "WhatsApp details"]) {
      await t.step(section, () => {
        const failures = sectionFailures(visit.log, section, visit.problems);
        assert.equal(failures.length, 0, `${section}:\n${failures.join("\n")}`);
      });
    }
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
