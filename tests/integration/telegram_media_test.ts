import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { FAKE_LINES_ANSWER, FAKE_TRANSCRIPT, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { type FakeTelegram, startFakeTelegram } from "../support/fake_telegram.ts";
import { freePort, type OpenclawProcess, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "tg-media-token-0123456789abcdef";
const BOT_TOKEN = "123456:TEST-media-bot-token";
/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
/** An Ogg Opus voice note's first page (OpusHead), padded past the 1 KiB the reference skips below. */
function voiceNote(): Uint8Array {
  const bytes = new Uint8Array(4000);
  bytes.set(new TextEncoder().encode("OggS"));
  bytes[5] = 2;
  bytes.set(new TextEncoder().encode("OpusHead"), 28);
  return bytes;
}

interface ChatRequest {
  messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
}

/** The last user message of the newest chat request the fake model received. */
function lastUser(upstream: FakeUpstream) {
  const request = upstream.requests.filter((r) => "messages" in r).at(-1) as unknown as ChatRequest;
  return request.messages.filter((m) => m.role === "user").at(-1)!;
}

async function withMediaGateway(
  vision: boolean | { dmPolicy: string },
  body: (
    ctx: { telegram: FakeTelegram; upstream: FakeUpstream; home: TempHome; proc: OpenclawProcess },
  ) => Promise<void>,
) {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: {
      providers: {
        fake: {
          baseUrl: upstream.url,
          api: "openai-completions",
          models: [{ id: "lines", name: "lines", input: vision === false ? ["text"] : ["text", "image"] }],
        },
        // The transcription endpoint's provider and credentials, as the reference resolves them.
        openai: { baseUrl: upstream.url, apiKey: "sk-audio-key", models: [] },
      },
    },
    agents: { defaults: { model: { primary: "fake/lines" } } },
    tools: {
      media: {
        models: [{ provider: "openai", model: "whisper-1", capabilities: ["audio"] }],
        audio: { enabled: true },
      },
    },
    channels: {
      telegram: {
        botToken: BOT_TOKEN,
        apiRoot: telegram.url,
        dmPolicy: "open",
        allowFrom: ["*"],
        mediaMaxMb: 1,
        ...(typeof vision === "object" ? { dmPolicy: vision.dmPolicy, allowFrom: [] } : {}),
      },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  try {
    await proc.waitForLine(/telegram\/default: polling as @oc_test_bot/);
    await body({ telegram, upstream, home, proc });
  } finally {
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

Deno.test("telegram media: a photo reaches a vision model as image input, a voice note is transcribed first, an oversized file is refused", async () => {
  await withMediaGateway(true, async ({ telegram, upstream, home }) => {
    // A photo with a caption: kept in the store, named in the prompt, and sent as an image_url part.
    telegram.push(telegram.media(42, { field: "photo", bytes: PNG, caption: "what is this?" }));
    await telegram.waitForSent((s) => s.length === 1, 20_000);
    assert.deepEqual(telegram.sent, [{ chatId: 42, text: FAKE_LINES_ANSWER }]);
    const kept = await Array.fromAsync(Deno.readDir(`${home.stateDir}/media/inbound`));
    assert.equal(kept.length, 1);
    const path = `${home.stateDir}/media/inbound/${kept[0]!.name}`;
    assert.match(kept[0]!.name, /^[0-9a-f-]{36}\.png$/);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const photo = lastUser(upstream);
    assert.ok(Array.isArray(photo.content), JSON.stringify(photo));
    assert.deepEqual(photo.content, [
      { type: "text", text: `[media attached: ${path} (image/png)]\nwhat is this?` },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } },
    ]);

    // A voice note without a caption: transcribed by the configured endpoint, its words framed as the reference does.
    telegram.push(telegram.media(42, { field: "voice", bytes: voiceNote(), mimeType: "audio/ogg" }));
    await telegram.waitForSent((s) => s.length === 2, 20_000);
    assert.equal(telegram.sent[1]!.text, FAKE_LINES_ANSWER);
    assert.equal(upstream.transcriptions.length, 1);
    const [asked] = upstream.transcriptions;
    assert.equal(asked!.fields.model, "whisper-1");
    assert.equal(asked!.authorization, "Bearer sk-audio-key");
    assert.equal(asked!.file.type, "audio/ogg");
    assert.equal(asked!.file.size, 4000);
    assert.match(asked!.file.name, /^[0-9a-f-]{36}\.ogg$/);
    assert.equal(
      lastUser(upstream).content,
      `[Audio transcript (machine-generated, untrusted)]: ${JSON.stringify(FAKE_TRANSCRIPT)}`,
    );

    // A file over the account's mediaMaxMb (1): the reference's reply, not downloaded, no run.
    const chatRequests = upstream.requests.length;
    telegram.push(telegram.media(42, { field: "document", bytes: new Uint8Array(1_500_000), fileName: "big.bin" }));
    await telegram.waitForSent((s) => s.length === 3, 20_000);
    assert.equal(telegram.sent[2]!.text, "⚠️ File too large. Maximum size is 1MB.");
    assert.equal(upstream.requests.length, chatRequests);
    assert.equal(telegram.downloads.length, 2);
  });
});

Deno.test("telegram media: a model without image input gets the reference's note instead of the image", async () => {
  await withMediaGateway(false, async ({ telegram, upstream }) => {
    telegram.push(telegram.media(42, { field: "photo", bytes: PNG, caption: "what is this?" }));
    await until(() => telegram.sent.length === 1, "the answer");
    assert.equal(lastUser(upstream).content, "what is this?\n\n[Image attachment could not be analyzed]");
  });
});

Deno.test("telegram media: a stranger's file is not downloaded; the pairing reply goes out as for text", async () => {
  await withMediaGateway({ dmPolicy: "pairing" }, async ({ telegram, upstream, home, proc }) => {
    telegram.push(telegram.media(77, { field: "photo", bytes: PNG, caption: "hi" }));
    await telegram.waitForSent((s) => s.length === 1, 20_000);
    assert.match(telegram.sent[0]!.text, /^OpenClaw: access not configured\./);
    await proc.waitForLine(/telegram pairing request from 77/);
    assert.deepEqual(telegram.downloads, []);
    assert.equal(upstream.requests.length, 0);
    await assert.rejects(() => Deno.stat(`${home.stateDir}/media/inbound`), Deno.errors.NotFound);
  });
});
