import assert from "node:assert/strict";
import { prepareChatAttachments } from "../../../src/rpc/methods/chat_attachments.ts";
import type { MediaSaveInput, MediaStore, StoredMedia } from "../../../src/media/media_types.ts";

const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

function deps(vision: boolean, maxBytes = 1024) {
  const saved: MediaSaveInput[] = [];
  const store: MediaStore = {
    save: (bytes, input) => {
      saved.push(input);
      const media: StoredMedia = {
        kind: "image",
        mimeType: "image/png",
        path: "/s/media/inbound/k.png",
        size: bytes.length,
      };
      return Promise.resolve(media);
    },
    read: () => Promise.reject(new Error("unused")),
    prune: () => Promise.resolve(0),
  };
  return { deps: { store, acceptsImages: () => vision, maxBytes: () => maxBytes }, saved };
}

Deno.test("chat attachments: an image inline for a vision model (data URL or bare base64), kept and named otherwise", async () => {
  const vision = deps(true);
  assert.deepEqual(
    await prepareChatAttachments(
      "hi",
      [{ type: "image", content: `data:image/png;base64,${PNG_B64}` }],
      "main",
      vision.deps,
    ),
    { message: "hi", images: [{ data: PNG_B64, mimeType: "image/png" }] },
  );
  assert.equal(vision.saved.length, 0);
  const text = deps(false);
  assert.deepEqual(await prepareChatAttachments("hi", [{ fileName: "dot.png", content: PNG_B64 }], "main", text.deps), {
    message: "hi\n[media attached: /s/media/inbound/k.png]",
    images: [],
  });
  assert.equal(text.saved[0]!.fileName, "dot.png");
  assert.equal(text.saved[0]!.mimeType, "image/png");
});

Deno.test("chat attachments: the reference's refusals (not base64, empty, too large, no content)", async () => {
  const { deps: d } = deps(true, 16);
  const refusal = (attachment: Record<string, unknown>) => prepareChatAttachments("x", [attachment], "main", d);
  await assert.rejects(
    refusal({ fileName: "a.png", content: "!!" }),
    /attachment a\.png: invalid base64 content/,
  );
  await assert.rejects(refusal({ type: "image", content: " " }), /attachment image: empty payload/);
  await assert.rejects(refusal({ content: PNG_B64 }), /attachment attachment-1: exceeds size limit \(70 > 16 bytes\)/);
  await assert.rejects(refusal({ fileName: "n", content: 5 }), /attachment n: content must be base64 string/);
});

Deno.test("chat attachments: bytes that are not JPEG/PNG/GIF/WebP (only claimed an image) are kept and named, never inline", async () => {
  const vision = deps(true);
  const notImage = btoa("just some text, claimed to be a picture");
  assert.deepEqual(
    await prepareChatAttachments(
      "hi",
      [{ type: "image", mimeType: "image/png", content: `data:image/png;base64,${notImage}` }],
      "main",
      vision.deps,
    ),
    { message: "hi\n[media attached: /s/media/inbound/k.png]", images: [] },
  );
  assert.equal(vision.saved.length, 1);
});
