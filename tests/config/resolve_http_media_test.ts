import assert from "node:assert/strict";
import { resolveHttpMedia } from "../../src/config/resolve_http_media.ts";

Deno.test("resolveHttpMedia(): the reference's defaults (chat images: no URL sources; responses: URL sources, 8 of them)", () => {
  const media = resolveHttpMedia({});
  assert.equal(media.chatCompletions.maxImageParts, 8);
  assert.equal(media.chatCompletions.maxTotalImageBytes, 20_971_520);
  assert.equal(media.chatCompletions.images.allowUrl, false);
  assert.equal(media.chatCompletions.images.maxBytes, 10_485_760);
  assert.deepEqual([...media.chatCompletions.images.allowedMimes], [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "image/heif",
  ]);
  assert.equal(media.responses.maxUrlParts, 8);
  assert.equal(media.responses.images.allowUrl, true);
  assert.equal(media.responses.files.allowUrl, true);
  assert.equal(media.responses.files.maxBytes, 5_242_880);
  assert.equal(media.responses.files.maxChars, 60_000);
  assert.deepEqual(media.responses.files.pdf, { maxPages: 4, maxPixels: 4_000_000, minTextChars: 200 });
  assert.deepEqual({ ...media.responses.files, allowedMimes: [...media.responses.files.allowedMimes] }.allowedMimes, [
    "text/plain",
    "text/markdown",
    "text/html",
    "text/csv",
    "application/json",
    "application/pdf",
  ]);
  assert.equal(media.responses.images.maxRedirects, 3);
  assert.equal(media.responses.images.timeoutMs, 10_000);
  assert.equal(media.responses.images.urlAllowlist, undefined);
});

Deno.test("resolveHttpMedia(): configured values win; MIME lists are normalized; an empty list means the defaults", () => {
  const media = resolveHttpMedia({
    gateway: {
      http: {
        endpoints: {
          chatCompletions: {
            images: { allowUrl: true, urlAllowlist: [" cdn.test ", ""], allowedMimes: ["Image/PNG; q=1"] },
          },
          responses: { maxUrlParts: 0, files: { allowedMimes: [], maxChars: 5, pdf: { maxPages: 2 } } },
        },
      },
    },
  });
  assert.equal(media.chatCompletions.images.allowUrl, true);
  assert.deepEqual(media.chatCompletions.images.urlAllowlist, ["cdn.test"]);
  assert.deepEqual([...media.chatCompletions.images.allowedMimes], ["image/png"]);
  assert.equal(media.responses.maxUrlParts, 0);
  assert.equal(media.responses.files.allowedMimes.size, 6);
  assert.equal(media.responses.files.maxChars, 5);
  assert.equal(media.responses.files.pdf.maxPages, 2);
});
