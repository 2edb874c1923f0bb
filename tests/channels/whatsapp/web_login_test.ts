// The QR login (`web.login.start` / `web.login.wait`) against a fake socket at Baileys' event
// boundary: the first QR as a PNG data URL, a refreshed QR, the pairing restart (515) and the link,
// a logged-out pairing, and the reference's words for each.
import assert from "node:assert/strict";
import { PAIRING_MESSAGES } from "../../../src/channels/whatsapp/pairing.ts";
import { qrPngDataUrl } from "../../../src/channels/whatsapp/qr.ts";
import { type LoginAccount, WhatsAppWebLogins } from "../../../src/channels/whatsapp/web_login.ts";
import { getLogger } from "../../../src/log/logger.ts";
import { FakeWaNetwork } from "../../support/fake_wa_socket.ts";
import { until } from "../../support/until.ts";

const QR1 = "2@ref-one,noise-key,identity-key,adv-secret";
const QR2 = "2@ref-two,noise-key,identity-key,adv-secret";

async function withLogins(
  body: (side: { network: FakeWaNetwork; logins: WhatsAppWebLogins; account: LoginAccount }) => Promise<void>,
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-login-" });
  const network = new FakeWaNetwork();
  const logins = new WhatsAppWebLogins({ factory: network.factory, renderQr: qrPngDataUrl, log: getLogger("test") });
  const account: LoginAccount = {
    accountId: "default",
    authDir: `${stateDir}/credentials/whatsapp/default`,
    managedAuthDir: true,
    waWebSocketUrl: undefined,
  };
  try {
    await body({ network, logins, account });
  } finally {
    await logins.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}

/** The bytes of a data URL. */
function pngOf(dataUrl: string): Uint8Array {
  return Uint8Array.from(atob(dataUrl.slice("data:image/png;base64,".length)), (c) => c.charCodeAt(0));
}

/** Writes the credentials a paired Baileys saves (`creds.update`). */
async function savePairedCreds(authDir: string): Promise<void> {
  await Deno.mkdir(authDir, { recursive: true });
  await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: "15550001111:7@s.whatsapp.net" } }));
}

