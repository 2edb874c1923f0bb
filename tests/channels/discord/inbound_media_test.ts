import assert from "node:assert/strict";
import {
  discordAttachmentsOf,
  fetchDiscordAttachments,
  IS_VOICE_MESSAGE,
  isDiscordCdn,
  unavailableNotice,
} from "../../../src/channels/discord/inbound_media.ts";
import type { MediaSaveInput, MediaStore, StoredMedia } from "../../../src/media/media_types.ts";

function fakeStore() {
  const saved: { bytes: Uint8Array; input: MediaSaveInput }[] = [];
  const store: MediaStore = {
    save: (bytes, input) => {
      saved.push({ bytes, input });
      const media: StoredMedia = { kind: "image", mimeType: "image/png", path: "/m/inbound/x.png", size: bytes.length };
      return Promise.resolve(media);
    },
    read: () => Promise.reject(new Error("unused")),
    prune: () => Promise.resolve(0),
  };
  return { store, saved };
}

const CDN = "https://cdn.discordapp.com/attachments/1/2/a.png?ex=1&is=2&hm=3";
/** An address of Discord's CDN, as a test lookup answers for its names. */
const PUBLIC_IP = "162.159.129.233";
/** A resolver answering the CDN's public address for every name (no DNS in unit tests). */
const publicLookup = () => Promise.resolve([{ address: PUBLIC_IP, family: 4 }]);

/** A fetch that records what it was asked and answers from a table of URLs. */
function fakeFetch(answers: Record<string, () => Response>) {
  const asked: { url: string; init: RequestInit | undefined }[] = [];
  const fn = (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    asked.push({ url, init });
    const answer = answers[url];
    return Promise.resolve(answer ? answer() : new Response("nope", { status: 404 }));
  };
  return { fetch: fn as typeof fetch, asked };
}

Deno.test("discordAttachmentsOf: each attachment with its name, type and size; a voice message is voice", () => {
  const refs = discordAttachmentsOf({
    flags: IS_VOICE_MESSAGE,
    attachments: [{
      id: "9",
      url: CDN,
      filename: "voice-message.ogg",
      size: 4000,
      content_type: "audio/ogg",
      waveform: "AAAA",
      duration_secs: 2.5,
    }],
  });
  assert.deepEqual(refs, [{
    id: "9",
    url: CDN,
    fileName: "voice-message.ogg",
    size: 4000,
    contentType: "audio/ogg",
    voice: true,
  }]);
  assert.equal(discordAttachmentsOf({ attachments: [{ id: "1", url: CDN, filename: "a.png" }] })[0]!.voice, false);
  assert.deepEqual(discordAttachmentsOf({ content: "hi" }), []);
  assert.deepEqual(discordAttachmentsOf(undefined), []);
});

Deno.test("isDiscordCdn: Discord's CDN hosts over https, or the origin DISCORD_API_URL names; nothing else", () => {
  assert.ok(isDiscordCdn(new URL(CDN), undefined));
  assert.ok(isDiscordCdn(new URL("https://media.discordapp.net/x.png"), undefined));
  assert.ok(isDiscordCdn(new URL("https://images-ext-1.discordapp.net/x.png"), undefined));
  assert.ok(!isDiscordCdn(new URL("http://cdn.discordapp.com/x.png"), undefined));
  assert.ok(!isDiscordCdn(new URL("https://cdn.discordapp.com.evil.test/x.png"), undefined));
  assert.ok(!isDiscordCdn(new URL("https://discord.com/api/v10/x"), undefined));
  assert.ok(!isDiscordCdn(new URL("http://127.0.0.1:9/x"), undefined));
  assert.ok(isDiscordCdn(new URL("http://127.0.0.1:9/x"), "http://127.0.0.1:9"));
  // Pointed at another Discord, files come from its origin only, as the reference's endpoint guard has it.
  assert.ok(!isDiscordCdn(new URL(CDN), "http://127.0.0.1:9"));
  assert.ok(!isDiscordCdn(new URL("http://127.0.0.1:10/x"), "http://127.0.0.1:9"));
});

Deno.test("unavailableNotice: the reference's words after the text, or alone", () => {
  assert.equal(unavailableNotice("look", 0), "look");
  assert.equal(unavailableNotice("look", 1), "look\n\n[discord attachment unavailable]");
  assert.equal(unavailableNotice("", 2), "[discord 2 attachments unavailable]");
});

Deno.test("fetchDiscordAttachments: the CDN file kept with the sender's claim, fetched without credentials", async () => {
  const { store, saved } = fakeStore();
  const { fetch, asked } = fakeFetch({ [CDN]: () => new Response(new Uint8Array([1, 2, 3])) });
  const [ref] = discordAttachmentsOf({
    attachments: [{ id: "1", url: CDN, filename: "a.png", size: 3, content_type: "image/png" }],
  });
  const result = await fetchDiscordAttachments([ref!], { store, maxBytes: 100, fetch, lookup: publicLookup });
  assert.deepEqual(result.failures, []);
  assert.equal(result.media.length, 1);
  assert.deepEqual(saved[0]!.input, {
    direction: "inbound",
    mimeType: "image/png",
    fileName: "a.png",
    voice: undefined,
    maxBytes: 100,
  });
  assert.deepEqual([...saved[0]!.bytes], [1, 2, 3]);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.init?.headers, undefined, "no Authorization (nor any header) goes to the CDN");
  assert.equal(asked[0]!.init?.redirect, "manual");
});

