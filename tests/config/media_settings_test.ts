import assert from "node:assert/strict";
import { classifyPath } from "../../src/config/reload_plan.ts";
import { audioSettings } from "../../src/config/media_audio_settings.ts";
import { modelAcceptsImages } from "../../src/config/model_input.ts";
import { channelMediaMaxBytes, mediaMaxBytes, mediaTtlMs } from "../../src/config/media_settings.ts";

Deno.test("media settings: agents.defaults.mediaMaxMb (20 MB unless set), a channel's mediaMaxMb, attachments.ttlHours", () => {
  assert.equal(mediaMaxBytes({}), 20 * 1024 * 1024);
  assert.equal(mediaMaxBytes({ agents: { defaults: { mediaMaxMb: 5 } } }), 5 * 1024 * 1024);
  assert.equal(mediaMaxBytes({ agents: { defaults: { mediaMaxMb: -1 } } } as never), 20 * 1024 * 1024);
  assert.equal(channelMediaMaxBytes(undefined, 7), 7);
  assert.equal(channelMediaMaxBytes(100, 7), 100 * 1024 * 1024);
  assert.equal(channelMediaMaxBytes("100", 7), 7);
  assert.equal(mediaTtlMs({}), undefined);
  assert.equal(mediaTtlMs({ attachments: { ttlHours: 24 } }), 86_400_000);
});

Deno.test("media settings reload hot: attachments.ttlHours and agents.defaults.mediaMaxMb need no restart", () => {
  assert.equal(classifyPath("attachments.ttlHours"), "hot");
  assert.equal(classifyPath("agents.defaults.mediaMaxMb"), "hot");
});

Deno.test("audio settings: tools.media.models audio entries in order, the audio section's defaults under them", () => {
  const settings = audioSettings({
    tools: {
      media: {
        models: [
          { provider: "openai", capabilities: ["audio"] },
          { provider: "google", model: "gemini", capabilities: ["image"] },
          { type: "cli", command: "whisper" },
          { provider: "groq", model: "whisper-large-v3", baseUrl: "http://groq.local/v1", timeoutSeconds: 5 },
        ],
        audio: { language: "de", echoTranscript: true },
      },
    },
  } as never);
  assert.deepEqual(settings.transcribers.map((t) => [t.provider, t.model, t.baseUrl, t.language, t.timeoutMs]), [
    ["openai", "gpt-4o-transcribe", undefined, "de", 60_000],
    ["groq", "whisper-large-v3", "http://groq.local/v1", "de", 5_000],
  ]);
  assert.equal(settings.enabled, true);
  assert.equal(settings.echoTranscript, true);
  assert.equal(settings.echoFormat, '📝 "{transcript}"');
  // No audio entry: a configured OpenAI or Groq provider is used; `enabled: false` turns it off.
  const auto = audioSettings({ models: { providers: { openai: { baseUrl: "http://o/v1" } } } } as never);
  assert.deepEqual(auto.transcribers.map((t) => t.provider), ["openai"]);
  assert.equal(audioSettings({ tools: { media: { audio: { enabled: false } } } } as never).enabled, false);
});

Deno.test("modelAcceptsImages: the model's input list, else the built-in vision families, else text only", () => {
  const catalog = [
    { id: "v", name: "v", provider: "fake", reasoning: false, available: true, input: ["text", "image"] },
    { id: "t", name: "t", provider: "fake", reasoning: false, available: true, input: ["text"] },
    { id: "claude-x", name: "c", provider: "anthropic", reasoning: false, available: true, input: ["text"] },
  ];
  assert.equal(modelAcceptsImages(catalog, { provider: "fake", model: "v" }), true);
  assert.equal(modelAcceptsImages(catalog, { provider: "fake", model: "t" }), false);
  assert.equal(modelAcceptsImages(catalog, { provider: "fake", model: "unlisted" }), false);
  assert.equal(modelAcceptsImages(catalog, { provider: "anthropic", model: "claude-x" }), false);
  assert.equal(modelAcceptsImages(catalog, { provider: "anthropic", model: "claude-sonnet-4-5" }), true);
  assert.equal(modelAcceptsImages(catalog, { provider: "openai", model: "gpt-4o-mini" }), true);
  assert.equal(modelAcceptsImages(catalog, undefined), false);
});

Deno.test("audio settings: a timeoutSeconds past what a timer holds waits as long as it can (a longer one aborted at once)", () => {
  const settings = audioSettings({
    tools: { media: { audio: { timeoutSeconds: 30 * 86_400 }, models: [{ provider: "openai" }] } },
  } as never);
  const timeoutMs = settings.transcribers[0]!.timeoutMs;
  assert.ok(timeoutMs > 86_400_000 && timeoutMs <= 2_147_483_647, String(timeoutMs));
});
