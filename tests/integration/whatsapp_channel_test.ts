// WhatsApp through the real gateway (the minified bundle) and CLI, up to the QR shown: a configured
// account with no linked session says so in status; `web.login.start` loads Baileys on demand, which
// connects to the WhatsApp Web server `OPENCLAW_WHATSAPP_WEB_SOCKET_URL` names (a local one that
// speaks the handshake and sends the pairing refs: tests/support/fake_wa_server.ts) and answers with
// the QR as a PNG data URL; `web.login.wait` runs out waiting for the scan; `openclaw channels login`
// draws the QR in the terminal; `channels.logout` / `openclaw channels logout` with nothing to clear;
// `channels login` refused for a channel without a device login.
import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { startFakeWaServer } from "../support/fake_wa_server.ts";
import { freePort, runOpenclaw, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "wa-gateway-token-0123456789ab";

Deno.test("whatsapp: not linked in status; the QR through web.login.start and channels login (real Baileys, local WhatsApp Web server); logout", async () => {
  const server = startFakeWaServer();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    channels: { whatsapp: { dmPolicy: "pairing" } },
  });
  const env = { OPENCLAW_WHATSAPP_WEB_SOCKET_URL: server.url };
  const { proc } = await startGateway({ home: home.home, env, port });
  try {
    await proc.waitForLine(/whatsapp\/default: Not linked \(no WhatsApp Web session\)/);
    const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
    try {
      const status = await session.request<{ channelAccounts: Record<string, Record<string, unknown>[]> }>(
        "channels.status",
        {},
      );
      const account = status.channelAccounts.whatsapp?.[0];
      assert.equal(account?.accountId, "default");
      assert.equal(account?.running, false);
      assert.match(String(account?.lastError), /^Not linked \(no WhatsApp Web session\)\./);

      const started = await session.request<{ message: string; qrDataUrl?: string }>(
        "web.login.start",
        { channel: "whatsapp", timeoutMs: 10_000 },
        { timeoutMs: 30_000 },
      );
      assert.equal(server.handshakes, 1, "Baileys completed WhatsApp's handshake with the configured server");
      assert.equal(server.registrations, 1);
      assert.equal(started.message, "Scan this QR in WhatsApp → Linked Devices.");
      assert.match(started.qrDataUrl ?? "", /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
      assert.deepEqual(
        await session.request("web.login.wait", { currentQrDataUrl: started.qrDataUrl, timeoutMs: 1000 }),
        { connected: false, message: "Still waiting for the QR scan. Let me know when you’ve scanned it." },
      );

      assert.deepEqual(await session.request("channels.logout", { channel: "whatsapp" }), {
        channel: "whatsapp",
        accountId: "default",
        cleared: false,
        loggedOut: false,
      });
    } finally {
      session.stop();
    }
    const cli = (args: string[]) => runOpenclaw(args, { home: home.home, env });
    // The CLI links in its own process, as the reference does: the QR is drawn in the terminal.
    const login = await spawnOpenclaw(["channels", "login", "--channel", "whatsapp"], { home: home.home, env });
    try {
      await login.waitForLine(/^Open the WhatsApp app, go to Linked Devices, then scan this QR:/, 30_000);
      await login.waitForLine(/▀|▄|█/);
      assert.equal(server.handshakes, 2);
    } finally {
      login.kill("SIGTERM");
      await login.exited();
    }
    const logout = await cli(["channels", "logout", "--channel", "whatsapp"]);
    assert.equal(logout.code, 0, logout.stderr + logout.stdout);
    assert.match(logout.stdout, /No saved auth was cleared for whatsapp\/default\./);
    const telegram = await cli(["channels", "login", "--channel", "telegram"]);
    assert.notEqual(telegram.code, 0);
    assert.match(telegram.stderr + telegram.stdout, /Channel "telegram" does not support login\./);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited();
    await server.close();
  }
});
