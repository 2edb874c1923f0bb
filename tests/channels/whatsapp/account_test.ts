// The WhatsApp account against a fake socket at Baileys' event boundary: it connects only when
// linked, hands DMs and group messages to the host with the reference's durable receipt, reads
// mentions, reconnects with backoff, stops on a logged-out session, sends text and files.
import assert from "node:assert/strict";
import { ChannelError } from "../../../src/channels/errors.ts";
import type { InboundMessage, InboundReceipt, ReplayRules } from "../../../src/channels/types.ts";
import {
  createWhatsAppAccount,
  LOGGED_OUT_MESSAGE,
  NOT_LINKED_MESSAGE,
  reconnectDelayMs,
} from "../../../src/channels/whatsapp/account.ts";
import { MEDIA_UNAVAILABLE_NOTICE } from "../../../src/channels/whatsapp/media.ts";
import type { WhatsAppAccountConfig } from "../../../src/config/resolve.ts";
import type { MediaSaveInput, MediaStore, StoredMedia } from "../../../src/media/media_types.ts";
import { FakeWaNetwork, waText } from "../../support/fake_wa_socket.ts";
import { until } from "../../support/until.ts";

const BOT = "15550001111";
const ALICE = "15552223333";
const GROUP = "120363000000000001@g.us";

/** A media store in memory: what was saved, readable back. */
class MemoryMediaStore implements MediaStore {
  saved: { bytes: Uint8Array; input: MediaSaveInput }[] = [];
  files = new Map<string, Uint8Array>();
  save(bytes: Uint8Array, input: MediaSaveInput): Promise<StoredMedia> {
    this.saved.push({ bytes, input });
    const path = `/media/${input.direction}/${this.saved.length}`;
    this.files.set(path, bytes);
    const kind = input.mimeType?.startsWith("audio/") ? "audio" : "image";
    return Promise.resolve({ kind, mimeType: input.mimeType ?? "application/octet-stream", path, size: bytes.length });
  }
  read(path: string): Promise<{ bytes: Uint8Array; media: StoredMedia }> {
    const bytes = this.files.get(path)!;
    return Promise.resolve({ bytes, media: { kind: "image", mimeType: "image/png", path, size: bytes.length } });
  }
  prune(): Promise<number> {
    return Promise.resolve(0);
  }
}

interface Side {
  network: FakeWaNetwork;
  account: Awaited<ReturnType<typeof createWhatsAppAccount>>;
  inbound: { message: InboundMessage; receipt: InboundReceipt | undefined }[];
  ready: (ReplayRules | undefined)[];
  media: MemoryMediaStore;
  authDir: string;
}

