import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { resolveHttpMedia } from "../../src/config/resolve_http_media.ts";
import { chatImages } from "../../src/http/chat_images.ts";
import { responsesMedia, responsesMediaParts } from "../../src/http/responses_media.ts";
import { serialSlot } from "../../src/http/serial_slot.ts";

Deno.test("a refused media part: the client gets the reference's bare 400, the log says why (as the reference's)", async () => {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["openclaw", "gateway", "http"], sinks: ["memory"], lowestLevel: "warning" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
    reset: true,
  });
  try {
    const limits = resolveHttpMedia({});
    const signal = new AbortController().signal;
    await assert.rejects(
      chatImages(["data:image/png;base64,***"], limits.chatCompletions, signal),
      /Invalid image_url content in `messages`\./,
    );
    const parts = responsesMediaParts([{
      role: "user",
      content: [{ type: "input_file", source: { type: "base64", media_type: "application/zip", data: "UEsDBA==" } }],
    }]);
    await assert.rejects(responsesMedia(parts!.parts)(limits, signal, { pdf: serialSlot() }), /invalid request/);
    assert.deepEqual(records.map((r) => [r.level, r.rawMessage, String(r.properties.detail)]), [
      [
        "warning",
        "openai-compat: invalid image_url content: {detail}",
        "MediaInputError: image_url base64 source has invalid 'data' field",
      ],
      [
        "warning",
        "openresponses: request parsing failed: {detail}",
        "MediaInputError: Unsupported file MIME type: application/zip",
      ],
    ]);
  } finally {
    await reset();
  }
});
