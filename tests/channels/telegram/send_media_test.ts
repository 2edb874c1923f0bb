import assert from "node:assert/strict";
import { telegramMediaMethod } from "../../../src/channels/telegram/send_media.ts";
import type { OutboundMedia } from "../../../src/media/media_types.ts";

function media(mimeType: string, extra: Partial<OutboundMedia> = {}): OutboundMedia {
  const kind = mimeType.startsWith("image/")
    ? "image"
    : mimeType.startsWith("audio/")
    ? "audio"
    : mimeType.startsWith("video/")
    ? "video"
    : "document";
  return { kind, mimeType, path: "/ws/file", size: 1, ...extra };
}

Deno.test("telegramMediaMethod() picks the Bot API method as the reference does", () => {
  assert.equal(telegramMediaMethod(media("image/png")), "sendPhoto");
  assert.equal(telegramMediaMethod(media("image/gif")), "sendAnimation");
  assert.equal(telegramMediaMethod(media("video/mp4")), "sendVideo");
  assert.equal(telegramMediaMethod(media("audio/ogg", { voice: true })), "sendVoice");
  assert.equal(telegramMediaMethod(media("audio/ogg")), "sendAudio");
  // A voice note Telegram cannot play as one goes as an audio file.
  assert.equal(telegramMediaMethod(media("audio/wav", { voice: true, fileName: "x.wav" })), "sendAudio");
  assert.equal(telegramMediaMethod(media("application/pdf")), "sendDocument");
});