async function withAccount(
  options: { linked?: boolean; settings?: WhatsAppAccountConfig },
  body: (side: Side) => Promise<void>,
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-wa-account-" });
  const authDir = `${stateDir}/credentials/whatsapp/default`;
  if (options.linked !== false) {
    await Deno.mkdir(authDir, { recursive: true });
    await Deno.writeTextFile(`${authDir}/creds.json`, JSON.stringify({ me: { id: `${BOT}:7@s.whatsapp.net` } }));
  }
  const network = new FakeWaNetwork();
  const inbound: Side["inbound"] = [];
  const ready: Side["ready"] = [];
  const media = new MemoryMediaStore();
  const account = await createWhatsAppAccount({ accountId: "default", settings: options.settings ?? {} }, {
    env: {},
    stateDir,
    host: {
      inbound: (message, receipt) => {
        inbound.push({ message, receipt });
        return Promise.resolve();
      },
      ready: (rules) => void ready.push(rules),
      mountWebhook: () => () => {},
      media,
    },
  }, network.factory);
  account.start();
  try {
    await body({ network, account, inbound, ready, media, authDir });
  } finally {
    await account.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("an account with no linked session does not connect and says how to link", async () => {
  await withAccount({ linked: false }, async ({ network, account }) => {
    await until(() => account.status().lastError !== null, "the not-linked status");
    assert.equal(account.status().lastError, NOT_LINKED_MESSAGE);
    assert.equal(account.status().running, false);
    assert.equal(network.sockets.length, 0);
  });
});

Deno.test("a DM is handed over with the reference's receipt, marked read once admitted; the queue replays on open", async () => {
  await withAccount({}, async ({ network, account, inbound, ready, authDir }) => {
    const socket = await network.socket(1);
    assert.equal(socket.options.authDir, authDir);
    socket.open(BOT);
    await until(() => account.status().connected, "the open connection");
    assert.equal(ready.length, 1);
    socket.emit("messages.upsert", { type: "notify", messages: [waText({ id: "M1", from: ALICE, text: "hello" })] });
    await until(() => inbound.length === 1, "the DM");
    const { message, receipt } = inbound[0]!;
    assert.deepEqual(
      { ...message },
      {
        channel: "whatsapp",
        accountId: "default",
        messageId: "M1",
        peerKind: "direct",
        senderId: `+${ALICE}`,
        senderAliases: [`${ALICE}@s.whatsapp.net`],
        senderName: "Alice",
        groupId: undefined,
        replyTo: `+${ALICE}`,
        text: "hello",
        mentioned: true,
      },
    );
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${ALICE}@s.whatsapp.net\nM1`));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(receipt?.eventId, hex);
    assert.equal(receipt?.laneKey, `${ALICE}@s.whatsapp.net`);
    assert.equal(receipt?.raw?.version, 1);
    // Nothing is marked read on arrival: only once the gate admits it (`hydrate`, which the queue calls after it).
    assert.equal(socket.read.length, 0);
    await account.hydrate!(message, { ...receipt!.raw, message });
    assert.deepEqual(socket.read.map((key) => key.id), ["M1"]);
    // A kept row the reference wrote (only the Baileys message) reads back as the same message.
    const decoded = ready[0]!.decode!(receipt!.raw!);
    assert.equal(decoded?.senderId, `+${ALICE}`);
    assert.equal(decoded?.text, "hello");
  });
});

Deno.test("group messages: a native mention of the bot is a mention (and is cut from the text), others are not", async () => {
  await withAccount(
    { settings: { mentionPatterns: ["\\bclaw\\b"], sendReadReceipts: false } },
    async ({ network, inbound }) => {
      const socket = await network.socket(1);
      socket.open(BOT, "99887766@lid");
      socket.emit("messages.upsert", {
        type: "notify",
        messages: [
          waText({
            id: "G1",
            from: ALICE,
            group: GROUP,
            text: `@${BOT} what time is it`,
            mentions: [`${BOT}@s.whatsapp.net`],
          }),
          waText({ id: "G2", from: ALICE, group: GROUP, text: "just chatting" }),
          waText({ id: "G3", from: ALICE, group: GROUP, text: "@99887766 hi", mentions: ["99887766@lid"] }),
          waText({ id: "G4", from: ALICE, group: GROUP, text: "hey claw, help" }),
          waText({ id: "G5", from: ALICE, group: GROUP, text: `@444 ${BOT}`, mentions: ["444@s.whatsapp.net"] }),
        ],
      });
      await until(() => inbound.length === 5, "the group messages");
      const byId = Object.fromEntries(inbound.map(({ message }) => [message.messageId, message]));
      assert.equal(byId.G1!.peerKind, "group");
      assert.equal(byId.G1!.groupId, GROUP);
      assert.equal(byId.G1!.replyTo, GROUP);
      assert.equal(byId.G1!.senderId, `+${ALICE}`);
      assert.equal(byId.G1!.mentioned, true);
      assert.equal(byId.G1!.text, "what time is it");
      assert.equal(byId.G2!.mentioned, false);
      assert.equal(byId.G3!.mentioned, true, "a mention of the bot's LID");
      assert.equal(byId.G4!.mentioned, true, "mentionPatterns");
      assert.equal(byId.G5!.mentioned, false, "a native mention of someone else, with the bot's number in the text");
      assert.equal(socket.read.length, 0, "sendReadReceipts: false");
    },
  );
});

Deno.test("own messages, status posts and history are not handed over", async () => {
  await withAccount({}, async ({ network, inbound }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    const own = waText({ id: "O1", from: ALICE, text: "mine" });
    own.key!.fromMe = true;
    const status = waText({ id: "S1", from: ALICE, text: "status", group: "status@broadcast" });
    socket.emit("messages.upsert", { type: "notify", messages: [own, status] });
    socket.emit("messages.upsert", { type: "append", messages: [waText({ id: "H1", from: ALICE, text: "old" })] });
    socket.emit("messages.upsert", { type: "notify", messages: [waText({ id: "N1", from: ALICE, text: "new" })] });
    await until(() => inbound.length === 1, "the new message");
    assert.equal(inbound[0]!.message.messageId, "N1");
  });
});

Deno.test("a dropped connection is reconnected with backoff; after pairing (515) at once", async () => {
  await withAccount({}, async ({ network, account }) => {
    const first = await network.socket(1);
    first.open(BOT);
    first.close(515, "restart required");
    const second = await network.socket(2, 1000);
    assert.equal(account.status().reconnectAttempts, 0);
    second.open(BOT);
    second.close(428, "Connection Closed");
    await until(() => account.status().reconnectAttempts === 1, "the counted attempt");
    assert.match(account.status().lastError ?? "", /status=428/);
    const third = await network.socket(3);
    third.open(BOT);
    await until(() => account.status().connected, "the reconnection");
    assert.equal(account.status().reconnectAttempts, 0);
    assert.equal(account.status().lastError, null);
  });
  // WhatsApp asking again and again is not answered at once each time (a reconnect loop at network speed).
  await withAccount({}, async ({ network, account }) => {
    const first = await network.socket(1);
    first.open(BOT);
    first.close(515, "restart required");
    const second = await network.socket(2, 1000);
    second.open(BOT);
    second.close(515, "restart required");
    await until(() => account.status().reconnectAttempts === 1, "the second restart counted, with backoff");
    assert.equal(network.sockets.length, 2);
  });
  for (let attempt = 1; attempt <= 12; attempt++) {
    const delay = reconnectDelayMs(attempt, () => 0.5);
    assert.equal(delay, Math.round(Math.min(30_000, 2000 * 1.8 ** (attempt - 1))));
  }
  assert.equal(reconnectDelayMs(1, () => 0), 1500);
});

Deno.test("a logged-out session (401) stops the account and says so; nothing reconnects", async () => {
  await withAccount({}, async ({ network, account }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    socket.close(401, "Connection Failure");
    await until(() => !account.status().running, "the stop");
    assert.equal(account.status().lastError, LOGGED_OUT_MESSAGE);
    assert.equal(account.status().connected, false);
    assert.equal(network.sockets.length, 1);
  });
});

Deno.test("send: a phone number or a group JID; refused with the reference's words when not connected", async () => {
  await withAccount({}, async ({ network, account }) => {
    const socket = await network.socket(1);
    await assert.rejects(
      account.send(`+${ALICE}`, "early"),
      (error) =>
        error instanceof ChannelError && error.kind === "unavailable" &&
        error.message.startsWith("No active WhatsApp Web listener (account: default)."),
    );
    socket.open(BOT);
    await until(() => account.status().connected, "the open connection");
    assert.deepEqual(await account.send(`whatsapp:+${ALICE}`, "hi"), { messageId: "SENT1" });
    await account.send(GROUP, "to the group");
    assert.deepEqual(socket.sent, [
      { jid: `${ALICE}@s.whatsapp.net`, content: { text: "hi" } },
      { jid: GROUP, content: { text: "to the group" } },
    ]);
    await assert.rejects(
      account.send("nobody", "x"),
      (error) => error instanceof ChannelError && error.kind === "invalid",
    );
    assert.ok(account.status().lastOutboundAt);
  });
});

Deno.test("inbound files are downloaded only by hydrate (after the gate), from the kept row; a failed download says so", async () => {
  await withAccount({ settings: { mediaMaxMb: 1 } }, async ({ network, account, inbound, media }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    // What the durable queue hands `hydrate`: the receipt's payload with the normalized message beside it.
    const hydrate = (index: number) =>
      account.hydrate!(inbound[index]!.message, { ...inbound[index]!.receipt!.raw, message: inbound[index]!.message });
    const photo = {
      key: { id: "P1", remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false },
      message: { imageMessage: { mimetype: "image/jpeg", caption: "look", mediaKey: new Uint8Array([1, 2, 3]) } },
      pushName: "Alice",
    };
    socket.emit("messages.upsert", { type: "notify", messages: [photo] });
    await until(() => inbound.length === 1, "the photo");
    // Stored unfetched: nothing is downloaded before the gate has seen the sender.
    assert.equal(socket.downloads.length, 0);
    assert.equal(inbound[0]!.message.media, undefined);
    // The kept Baileys message carries its bytes as Baileys' BufferJSON does.
    const kept = inbound[0]!.receipt!.raw!.rawMessage as { message: { imageMessage: { mediaKey: unknown } } };
    assert.deepEqual(kept.message.imageMessage.mediaKey, { type: "Buffer", data: "AQID" });
    const admitted = await hydrate(0);
    assert.equal(admitted.text, "look");
    assert.equal(admitted.media?.[0]?.path, "/media/inbound/1");
    assert.deepEqual(media.saved[0]!.input, {
      direction: "inbound",
      mimeType: "image/jpeg",
      fileName: undefined,
      voice: false,
      maxBytes: 1024 * 1024,
    });
    // The download gets the Baileys message back with its bytes as bytes.
    const downloaded = socket.downloads[0]!.message as { imageMessage: { mediaKey: unknown } };
    assert.deepEqual(downloaded.imageMessage.mediaKey, new Uint8Array([1, 2, 3]));

    // Declared over mediaMaxMb (1 MB here): not downloaded.
    const big = {
      key: { id: "B1", remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false },
      message: { documentMessage: { mimetype: "application/pdf", fileName: "big.pdf", fileLength: 2 * 1024 * 1024 } },
    };
    socket.emit("messages.upsert", { type: "notify", messages: [big] });
    await until(() => inbound.length === 2, "the big document");
    assert.equal((await hydrate(1)).text, MEDIA_UNAVAILABLE_NOTICE);
    assert.equal(socket.downloads.length, 1);

    socket.media = new Error("media expired");
    const voice = {
      key: { id: "V1", remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false },
      message: { audioMessage: { mimetype: "audio/ogg; codecs=opus", ptt: true } },
    };
    socket.emit("messages.upsert", { type: "notify", messages: [voice] });
    await until(() => inbound.length === 3, "the voice note");
    const failed = await hydrate(2);
    assert.equal(failed.text, MEDIA_UNAVAILABLE_NOTICE);
    assert.equal(failed.media, undefined);
  });
});

Deno.test("sendMedia: images with their caption, voice notes as ptt audio, documents with their name", async () => {
  await withAccount({}, async ({ network, account, media }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    await until(() => account.status().connected, "the open connection");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    media.files.set("/media/outbound/a.png", png);
    media.files.set("/media/outbound/v.ogg", png);
    media.files.set("/media/outbound/r.pdf", png);
    const to = `+${ALICE}`;
    const base = { size: 4 };
    await account.sendMedia!(to, {
      ...base,
      kind: "image",
      mimeType: "image/png",
      path: "/media/outbound/a.png",
      caption: "chart",
    });
    await account.sendMedia!(to, {
      ...base,
      kind: "audio",
      mimeType: "audio/ogg",
      path: "/media/outbound/v.ogg",
      voice: true,
    });
    await account.sendMedia!(to, {
      ...base,
      kind: "document",
      mimeType: "application/pdf",
      path: "/media/outbound/r.pdf",
      fileName: "report.pdf",
    });
    const jid = `${ALICE}@s.whatsapp.net`;
    assert.deepEqual(socket.sent, [
      { jid, content: { image: png, caption: "chart", mimetype: "image/png" } },
      { jid, content: { audio: png, mimetype: "audio/ogg", ptt: true } },
      { jid, content: { document: png, caption: undefined, mimetype: "application/pdf", fileName: "report.pdf" } },
    ]);
  });
});

Deno.test("stop waits for the credential writes in flight (a logout right after must not see them land)", async () => {
  await withAccount({}, async ({ network, account }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    const writes = Promise.withResolvers<void>();
    socket.flushed = () => writes.promise;
    let stopped = false;
    const stopping = account.stop().then(() => stopped = true);
    await until(() => socket.ended, "the socket closed");
    // Let the account settle everything it does not wait for; it must still be waiting for the writes.
    for (let turn = 0; turn < 20; turn++) await Promise.resolve();
    assert.equal(stopped, false, "stop returned while credentials were still being written");
    writes.resolve();
    await stopping;
  });
});

Deno.test("a chat's messages are handed over in the order they came, a photo undownloaded (the gate decides first)", async () => {
  await withAccount({}, async ({ network, inbound }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    const photo = {
      key: { id: "P1", remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false },
      message: { imageMessage: { mimetype: "image/jpeg", mediaKey: new Uint8Array([1]) } },
    };
    socket.emit("messages.upsert", { type: "notify", messages: [photo] });
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waText({ id: "T1", from: ALICE, text: "what is this?" })],
    });
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [waText({ id: "O1", from: "15557778888", text: "hi" })],
    });
    await until(() => inbound.length === 3, "the three messages");
    const alices = inbound.filter((entry) => entry.message.senderId === `+${ALICE}`);
    assert.deepEqual(alices.map((entry) => entry.message.messageId), ["P1", "T1"]);
    assert.equal(socket.downloads.length, 0);
  });
});

Deno.test("hydrate downloads from a row the reference wrote (the Baileys message under `message`, bytes as BufferJSON)", async () => {
  await withAccount({}, async ({ network, account, media }) => {
    const socket = await network.socket(1);
    socket.open(BOT);
    await until(() => account.status().connected, "the open connection");
    const row = {
      version: 1,
      receivedAt: 1_764_000_000_000,
      message: {
        key: { id: "R1", remoteJid: `${ALICE}@s.whatsapp.net`, fromMe: false },
        message: { imageMessage: { mimetype: "image/jpeg", mediaKey: { type: "Buffer", data: "AQID" } } },
        pushName: "Alice",
      },
    };
    const decoded = account.hydrate!({
      channel: "whatsapp",
      accountId: "default",
      messageId: "R1",
      peerKind: "direct",
      senderId: `+${ALICE}`,
      senderAliases: [],
      senderName: "Alice",
      groupId: undefined,
      replyTo: `+${ALICE}`,
      text: "",
      mentioned: true,
    }, row);
    const admitted = await decoded;
    assert.equal(admitted.media?.length, 1);
    assert.equal(media.saved.length, 1);
    const downloaded = socket.downloads[0]!.message as { imageMessage: { mediaKey: unknown } };
    assert.deepEqual(downloaded.imageMessage.mediaKey, new Uint8Array([1, 2, 3]));
  });
});
