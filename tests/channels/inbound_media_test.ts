import assert from "node:assert/strict";
import {
  AUDIO_NO_MODEL,
  AUDIO_NOT_ANALYZED,
  IMAGE_NOT_ANALYZED,
  IMAGE_TOO_LARGE,
  IMAGE_UNSUPPORTED_FORMAT,
  type MediaUnderstanding,
  prepareInboundMedia,
  type TranscriptOutcome,
} from "../../src/channels/inbound_media.ts";
import type { StoredMedia } from "../../src/media/media_types.ts";

/** The start of a PNG (its signature and header chunk): what the sniffer knows a PNG by. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUg==";
const photo: StoredMedia = { kind: "image", mimeType: "image/png", path: "/s/media/inbound/a.png", size: 3 };
const voice: StoredMedia = {
  kind: "audio",
  mimeType: "audio/ogg",
  path: "/s/media/inbound/v.ogg",
  size: 9,
  voice: true,
};
const pdf: StoredMedia = {
  kind: "document",
  mimeType: "application/pdf",
  path: "/s/media/inbound/report---x.pdf",
  size: 9,
  fileName: "report.pdf",
};

function understanding(options: { vision?: boolean; transcript?: TranscriptOutcome; echo?: boolean } = {}) {
  const transcribed: string[] = [];
  const u: MediaUnderstanding = {
    acceptsImages: () => options.vision ?? true,
    transcribe: (media) => {
      transcribed.push(media.path);
      return Promise.resolve(options.transcript ?? { kind: "text", text: "water the plants" });
    },
    read: () => Promise.resolve(PNG),
    echo: (text) => options.echo ? `📝 "${text}"` : undefined,
  };
  return { u, transcribed };
}

Deno.test("prepareInboundMedia: an image for a vision model is image input, named by its kept path before the caption", async () => {
  const { u } = understanding();
  assert.deepEqual(await prepareInboundMedia("what is this?", [photo], "main", u), {
    text: "[media attached: /s/media/inbound/a.png (image/png)]\nwhat is this?",
    images: [{ data: PNG_B64, mimeType: "image/png" }],
  });
});

Deno.test("prepareInboundMedia: a model without image input gets the reference's note, not the image", async () => {
  const { u } = understanding({ vision: false });
  assert.deepEqual(await prepareInboundMedia("what is this?", [photo], "main", u), {
    text: `what is this?\n\n${IMAGE_NOT_ANALYZED}`,
    images: [],
  });
  assert.equal((await prepareInboundMedia("", [photo], "main", u)).text, IMAGE_NOT_ANALYZED);
});

Deno.test("prepareInboundMedia: a voice note's transcript is framed as machine-generated; with a caption, an [Audio] block", async () => {
  const { u, transcribed } = understanding({ echo: true });
  assert.deepEqual(await prepareInboundMedia("", [voice], "main", u), {
    text: '[Audio transcript (machine-generated, untrusted)]: "water the plants"',
    images: [],
    echo: '📝 "water the plants"',
    // What `message:transcribed` reports.
    transcript: "water the plants",
  });
  assert.equal(
    (await prepareInboundMedia("listen", [voice], "main", u)).text,
    "[Audio]\nUser text:\nlisten\nTranscript:\nwater the plants",
  );
  assert.deepEqual(transcribed, [voice.path, voice.path]);
});

Deno.test("prepareInboundMedia: audio that could not be transcribed is named and noted as the reference notes it", async () => {
  const failed = understanding({ transcript: { kind: "failed" } }).u;
  assert.equal(
    (await prepareInboundMedia("", [voice], "main", failed)).text,
    `[media attached: ${voice.path} (audio/ogg)]\n\n${AUDIO_NOT_ANALYZED}`,
  );
  const none = understanding({ transcript: { kind: "unconfigured" } }).u;
  assert.match(
    (await prepareInboundMedia("hi", [voice], "main", none)).text,
    new RegExp(`hi\\n\\n\\${AUDIO_NO_MODEL}$`),
  );
});

Deno.test("prepareInboundMedia: documents are named with the sender's file name; several files are counted", async () => {
  const { u } = understanding();
  assert.equal(
    (await prepareInboundMedia("read this", [pdf], "main", u)).text,
    `[media attached: ${pdf.path} (application/pdf) "report.pdf"]\nread this`,
  );
  assert.equal(
    (await prepareInboundMedia("", [photo, pdf], "main", u)).text,
    [
      "[media attached: 2 files]",
      `[media attached 1/2: ${photo.path} (image/png)]`,
      `[media attached 2/2: ${pdf.path} (application/pdf) "report.pdf"]`,
    ].join("\n"),
  );
});

Deno.test("prepareInboundMedia: an image over the inline limit (5 MB, which providers refuse) is named, not read, and noted as omitted", async () => {
  const read: string[] = [];
  const { u } = understanding();
  const big: StoredMedia = { ...photo, path: "/s/media/inbound/big.png", size: 5 * 1024 * 1024 + 1 };
  const prepared = await prepareInboundMedia("look", [big], "main", {
    ...u,
    read: (path) => {
      read.push(path);
      return Promise.resolve(new Uint8Array(big.size));
    },
  });
  assert.deepEqual(prepared, {
    text: `[media attached: /s/media/inbound/big.png (image/png)]\nlook\n\n${IMAGE_TOO_LARGE}`,
    images: [],
  });
  assert.deepEqual(read, []);
});

Deno.test("prepareInboundMedia: an image whose bytes are not JPEG/PNG/GIF/WebP (a claim, HEIC, BMP) is named and noted, not given inline", async () => {
  const { u } = understanding();
  const bmp = new Uint8Array([0x42, 0x4d, ...new Array(40).fill(0)]);
  for (const bytes of [new Uint8Array([1, 2, 3]), bmp]) {
    const prepared = await prepareInboundMedia("look", [photo], "main", { ...u, read: () => Promise.resolve(bytes) });
    assert.deepEqual(prepared, {
      text: `[media attached: /s/media/inbound/a.png (image/png)]\nlook\n\n${IMAGE_UNSUPPORTED_FORMAT}`,
      images: [],
    });
  }
});