Deno.test("fetchDiscordAttachments: too large by its size, by its length header or while streaming: not kept", async () => {
  const { store, saved } = fakeStore();
  const big = "https://cdn.discordapp.com/attachments/1/2/big.bin";
  const lying = "https://cdn.discordapp.com/attachments/1/2/lying.bin";
  const streamed = "https://cdn.discordapp.com/attachments/1/2/streamed.bin";
  let pulled = 0;
  const { fetch, asked } = fakeFetch({
    [big]: () => new Response(new Uint8Array(200)),
    [lying]: () => new Response(new Uint8Array(200), { headers: { "content-length": "200" } }),
    [streamed]: () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            pulled++;
            controller.enqueue(new Uint8Array(60));
            if (pulled > 50) controller.close();
          },
        }),
      ),
  });
  const result = await fetchDiscordAttachments([
    { id: "a", url: big, fileName: "big.bin", size: 200, contentType: undefined, voice: false },
    { id: "b", url: lying, fileName: "lying.bin", size: 10, contentType: undefined, voice: false },
    { id: "c", url: streamed, fileName: "s.bin", size: undefined, contentType: undefined, voice: false },
  ], { store, maxBytes: 100, fetch, lookup: publicLookup });
  assert.equal(result.media.length, 0);
  assert.equal(result.failures.length, 3);
  assert.match(result.failures[0]!, /^attachment a: exceeds the 0MB limit/);
  assert.deepEqual(asked.map((a) => a.url), [lying, streamed], "the declared size refuses it before any request");
  assert.ok(pulled < 5, `stopped reading once over the limit (pulled ${pulled})`);
  assert.equal(saved.length, 0);
});

Deno.test("fetchDiscordAttachments: a URL or redirect off the CDN is never fetched; HTTP errors and stalls fail", async () => {
  const { store } = fakeStore();
  const redirecting = "https://cdn.discordapp.com/attachments/1/2/r.png";
  const failing = "https://cdn.discordapp.com/attachments/1/2/f.png";
  const stalling = "https://cdn.discordapp.com/attachments/1/2/s.png";
  let cancelled = false;
  const { fetch, asked } = fakeFetch({
    [redirecting]: () => new Response(null, { status: 302, headers: { location: "http://169.254.169.254/latest" } }),
    [failing]: () => new Response("gone", { status: 404 }),
    [stalling]: () =>
      new Response(
        new ReadableStream({
          cancel() {
            cancelled = true;
          },
        }),
      ),
  });
  const ref = (id: string, url: string) => ({
    id,
    url,
    fileName: undefined,
    size: 1,
    contentType: undefined,
    voice: false,
  });
  const result = await fetchDiscordAttachments([
    ref("off", "https://evil.test/a.png"),
    ref("redirect", redirecting),
    ref("http", failing),
    ref("stall", stalling),
  ], { store, maxBytes: 100, fetch, lookup: publicLookup, timeouts: { idleMs: 20, totalMs: 5_000 } });
  assert.deepEqual(result.failures, [
    "attachment off: https://evil.test is not Discord's CDN",
    "attachment redirect: http://169.254.169.254 is not Discord's CDN",
    "attachment http: download answered HTTP 404",
    "attachment stall: no data for 0.02 s",
  ]);
  assert.deepEqual(asked.map((a) => a.url), [redirecting, failing, stalling]);
  assert.ok(cancelled);
});

Deno.test("fetchDiscordAttachments: a CDN name that resolves to a private address, or a URL with credentials, is never fetched", async () => {
  const { store } = fakeStore();
  const inside = "https://files.discordapp.net/attachments/1/2/a.png";
  const creds = "https://user:pass@cdn.discordapp.com/attachments/1/2/a.png";
  const { fetch, asked } = fakeFetch({
    [inside]: () => new Response(new Uint8Array([1])),
    [creds]: () => new Response(new Uint8Array([1])),
  });
  const looked: string[] = [];
  const lookup = (host: string) => {
    looked.push(host);
    return Promise.resolve([{ address: host === "files.discordapp.net" ? "10.0.0.7" : PUBLIC_IP, family: 4 }]);
  };
  const ref = (id: string, url: string) => ({
    id,
    url,
    fileName: undefined,
    size: 1,
    contentType: undefined,
    voice: false,
  });
  const result = await fetchDiscordAttachments([ref("inside", inside), ref("creds", creds)], {
    store,
    maxBytes: 100,
    fetch,
    lookup,
  });
  assert.deepEqual(result.failures, [
    "attachment inside: Blocked: resolves to private/internal/special-use IP address",
    "attachment creds: credentials (user:password@) are not allowed in an attachment URL",
  ]);
  assert.deepEqual(asked, []);
  assert.deepEqual(looked, ["files.discordapp.net"]);
});

Deno.test("fetchDiscordAttachments: without a test fetch, a name resolving to loopback is refused before any connection", async () => {
  const { store } = fakeStore();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connected = false;
  const accepting = (async () => {
    for await (const conn of listener) {
      connected = true;
      conn.close();
    }
  })();
  try {
    const result = await fetchDiscordAttachments([{
      id: "loop",
      url: `https://cdn.discordapp.com:${listener.addr.port}/attachments/1/2/a.png`,
      fileName: undefined,
      size: 1,
      contentType: undefined,
      voice: false,
    }], { store, maxBytes: 100, lookup: () => Promise.resolve([{ address: "127.0.0.1", family: 4 }]) });
    assert.deepEqual(result.failures, [
      "attachment loop: Blocked: resolves to private/internal/special-use IP address",
    ]);
    assert.equal(connected, false);
  } finally {
    listener.close();
    await accepting.catch(() => {});
  }
});
