import assert from "node:assert/strict";
import { appendTranscript, readTranscript, type TranscriptMessage } from "../../src/sessions/transcript.ts";

const hello: TranscriptMessage = { role: "user", content: [{ type: "text", text: "hello" }], timestamp: 1 };
const answer: TranscriptMessage = {
  role: "assistant",
  content: [{ type: "text", text: "hi" }],
  timestamp: 2,
  usage: { input: 1, output: 1 },
};

Deno.test("a transcript reads back what was appended, skipping torn lines and entries that are not messages", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.jsonl`;
    await appendTranscript(path, [hello]);
    await Deno.writeTextFile(path, '{"type":"compaction","summary":"x"}\n', { append: true });
    await appendTranscript(path, [answer]);
    await Deno.writeTextFile(path, '{"type":"message","role":"assis', { append: true });
    assert.deepEqual(await readTranscript(path), [hello, answer]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a transcript that cannot be read is undefined, not an error", async () => {
  assert.equal(await readTranscript("/nonexistent/transcript.jsonl"), undefined);
});
