// The QR login end to end with the real Baileys 7.0.0-rc14 under Deno, up to the QR shown: Baileys
// connects to a local WhatsApp Web server (tests/support/fake_wa_server.ts: the Noise handshake, the
// certificate chain, the `pair-device` refs), registers as a new device, and `web.login.start`'s
// login answers with the QR it builds from the first ref, as a PNG data URL. The credentials
// directory is created owner-only.
import assert from "node:assert/strict";
import { createWhatsAppAccount } from "../../../src/channels/whatsapp/account.ts";
import { qrPngDataUrl } from "../../../src/channels/whatsapp/qr.ts";
import { createBaileysSocket } from "../../../src/channels/whatsapp/socket_baileys.ts";
import { WhatsAppWebLogins } from "../../../src/channels/whatsapp/web_login.ts";
import { getLogger } from "../../../src/log/logger.ts";
import { startFakeWaServer } from "../../support/fake_wa_server.ts";
import { until } from "../../support/until.ts";

/**
 * Removes the state dir once Baileys' last credential writes (queued before its socket closed, awaited by
 * nobody after the test's stop) have landed: a write still creating a file fails a recursive remove.
 */
async function removeWhenSettled(dir: string): Promise<void> {
  await until(() => Deno.remove(dir, { recursive: true }).then(() => true, () => false), `removing ${dir}`);
}

Deno.test("real Baileys against a local WhatsApp Web server: the pairing QR reaches web.login.start", async () => {
  const server = startFakeWaServer(["ref-one", "ref-two"]);
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-baileys-" });
  const drawn: string[] = [];
  const logins = new WhatsAppWebLogins({
    factory: createBaileysSocket,
    renderQr: (qr) => {
      drawn.push(qr);
      return qrPngDataUrl(qr);
    },
    log: getLogger("test"),
  });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  try {
    const started = await logins.start(
      { accountId: "default", authDir, managedAuthDir: true, waWebSocketUrl: server.url },
      { running: false, timeoutMs: 20_000 },
    );
    assert.equal(started.message, "Scan this QR in WhatsApp → Linked Devices.");
    assert.ok(started.qrDataUrl?.startsWith("data:image/png;base64,"));
    assert.equal(server.handshakes, 1);
    assert.equal(server.registrations, 1, "a new device asks to register");
    // Baileys' QR: the linked-devices link with the ref, then the device's noise key, identity key and ADV secret (base64).
    const parts = drawn[0]!.split(",");
    assert.equal(parts[0], "https://wa.me/settings/linked_devices#ref-one");
    assert.equal(parts.length >= 4, true);
    assert.equal(atob(parts[1]!).length, 32, "the noise public key");
    assert.equal(started.qrDataUrl, await qrPngDataUrl(drawn[0]!));
    // Baileys acknowledges the pair-device iq.
    await until(() => server.nodes.some((node) => node.tag === "iq" && node.attrs.id === "pair-1"), "the iq result");
    assert.equal((await Deno.stat(authDir)).mode! & 0o777, 0o700);
    for await (const entry of Deno.readDir(authDir)) {
      const info = await Deno.stat(`${authDir}/${entry.name}`).catch(() => undefined);
      if (info) assert.equal(info.mode! & 0o777, 0o600, entry.name);
    }
  } finally {
    await logins.stop();
    await server.close();
    await removeWhenSettled(stateDir);
  }
});

Deno.test("real Baileys: the phone scans, WhatsApp restarts the connection (515), the device is linked and the account connects", async () => {
  const server = startFakeWaServer(["ref-one"]);
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-baileys-" });
  const drawn: string[] = [];
  const logins = new WhatsAppWebLogins({
    factory: createBaileysSocket,
    renderQr: (qr) => {
      drawn.push(qr);
      return qrPngDataUrl(qr);
    },
    log: getLogger("test"),
  });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  const login = { accountId: "default", authDir, managedAuthDir: true, waWebSocketUrl: server.url };
  let account: Awaited<ReturnType<typeof createWhatsAppAccount>> | undefined;
  try {
    const started = await logins.start(login, { running: false, timeoutMs: 20_000 });
    assert.ok(started.qrDataUrl);
    const waiting = logins.wait("default", { currentQrDataUrl: started.qrDataUrl, timeoutMs: 20_000 });
    server.scan(drawn[0]!, "15550001111:7@s.whatsapp.net");
    assert.deepEqual(await waiting, { connected: true, message: "✅ Linked! WhatsApp is ready." });
    assert.equal(server.registrations, 1);
    assert.equal(server.logins, 1, "after the restart the device logs in with its new credentials");
    const creds = JSON.parse(await Deno.readTextFile(`${authDir}/creds.json`));
    assert.equal(creds.me.id, "15550001111:7@s.whatsapp.net");
    for await (const entry of Deno.readDir(authDir)) {
      // A write in flight (`<file>.<uuid>.tmp`) may be renamed away meanwhile: it is created 0600 too.
      const info = await Deno.stat(`${authDir}/${entry.name}`).catch(() => undefined);
      if (info) assert.equal(info.mode! & 0o777, 0o600, entry.name);
    }

    // The account connects on the saved credentials.
    account = await createWhatsAppAccount({ accountId: "default", settings: {} }, {
      env: { OPENCLAW_WHATSAPP_WEB_SOCKET_URL: server.url },
      stateDir,
      host: { inbound: () => Promise.resolve(), ready: () => {}, mountWebhook: () => () => {} },
    });
    account.start();
    await until(() => account!.status().connected, "the account's connection");
    assert.equal(server.logins, 2);
    assert.deepEqual((await account.probe(1000)).details, { self: "+15550001111" });
  } finally {
    await account?.stop();
    await logins.stop();
    await server.close();
    await removeWhenSettled(stateDir);
  }
});