Deno.test("start answers with the QR as a PNG data URL; wait answers a refreshed QR, then the link after the 515 restart", async () => {
  await withLogins(async ({ network, logins, account }) => {
    const starting = logins.start(account, { running: false });
    const first = await network.socket(1);
    assert.equal(first.options.authDir, account.authDir);
    first.emit("connection.update", { qr: QR1 });
    const started = await starting;
    assert.equal(started.message, "Scan this QR in WhatsApp → Linked Devices.");
    assert.ok(started.qrDataUrl?.startsWith("data:image/png;base64,"));
    assert.deepEqual([...pngOf(started.qrDataUrl!).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(started.qrDataUrl, await qrPngDataUrl(QR1));

    // Asked again while it is fresh: the same QR.
    assert.deepEqual(await logins.start(account, { running: false }), {
      qrDataUrl: started.qrDataUrl,
      message: "QR already active. Scan it in WhatsApp → Linked Devices.",
    });

    const waiting = logins.wait("default", { currentQrDataUrl: started.qrDataUrl, timeoutMs: 10_000 });
    first.emit("connection.update", { qr: QR2 });
    const refreshed = await waiting;
    assert.equal(refreshed.message, "QR refreshed. Scan the latest code in WhatsApp → Linked Devices.");
    assert.equal(refreshed.connected, false);
    assert.equal(refreshed.qrDataUrl, await qrPngDataUrl(QR2));

    const linking = logins.wait("default", { currentQrDataUrl: refreshed.qrDataUrl, timeoutMs: 10_000 });
    await savePairedCreds(account.authDir);
    first.close(515, "Stream Errored (restart required)");
    const second = await network.socket(2);
    second.open();
    assert.deepEqual(await linking, { connected: true, message: "✅ Linked! WhatsApp is ready." });
    assert.ok(second.ended, "the login's socket is closed: the account opens its own");
    assert.deepEqual(await logins.wait("default", {}), {
      connected: false,
      message: "No active WhatsApp login in progress.",
    });
  });
});

Deno.test("an account already linked and running is not relinked without force", async () => {
  await withLogins(async ({ network, logins, account }) => {
    await savePairedCreds(account.authDir);
    assert.deepEqual(await logins.start(account, { running: true }), {
      message: "WhatsApp is already linked (+15550001111). Say “relink” if you want a fresh QR.",
    });
    assert.equal(network.sockets.length, 0);
    // force: the old credentials go, a fresh QR comes.
    const starting = logins.start(account, { running: true, force: true });
    (await network.socket(1)).emit("connection.update", { qr: QR1 });
    assert.ok((await starting).qrDataUrl);
    await assert.rejects(Deno.stat(`${account.authDir}/creds.json`));
  });
});

Deno.test("a pairing logged out twice ends with the reference's words; a failed one with its status", async () => {
  await withLogins(async ({ network, logins, account }) => {
    const starting = logins.start(account, { running: false });
    const first = await network.socket(1);
    first.emit("connection.update", { qr: QR1 });
    await starting;
    const waiting = logins.wait("default", { timeoutMs: 10_000 });
    first.close(401, "Connection Failure");
    (await network.socket(2)).close(401, "Connection Failure");
    assert.deepEqual(await waiting, { connected: false, message: PAIRING_MESSAGES.loggedOutQr });
  });
  await withLogins(async ({ network, logins, account }) => {
    const starting = logins.start(account, { running: false });
    (await network.socket(1)).close(403, "Forbidden");
    assert.deepEqual(await starting, { message: "WhatsApp login failed: status=403 Forbidden" });
  });
});

Deno.test("wait with nothing to wait for, and a wait that runs out", async () => {
  await withLogins(async ({ network, logins, account }) => {
    assert.deepEqual(await logins.wait("default", {}), {
      connected: false,
      message: "No active WhatsApp login in progress.",
    });
    const starting = logins.start(account, { running: false });
    (await network.socket(1)).emit("connection.update", { qr: QR1 });
    await starting;
    assert.deepEqual(await logins.wait("default", { timeoutMs: 1000 }), {
      connected: false,
      message: "Still waiting for the QR scan. Let me know when you’ve scanned it.",
    });
  });
});

Deno.test("two starts at once for one account share one login: no second socket left open on its credentials", async () => {
  await withLogins(async ({ network, logins, account }) => {
    const a = logins.start(account, { running: false });
    const b = logins.start(account, { running: false });
    (await network.socket(1)).emit("connection.update", { qr: QR1 });
    const [first, second] = await Promise.all([a, b]);
    assert.equal(first.qrDataUrl, await qrPngDataUrl(QR1));
    assert.deepEqual(second, {
      qrDataUrl: first.qrDataUrl,
      message: "QR already active. Scan it in WhatsApp → Linked Devices.",
    });
    assert.equal(network.sockets.length, 1);
  });
});

Deno.test("a login cancelled while WhatsApp's restart socket is being built closes that socket too", async () => {
  await withLogins(async ({ network, account }) => {
    const gate = Promise.withResolvers<void>();
    const factory = network.factory;
    let built = 0;
    const gated = new WhatsAppWebLogins({
      // The restart socket (the second) waits for the gate; the first comes as the plain fake's does.
      factory: (options) => ++built === 2 ? gate.promise.then(() => factory(options)) : factory(options),
      renderQr: qrPngDataUrl,
      log: getLogger("test"),
    });
    const starting = gated.start(account, { running: false });
    const first = await network.socket(1);
    first.emit("connection.update", { qr: QR1 });
    await starting;
    await savePairedCreds(account.authDir);
    first.close(515, "Stream Errored (restart required)");
    await until(() => built === 2, "the restart socket requested");
    // The gateway stops (or the login is replaced) while the restart socket is on its way.
    const stopping = gated.stop();
    gate.resolve();
    const second = await network.socket(2);
    await until(() => second.ended, "the restart socket closed");
    await stopping;
  });
});

Deno.test("logout ends a login in progress on the same account", async () => {
  await withLogins(async ({ network, logins, account }) => {
    const starting = logins.start(account, { running: false });
    const socket = await network.socket(1);
    socket.emit("connection.update", { qr: QR1 });
    await starting;
    const writes = Promise.withResolvers<void>();
    socket.flushed = () => writes.promise;
    let cancelled = false;
    const cancelling = logins.cancel("default").then(() => cancelled = true);
    assert.ok(socket.ended);
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    assert.equal(cancelled, false, "cancel returned while credentials were still being written");
    writes.resolve();
    await cancelling;
    assert.deepEqual(await logins.wait("default", {}), {
      connected: false,
      message: "No active WhatsApp login in progress.",
    });
  });
});
