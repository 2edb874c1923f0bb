import assert from "node:assert/strict";
import {
  captureWorkContext,
  formatWorkContext,
  messageWithWorkContext,
  readStoredWorkContext,
  readWorkContext,
  WORK_CONTEXT_LIMITS,
} from "../../src/sessions/work_context.ts";
import { fromEvent, messageEvent } from "../../src/sessions/transcript_event.ts";

/** The reference 2026.9.6's recording (tools/record_reference_work_context.ts). */
const RECORDING = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/work_context/reference_work_context.json", import.meta.url)),
) as {
  client: { context: Record<string, string> };
  transcripts: { event: { message: { content: string; __openclaw: { workContext: unknown } } } }[];
};

Deno.test("captureWorkContext() orders, trims and drops empty fields as the reference's snapshot", () => {
  const stored = RECORDING.transcripts[0]!.event.message.__openclaw.workContext as { snapshot: unknown };
  assert.deepEqual(captureWorkContext(RECORDING.client.context), stored.snapshot);
  assert.deepEqual(Object.keys(captureWorkContext({ file: "f", page: "p", title: "  " })), ["page", "file"]);
  assert.deepEqual(captureWorkContext({ page: "   " }), { page: "" });
});

Deno.test("captureWorkContext() bounds each field's JSON string, quotes and escapes included", () => {
  // A 64-character page keeps 62: its quotes count.
  assert.equal(captureWorkContext({ page: "p".repeat(64) }).page, "p".repeat(62));
  // Escapes count twice: the cut takes the excess off the end.
  const selection = captureWorkContext({ page: "p", selection: "x".repeat(600) + '"'.repeat(40) }).selection!;
  assert.equal(selection, "x".repeat(598));
  // The cut may take all of it, as the reference's does: 640 quotes escape to 1280, cut by 642 is nothing.
  assert.deepEqual(captureWorkContext({ page: "p", selection: '"'.repeat(640) }), { page: "p" });
  // An emoji is never cut in half.
  const title = captureWorkContext({ page: "p", title: "a" + "\u{1F600}".repeat(60) }).title!;
  assert.ok(JSON.stringify(title).length <= WORK_CONTEXT_LIMITS.title);
  assert.ok(!/[\uD800-\uDBFF]$/.test(title), "no dangling high surrogate");
  assert.equal(title, "a" + "\u{1F600}".repeat(46));
});

Deno.test("formatWorkContext() and messageWithWorkContext() give the reference's model message", () => {
  const stored = RECORDING.transcripts[0]!.event.message;
  const snapshot = captureWorkContext(RECORDING.client.context);
  assert.equal(messageWithWorkContext("Summarize this", snapshot), stored.content);
  assert.equal(messageWithWorkContext("", { page: "chat" }), formatWorkContext({ page: "chat" }));
  assert.ok(formatWorkContext({ page: "chat" }).endsWith('\n{"page":"chat"}'));
});

Deno.test("readWorkContext() takes only a valid snapshot", () => {
  assert.deepEqual(readWorkContext({ page: "chat", file: "a" }), { page: "chat", file: "a" });
  assert.equal(readWorkContext({ page: "" }), undefined);
  assert.equal(readWorkContext({ title: "t" }), undefined);
  assert.equal(readWorkContext({ page: "chat", other: "x" }), undefined);
  assert.equal(readWorkContext({ page: "chat", file: 3 }), undefined);
  assert.equal(readWorkContext({ page: "p".repeat(65) }), undefined);
  assert.equal(readWorkContext(["chat"]), undefined);
  assert.deepEqual(readStoredWorkContext({ snapshot: { page: "chat" }, text: "hi" }), {
    snapshot: { page: "chat" },
    text: "hi",
  });
  assert.deepEqual(readStoredWorkContext({ snapshot: { page: "chat" } }), { snapshot: { page: "chat" } });
  assert.equal(readStoredWorkContext({ snapshot: { page: "" }, text: "hi" }), undefined);
});

Deno.test("a user row's working context is stored and read back as the reference's row holds it", () => {
  const recorded = RECORDING.transcripts[0]!.event.message;
  const message = fromEvent(JSON.stringify(RECORDING.transcripts[0]!.event))!;
  assert.deepEqual(message.workContext, recorded.__openclaw.workContext);
  assert.equal(message.content[0]?.type === "text" && message.content[0].text, recorded.content);
  const written = JSON.parse(
    messageEvent(message, { id: "a", parentId: null }),
  ) as typeof RECORDING.transcripts[0]["event"];
  assert.deepEqual(written.message.__openclaw.workContext, recorded.__openclaw.workContext);
});
