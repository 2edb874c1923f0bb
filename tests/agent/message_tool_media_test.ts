// The `message` tool's media fields in-process: the reference's names and order, a buffer kept in
// the media store, the agent named for the gateway's path check, and the reference's refusal.
import assert from "node:assert/strict";
import { mediaReferences, messageTool } from "../../src/agent/message_tool.ts";
import type { OutboundSend, ToolCall, ToolHost } from "../../src/agent/tool.ts";
import { ToolError } from "../../src/agent/tool.ts";
import { FileMediaStore } from "../../src/media/file_store.ts";

const call: ToolCall = {
  runId: "r1",
  toolCallId: "c1",
  agentId: "ops",
  sessionKey: "agent:ops:main",
  workspace: "/tmp",
  signal: new AbortController().signal,
  senderIsOwner: true,
  origin: { channel: "telegram", accountId: "default", to: "42" },
  update: () => {},
};

Deno.test("mediaReferences() reads media and its aliases, mediaUrls and attachments, once each, in the reference's order", () => {
  assert.deepEqual(
    mediaReferences({
      filePath: "b.pdf",
      media: "a.png",
      mediaUrls: ["c.png", "a.png"],
      attachments: [{ media: "d.ogg", name: "voice" }, { url: "https://example.com/e.jpg" }, "junk"],
    }),
    ["a.png", "c.png", "d.ogg", "https://example.com/e.jpg"],
  );
  assert.deepEqual(mediaReferences({ path: "only.png" }), ["only.png"]);
  assert.deepEqual(mediaReferences({ message: "no files" }), []);
});

Deno.test("message tool: a send with media and no text goes out with the files and the sending agent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-msgmedia-" });
  const sent: OutboundSend[] = [];
  const host = {
    send: (message: OutboundSend) => (sent.push(message), Promise.resolve({ messageId: "7" })),
    media: new FileMediaStore({ root: dir, maxBytes: () => 1024 * 1024, ttlMs: () => undefined }),
  } as unknown as ToolHost;
  try {
    const tool = messageTool(host);
    await tool.execute({ action: "send", media: "out/a.png" }, call);
    assert.deepEqual(sent[0], {
      channel: "telegram",
      to: "42",
      accountId: "default",
      text: "",
      media: [{ path: "out/a.png" }],
      agentId: "ops",
      // The sending run's session: the send's message:sent goes under it.
      sessionKey: "agent:ops:main",
    });
    const png = btoa(String.fromCharCode(137, 80, 78, 71, 13, 10, 26, 10));
    await tool.execute({ action: "send", buffer: png, filename: "dot.png", caption: "a dot" }, call);
    assert.equal(sent[1]!.text, "a dot");
    assert.ok(sent[1]!.media![0]!.path.startsWith(`${dir}/outbound/`));
    await assert.rejects(
      tool.execute({ action: "send" }, call),
      (error) => error instanceof ToolError && error.message === "send requires text or media or location",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
