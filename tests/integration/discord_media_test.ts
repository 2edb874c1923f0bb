import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { FAKE_LINES_ANSWER, FAKE_TRANSCRIPT, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { type FakeDiscord, startFakeDiscord } from "../support/fake_discord.ts";
import { freePort, type OpenclawProcess, startGateway, type TempHome, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "dc-media-token-0123456789abcdef";
const BOT_TOKEN = "discord-bot-token.media.test";
const ALICE = "1500000000000000001";
/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
/** An Ogg Opus voice message's first page (OpusHead), padded past the 1 KiB the reference skips below. */
function voiceMessage(): Uint8Array {
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

async function withDiscordMedia(
  dmPolicy: "open" | "pairing",
  body: (ctx: { discord: FakeDiscord; upstream: FakeUpstream; home: TempHome; proc: OpenclawProcess }) => Promise<void>,
) {
  await withDiscordHome(dmPolicy, "lines", async (ctx) => {
    const proc = await ctx.start();
    await body({ ...ctx, proc });
  });
}

/** A home for the gateway with Discord, a vision model and transcription; `start` runs (another) gateway on it. */
async function withDiscordHome(
  dmPolicy: "open" | "pairing",
  model: "lines" | "stall",
  body: (
    ctx: { discord: FakeDiscord; upstream: FakeUpstream; home: TempHome; start(): Promise<OpenclawProcess> },
  ) => Promise<void>,
) {
  const discord = startFakeDiscord(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: {
      providers: {
        fake: {
          baseUrl: upstream.url,
          api: "openai-completions",
          models: ["lines", "stall"].map((id) => ({ id, name: id, input: ["text", "image"] })),
        },
        // The transcription endpoint's provider and credentials, as the reference resolves them.
        openai: { baseUrl: upstream.url, apiKey: "sk-audio-key", models: [] },
      },
    },
    agents: { defaults: { model: { primary: `fake/${model}` } } },
    tools: {
      media: {
        models: [{ provider: "openai", model: "whisper-1", capabilities: ["audio"] }],
        audio: { enabled: true },
      },
    },
    channels: {
      discord: {
        token: BOT_TOKEN,
        mediaMaxMb: 1,
        ...(dmPolicy === "open" ? { dmPolicy: "open", allowFrom: ["*"] } : { dmPolicy: "pairing" }),
      },
    },
  });
  const running: OpenclawProcess[] = [];
  const start = async () => {
    const { proc } = await startGateway({ home: home.home, port, env: { DISCORD_API_URL: discord.apiUrl } });
    running.push(proc);
    await discord.waitForSessions(running.length, 20_000);
    return proc;
  };
  try {
    await body({ discord, upstream, home, start });
  } finally {
    for (const proc of running) await proc.stop();
    await discord.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

Deno.test("discord media: an image reaches a vision model as image input, a voice message is transcribed, an oversized file is named unavailable", async () => {
  await withDiscordMedia("open", async ({ discord, upstream, home }) => {
    const dm = discord.dmChannel(ALICE);
    // An image with words: fetched from the CDN without the bot token, kept, named and sent as an image_url part.
    discord.dm(ALICE, "what is this?", [{ bytes: PNG, filename: "pixel.png", contentType: "image/png" }]);
    await discord.waitForPosted((p) => p.length === 1, 20_000);
    assert.deepEqual(discord.posted.map((m) => [m.channelId, m.content]), [[dm, FAKE_LINES_ANSWER]]);
    assert.equal(discord.downloads.length, 1);
    assert.equal(discord.downloads[0]!.authorization, null, "the bot token never goes to the CDN");
    const kept = await Array.fromAsync(Deno.readDir(`${home.stateDir}/media/inbound`));
    assert.equal(kept.length, 1);
    const path = `${home.stateDir}/media/inbound/${kept[0]!.name}`;
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.deepEqual(lastUser(upstream).content, [
      { type: "text", text: `[media attached: ${path} (image/png) "pixel.png"]\nwhat is this?` },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } },
    ]);

    // A voice message (no words, IS_VOICE_MESSAGE): transcribed by the configured endpoint, then answered.
    discord.dm(ALICE, "", [{
      bytes: voiceMessage(),
      filename: "voice-message.ogg",
      contentType: "audio/ogg",
      voice: true,
    }]);
    await discord.waitForPosted((p) => p.length === 2, 20_000);
    assert.equal(discord.posted[1]!.content, FAKE_LINES_ANSWER);
    assert.equal(upstream.transcriptions.length, 1);
    assert.equal(upstream.transcriptions[0]!.fields.model, "whisper-1");
    assert.equal(upstream.transcriptions[0]!.file.size, 4000);
    assert.equal(
      lastUser(upstream).content,
      `[Audio transcript (machine-generated, untrusted)]: ${JSON.stringify(FAKE_TRANSCRIPT)}`,
    );

    // Over mediaMaxMb (1): never downloaded; the agent gets the words and the reference's note.
    discord.dm(ALICE, "here is the log", [{ bytes: new Uint8Array(1_500_000), filename: "big.bin" }]);
    await discord.waitForPosted((p) => p.length === 3, 20_000);
    assert.equal(lastUser(upstream).content, "here is the log\n\n[discord attachment unavailable]");
    assert.equal(discord.downloads.length, 2);
  });
});

Deno.test("discord media: a stranger's attachment is never downloaded; the pairing reply goes out as for text", async () => {
  await withDiscordMedia("pairing", async ({ discord, upstream, home, proc }) => {
    discord.dm(ALICE, "", [{ bytes: PNG, filename: "pixel.png", contentType: "image/png" }]);
    await discord.waitForPosted((p) => p.length === 1, 20_000);
    assert.match(discord.posted[0]!.content, /^OpenClaw: access not configured\./);
    await proc.waitForLine(/discord pairing request from 1500000000000000001/);
    assert.deepEqual(discord.downloads, []);
    assert.equal(upstream.requests.length, 0);
    await assert.rejects(() => Deno.stat(`${home.stateDir}/media/inbound`), Deno.errors.NotFound);
  });
});

Deno.test("discord media: an image DM whose answer a restart cut off is fetched again from the queue and answered once", async () => {
  await withDiscordHome("open", "stall", async ({ discord, upstream, home, start }) => {
    const first = await start();
    discord.dm(ALICE, "and this one?", [{ bytes: PNG, filename: "pixel.png", contentType: "image/png" }]);
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    assert.equal(discord.downloads.length, 1);
    assert.equal(await first.stop(), 0);
    assert.equal(discord.posted.length, 0, "nothing answered before the restart");

    const config = JSON.parse(await Deno.readTextFile(home.configPath));
    config.agents.defaults.model.primary = "fake/lines";
    await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
    await start();
    await discord.waitForPosted((p) => p.length === 1, 20_000);
    assert.equal(discord.posted[0]!.content, FAKE_LINES_ANSWER);
    // The kept event still names the CDN URL: the replay downloads the file again and gives it to the model.
    assert.equal(discord.downloads.length, 2);
    const content = lastUser(upstream).content;
    assert.ok(Array.isArray(content), JSON.stringify(content));
    assert.deepEqual(content[1], {
      type: "image_url",
      image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` },
    });
    assert.equal(upstream.requests.filter((r) => r.model === "lines").length, 1, "answered once");
  });
});

Deno.test("discord media: a kept image DM whose CDN URL expired before the replay is still answered once, with the note", async () => {
  await withDiscordHome("open", "stall", async ({ discord, upstream, home, start }) => {
    const first = await start();
    discord.dm(ALICE, "and this one?", [{ bytes: PNG, filename: "pixel.png", contentType: "image/png" }]);
    await until(() => upstream.requests.length === 1, "the run to reach the model");
    assert.equal(await first.stop(), 0);
    discord.expireAttachments();

    const config = JSON.parse(await Deno.readTextFile(home.configPath));
    config.agents.defaults.model.primary = "fake/lines";
    await Deno.writeTextFile(home.configPath, JSON.stringify(config, null, 2));
    const second = await start();
    await discord.waitForPosted((p) => p.length === 1, 20_000);
    assert.equal(discord.posted[0]!.content, FAKE_LINES_ANSWER);
    await second.waitForLine(/discord: failed to download attachment .*HTTP 404/);
    assert.equal(discord.downloads.length, 2, "the replay tried the kept URL once");
    assert.equal(lastUser(upstream).content, "and this one?\n\n[discord attachment unavailable]");
    assert.equal(upstream.requests.filter((r) => r.model === "lines").length, 1, "answered once");
  });
});
