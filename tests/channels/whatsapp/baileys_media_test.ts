// An inbound photo through Baileys' real download path: the file is fetched from the URL the message carries
// (a local CDN here), decrypted with the keys Baileys expands from `mediaKey` (AES-256-CBC, WhatsApp's HKDF
// info), and kept in the media store before the message is handed on.
import assert from "node:assert/strict";
import { createCipheriv, createHmac } from "node:crypto";
import { Buffer } from "node:buffer";
import { hkdf } from "baileys";
import type { InboundMessage } from "../../../src/channels/types.ts";
import { createWhatsAppAccount } from "../../../src/channels/whatsapp/account.ts";
import { downloadBaileysMedia } from "../../../src/channels/whatsapp/socket_baileys.ts";
import type { MediaSaveInput, MediaStore } from "../../../src/media/media_types.ts";
import { FakeWaNetwork } from "../../support/fake_wa_socket.ts";
import { until } from "../../support/until.ts";

/** Encrypts a file as WhatsApp's CDN serves it: AES-256-CBC, then a 10-byte HMAC. */
function encryptMedia(plain: Uint8Array, mediaKey: Uint8Array): Uint8Array {
  const expanded = hkdf(Buffer.from(mediaKey), 112, { info: "WhatsApp Image Keys" });
  const iv = expanded.subarray(0, 16);
  const cipherKey = expanded.subarray(16, 48);
  const macKey = expanded.subarray(48, 80);
  const cipher = createCipheriv("aes-256-cbc", cipherKey, iv);
  const enc = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac("sha256", macKey).update(Buffer.concat([iv, enc])).digest().subarray(0, 10);
  return Buffer.concat([enc, mac]);
}

Deno.test("an inbound photo is downloaded and decrypted by Baileys, then kept in the media store", async () => {
  const photo = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
  photo.set([0xff, 0xd8, 0xff, 0xe0]);
  const mediaKey = crypto.getRandomValues(new Uint8Array(32));
  const body = encryptMedia(photo, mediaKey);
  const cdn = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(new Uint8Array(body)),
  );
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-media-" });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  await Deno.mkdir(authDir, { recursive: true });
  await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: "15550001111:7@s.whatsapp.net" } }));
  const saved: { bytes: Uint8Array; input: MediaSaveInput }[] = [];
  const store: MediaStore = {
    save: (bytes, input) => {
      saved.push({ bytes, input });
      return Promise.resolve({
        kind: "image",
        mimeType: "image/jpeg",
        path: "/media/inbound/a.jpg",
        size: bytes.length,
      });
    },
    read: () => Promise.reject(new Error("unused")),
    prune: () => Promise.resolve(0),
  };
  const inbound: InboundMessage[] = [];
  const rows: Record<string, unknown>[] = [];
  const network = new FakeWaNetwork();
  const account = await createWhatsAppAccount({ accountId: "default", settings: {} }, {
    env: {},
    stateDir,
    host: {
      inbound: (message, receipt) => {
        inbound.push(message);
        rows.push({ ...receipt?.raw, message });
        return Promise.resolve();
      },
      ready: () => {},
      mountWebhook: () => () => {},
      media: store,
    },
  }, network.factory);
  account.start();
  try {
    const socket = await network.socket(1);
    // The fake socket downloads the way the real one does.
    socket.downloadMedia = (message, maxBytes) =>
      downloadBaileysMedia(message, maxBytes, undefined, { anyMediaHost: true });
    socket.open();
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [{
        key: { id: "IMG1", remoteJid: "15552223333@s.whatsapp.net", fromMe: false },
        message: {
          imageMessage: {
            url: `http://127.0.0.1:${cdn.addr.port}/v/t62.7118-24/photo.enc`,
            mimetype: "image/jpeg",
            caption: "what is this?",
            mediaKey,
            fileLength: photo.length,
          },
        },
        pushName: "Alice",
      }],
    });
    await until(() => inbound.length === 1, "the photo message");
    // Decrypted from the row the queue kept (its mediaKey written as BufferJSON), as a replay would.
    const admitted = await account.hydrate!(inbound[0]!, rows[0]);
    assert.deepEqual(saved[0]!.bytes, photo);
    assert.equal(saved[0]!.input.mimeType, "image/jpeg");
    assert.equal(admitted.text, "what is this?");
    assert.deepEqual(admitted.media?.map((m) => m.path), ["/media/inbound/a.jpg"]);
  } finally {
    await account.stop();
    await cdn.shutdown();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a file larger than mediaMaxMb is cut off while it streams, whatever size the sender declared", async () => {
  const mediaKey = crypto.getRandomValues(new Uint8Array(32));
  // 8 MiB of ciphertext behind a message that declares 5000 bytes; the limit is 1 MiB.
  const body = encryptMedia(new Uint8Array(8 * 1024 * 1024), mediaKey);
  let served = 0;
  let cancelled = false;
  const cdn = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    let offset = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= body.length) return controller.close();
          const chunk = body.subarray(offset, offset + 64 * 1024);
          offset += chunk.length;
          served = offset;
          controller.enqueue(chunk);
        },
        cancel() {
          cancelled = true;
        },
      }, { highWaterMark: 0 }),
    );
  });
  try {
    const message = {
      key: { id: "BIG1", remoteJid: "15552223333@s.whatsapp.net", fromMe: false },
      message: {
        imageMessage: {
          url: `http://127.0.0.1:${cdn.addr.port}/v/t62.7118-24/big.enc`,
          mimetype: "image/jpeg",
          mediaKey,
          fileLength: 5000,
        },
      },
    };
    await assert.rejects(
      downloadBaileysMedia(message, 1024 * 1024, undefined, { anyMediaHost: true }),
      /over the 1 MB limit/,
    );
    // The response is cancelled, not left open and paused, long before the 8 MiB are served.
    await until(() => cancelled, "the CDN response cancelled");
    assert.ok(served < body.length, `served all ${served} bytes of a file over the limit`);
  } finally {
    await cdn.shutdown();
  }
});

Deno.test("a message's file is fetched only from WhatsApp's CDN (https, *.whatsapp.net): the sender picks the URL", async () => {
  let requests = 0;
  const inside = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    requests++;
    return new Response("internal");
  });
  const photo = (media: Record<string, unknown>) => ({
    key: { id: "SSRF1", remoteJid: "15552223333@s.whatsapp.net", fromMe: false },
    message: { imageMessage: { mimetype: "image/jpeg", mediaKey: new Uint8Array(32), ...media } },
  });
  try {
    const url = `http://127.0.0.1:${inside.addr.port}/admin/reset`;
    await assert.rejects(downloadBaileysMedia(photo({ url }), 1024), /not on WhatsApp's media CDN/);
    await assert.rejects(
      downloadBaileysMedia(photo({ url, directPath: "/admin/reset" }), 1024),
      /not on WhatsApp's media CDN/,
    );
    await assert.rejects(
      downloadBaileysMedia(photo({ url: "https://mmg.whatsapp.net.evil.example/x" }), 1024),
      /not on WhatsApp's media CDN/,
    );
    assert.equal(requests, 0);
  } finally {
    await inside.shutdown();
  }
});
