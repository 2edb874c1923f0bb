import assert from "node:assert/strict";
import {
  DOWNLOAD_FAILED_REPLY,
  fetchTelegramFile,
  telegramFileOf,
} from "../../../src/channels/telegram/inbound_media.ts";
import { telegramInbound } from "../../../src/channels/telegram/inbound_message.ts";
import type { MediaSaveInput, MediaStore, StoredMedia } from "../../../src/media/media_types.ts";

const BOT = { id: 999, username: "oc_test_bot" };

Deno.test("telegramFileOf: a photo's largest size; voice notes are voice; documents keep their name and type", () => {
  const photo = telegramFileOf({
    photo: [{ file_id: "small", file_size: 10 }, { file_id: "big", file_size: 900 }],
  });
  assert.deepEqual(photo, { fileId: "big", size: 900, mimeType: undefined, fileName: undefined, voice: false });
  assert.equal(telegramFileOf({ voice: { file_id: "v", mime_type: "audio/ogg" } })?.voice, true);
  assert.deepEqual(telegramFileOf({ document: { file_id: "d", file_name: "a.pdf", mime_type: "application/pdf" } }), {
    fileId: "d",
    size: undefined,
    mimeType: "application/pdf",
    fileName: "a.pdf",
    voice: false,
  });
  assert.equal(telegramFileOf({ text: "hi" }), undefined);
});

Deno.test("telegramInbound: a file's caption is the message text; a file without one is a message too", () => {
  const from = { id: 42, "is_bot": false, "first_name": "A" };
  const chat = { id: 42, type: "private" };
  const update = (message: Record<string, unknown>) =>
    ({ update_id: 1, message: { message_id: 5, date: 1, from, chat, ...message } }) as never;
  assert.equal(telegramInbound(update({ photo: [{ file_id: "p" }], caption: "look" }), BOT, "default")?.text, "look");
  assert.equal(telegramInbound(update({ voice: { file_id: "v" } }), BOT, "default")?.text, "");
  assert.equal(telegramInbound(update({ sticker: { file_id: "s" } }), BOT, "default"), undefined);
});

function fakeStore() {
  const saved: { bytes: Uint8Array; input: MediaSaveInput }[] = [];
  const store: MediaStore = {
    save: (bytes, input) => {
      saved.push({ bytes, input });
      const media: StoredMedia = { kind: "audio", mimeType: "audio/ogg", path: "/m/inbound/x.ogg", size: bytes.length };
      return Promise.resolve(media);
    },
    read: () => Promise.reject(new Error("unused")),
    prune: () => Promise.resolve(0),
  };
  return { store, saved };
}

Deno.test("fetchTelegramFile: getFile, then the file from <apiRoot>/file/bot<token>/<path>, kept with the sender's claim", async () => {
  const { store, saved } = fakeStore();
  const urls: string[] = [];
  const result = await fetchTelegramFile(
    { fileId: "v", size: 3, mimeType: "audio/ogg", fileName: undefined, voice: true },
    {
      getFile: () => Promise.resolve({ file_path: "voice/file_1.oga" }),
      apiRoot: "http://api.test",
      token: "1:T",
      store,
      maxBytes: 100 * 1024 * 1024,
      fetch: (input) => {
        urls.push(String(input));
        return Promise.resolve(new Response(new Uint8Array([1, 2, 3])));
      },
    },
  );
  assert.ok("media" in result);
  assert.deepEqual(urls, ["http://api.test/file/bot1:T/voice/file_1.oga"]);
  assert.deepEqual(saved[0]!.input, {
    direction: "inbound",
    mimeType: "audio/ogg",
    fileName: undefined,
    voice: true,
    // The Bot API's 20 MB cap wins over the account's 100.
    maxBytes: 20 * 1024 * 1024,
  });
});

Deno.test("fetchTelegramFile: too large by its size or its bytes is the reference's reply; a failed download is too", async () => {
  const { store, saved } = fakeStore();
  const deps = {
    getFile: () => Promise.resolve({ file_path: "d/f" }),
    apiRoot: "http://api.test",
    token: "1:T",
    store,
    maxBytes: 1024 * 1024,
    fetch: () => Promise.resolve(new Response(new Uint8Array(2 * 1024 * 1024))),
  };
  const ref = { fileId: "d", size: undefined, mimeType: undefined, fileName: "x.bin", voice: false };
  const bySize = await fetchTelegramFile({ ...ref, size: 5 * 1024 * 1024 }, deps);
  assert.deepEqual(bySize, {
    refused: "⚠️ File too large. Maximum size is 1MB.",
    reason: "file exceeds the 1MB limit",
  });
  assert.deepEqual(await fetchTelegramFile(ref, deps), bySize);
  const failed = await fetchTelegramFile(ref, {
    ...deps,
    fetch: () => Promise.resolve(new Response("", { status: 502 })),
  });
  assert.deepEqual(failed, { refused: DOWNLOAD_FAILED_REPLY, reason: "download failed: download answered HTTP 502" });
  assert.equal(saved.length, 0);
});

Deno.test("fetchTelegramFile: a file server that stalls (no answer, or a body that stops) is a failed download, not a hang", async () => {
  const { store, saved } = fakeStore();
  const deps = {
    getFile: () => Promise.resolve({ file_path: "d/f" }),
    apiRoot: "http://api.test",
    token: "1:T",
    store,
    maxBytes: 1024 * 1024,
    timeouts: { headersMs: 50, idleMs: 50 },
  };
  const ref = { fileId: "d", size: undefined, mimeType: undefined, fileName: "x.bin", voice: false };
  // Bounded: without the timeouts these never settle.
  const bounded = <T>(promise: Promise<T>) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      promise,
      new Promise<never>((_, reject) => timer = setTimeout(() => reject(new Error("download hung")), 5_000)),
    ]).finally(() => clearTimeout(timer));
  };
  const noAnswer = await bounded(fetchTelegramFile(ref, {
    ...deps,
    fetch: (_input, init) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))),
  }));
  assert.deepEqual(noAnswer, { refused: DOWNLOAD_FAILED_REPLY, reason: "download failed: no answer in time" });
  let cancelled = false;
  const stalledBody = await bounded(fetchTelegramFile(ref, {
    ...deps,
    fetch: () =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            start: (controller) => controller.enqueue(new Uint8Array(10)),
            cancel: () => void (cancelled = true),
          }),
        ),
      ),
  }));
  assert.deepEqual(stalledBody, { refused: DOWNLOAD_FAILED_REPLY, reason: "download failed: no data for 0.05 s" });
  assert.equal(cancelled, true);
  assert.equal(saved.length, 0);
});
