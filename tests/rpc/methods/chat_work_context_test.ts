import assert from "node:assert/strict";
import { applyWorkContext } from "../../../src/rpc/methods/chat_work_context.ts";
import { messageView } from "../../../src/rpc/methods/session_view.ts";
import { formatWorkContext } from "../../../src/sessions/work_context.ts";

/** The refusal's message, or undefined when the send is taken. */
function refused(message: string, page: string, hasAttachments = false): string | undefined {
  try {
    applyWorkContext(message, { page }, hasAttachments);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

Deno.test("applyWorkContext() takes an ordinary message: trimmed text, then the context", () => {
  assert.deepEqual(applyWorkContext("  hi  ", { page: " chat " }, false), {
    message: `hi\n\n${formatWorkContext({ page: "chat" })}`,
    workContext: { snapshot: { page: "chat" }, text: "hi" },
  });
  // Attachments alone: the context is the whole message.
  assert.equal(applyWorkContext(" ", { page: "chat" }, true).message, formatWorkContext({ page: "chat" }));
});

Deno.test("applyWorkContext() refuses what the reference refuses, in its words", () => {
  const ordinary = "Working context is only supported for ordinary chat messages.";
  assert.equal(refused("/status", "chat"), ordinary);
  assert.equal(refused("  /btw what now", "chat"), ordinary);
  assert.equal(refused("!ls", "chat"), ordinary);
  assert.equal(refused("stop", "chat"), ordinary);
  assert.equal(refused("hi", "   "), "Working context requires a nonempty page.");
  assert.equal(refused("", "chat"), "message or attachment required");
  assert.equal(refused("what stops it?", "chat"), undefined);
});

Deno.test("messageView() shows a context row as the reference's chat.history: the typed text and the snapshot", () => {
  const snapshot = { page: "chat", file: "a.md" };
  const view = messageView(
    {
      role: "user",
      content: [{ type: "text", text: `hi\n\n${formatWorkContext(snapshot)}` }],
      timestamp: 1,
      runId: "r1",
      senderIsOwner: true,
      workContext: { snapshot, text: "hi" },
    },
    1,
    "s1",
  );
  assert.equal(view.content, "hi");
  assert.deepEqual((view.__openclaw as Record<string, unknown>).workContext, { snapshot });
  // A row without the typed text shows what it holds.
  const older = messageView(
    {
      role: "user",
      content: [{ type: "text", text: "whole" }],
      timestamp: 1,
      workContext: { snapshot },
    },
    2,
    "s1",
  );
  assert.equal(older.content, "whole");
  assert.deepEqual((older.__openclaw as Record<string, unknown>).workContext, { snapshot });
});
