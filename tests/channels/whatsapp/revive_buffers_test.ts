// Bytes in a kept Baileys message (BufferJSON's `{type: "Buffer", data}`) made bytes again for the download; a
// malformed one is left as it is rather than throwing, so one bad row cannot stop a replay.
import assert from "node:assert/strict";
import { reviveBuffers } from "../../../src/channels/whatsapp/inbound_message.ts";

Deno.test("reviveBuffers: base64 and byte-array Buffers become bytes; malformed base64 is left as it was", () => {
  const revived = reviveBuffers({
    imageMessage: {
      mediaKey: { type: "Buffer", data: "AQID" },
      fileSha256: { type: "Buffer", data: [4, 5] },
      bad: { type: "Buffer", data: "!!not base64!!" },
    },
  });
  const image = (revived as { imageMessage: Record<string, unknown> }).imageMessage;
  assert.deepEqual(image.mediaKey, new Uint8Array([1, 2, 3]));
  assert.deepEqual(image.fileSha256, new Uint8Array([4, 5]));
  assert.deepEqual(image.bad, { type: "Buffer", data: "!!not base64!!" });
});
