// The QR login end to end with the real Baileys 7.0.0-rc14 under Deno, up to the QR shown: Baileys
// connects to a local WhatsApp Web server (tests/support/fake_wa_server.ts: the Noise handshake, the
// certificate chain, the `pair-device` refs), registers as a new device, and `web.login.start`'s
// login answers with the QR it builds from the first ref, as a PNG data URL. The credentials
// directory is created owner-only.
import assert from "node:assert/strict";
import { qrPngDataUrl } from "../../../src/channels/whatsapp/qr.ts";
import { createBaileysSocket } from "../../../src/channels/whatsapp/socket_baileys.ts";
import { WhatsAppWebLogins } from "../../../src/channels/whatsapp/web_login.ts";
import { getLogger } from "../../../src/log/logger.ts";
import { startFakeWaServer } from "../../support/fake_wa_server.ts";
import { until } from "../../support/until.ts";

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
      assert.equal((await Deno.stat(`${authDir}/${entry.name}`)).mode! & 0o777, 0o600, entry.name);
    }
  } finally {
    logins.stop();
    await server.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
