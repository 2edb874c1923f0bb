// Sending files on a channel in-process: uploads with the text as the first caption, the reference's
// IRC form (`Attachment:` lines) on a channel without files, and its per-file notices when refused.
import assert from "node:assert/strict";
import { sendAnswerFiles } from "../../src/channels/answer_files.ts";
import { deliverFiles, mediaFailureNotice, type OutboundFiles } from "../../src/channels/media_delivery.ts";
import type { ChannelAccount, InboundMessage } from "../../src/channels/types.ts";
import { getLogger } from "../../src/log/logger.ts";
import { type OutboundMedia, type StoredMedia } from "../../src/media/media_types.ts";
import { OutboundMediaError } from "../../src/media/outbound_refusal.ts";

const PNG: StoredMedia = { kind: "image", mimeType: "image/png", path: "/ws/a.png", size: 8, fileName: "a.png" };
const PDF: StoredMedia = { kind: "document", mimeType: "application/pdf", path: "/ws/b.pdf", size: 9 };

function account(withFiles: boolean) {
  const texts: string[] = [];
  const files: OutboundMedia[] = [];
  const created = {
    channel: "telegram",
    accountId: "default",
    textChunkLimit: 4000,
    streamBreak: "paragraph",
    send: (_target: string, text: string) => (texts.push(text), Promise.resolve({ messageId: `t${texts.length}` })),
    ...(withFiles
      ? {
        sendMedia: (_target: string, media: OutboundMedia) => (files.push(media), Promise.resolve({ messageId: "f" })),
      }
      : {}),
  } as unknown as ChannelAccount;
  return { account: created, texts, files };
}

Deno.test("deliverFiles() uploads each file in order, the text as the first one's caption", async () => {
  const net = account(true);
  const sent = await deliverFiles(net.account, "42", [{ reference: "a.png", media: PNG }, {
    reference: "b.pdf",
    media: PDF,
  }], "two files");
  assert.deepEqual(net.files.map((f) => [f.path, f.caption]), [["/ws/a.png", "two files"], ["/ws/b.pdf", undefined]]);
  assert.deepEqual(net.texts, []);
  assert.equal(sent.messages, 2);
});

Deno.test("deliverFiles() on a channel without files sends the text with the reference's Attachment: lines", async () => {
  const net = account(false);
  await deliverFiles(net.account, "#room", [{ reference: "./a.png", media: PNG }, {
    reference: "https://example.com/b.pdf",
    media: PDF,
  }], "look");
  assert.deepEqual(net.texts, ["look\n\nAttachment: ./a.png\nAttachment: https://example.com/b.pdf"]);
  const bare = account(false);
  await deliverFiles(bare.account, "#room", [{ reference: "./a.png", media: PNG }]);
  assert.deepEqual(bare.texts, ["Attachment: ./a.png"]);
});

Deno.test("mediaFailureNotice() words a refusal as the reference's reply media failures", () => {
  assert.equal(
    mediaFailureNotice("/x/missing.png", 0, new OutboundMediaError("file-not-found", "Local media file not found")),
    "⚠️ missing.png: File not found. Check the path and try again.",
  );
  assert.equal(
    mediaFailureNotice("tool.sh", 0, new OutboundMediaError("unsupported-format", "only allow")),
    "⚠️ tool.sh: Rejected by the local attachment allowlist. Send a supported file type.",
  );
  assert.equal(
    mediaFailureNotice("https://example.com/pics/cat.png?x=1", 2, new Error("boom")),
    "⚠️ cat.png: Delivery failed. Try sending this file again.",
  );
  assert.equal(
    mediaFailureNotice("https://example.com/", 2, new Error("boom")),
    "⚠️ Attachment 3: Delivery failed. Try sending this file again.",
  );
});

Deno.test("sendAnswerFiles() sends what passes and names what was refused, after it", async () => {
  const net = account(true);
  const files: OutboundFiles = {
    resolve: (reference) =>
      reference === "a.png" ? Promise.resolve(PNG) : Promise.reject(
        new OutboundMediaError("not-allowed", `Local media path is not under an allowed directory: ${reference}`),
      ),
    saveBuffer: () => Promise.reject(new Error("unused")),
  };
  const message = { channel: "telegram", accountId: "default", replyTo: "42" } as InboundMessage;
  await sendAnswerFiles({ files, log: getLogger("test") }, {
    account: net.account,
    message,
    agentId: "main",
    references: ["a.png", "/etc/secret.png"],
  });
  assert.deepEqual(net.files.map((f) => f.path), ["/ws/a.png"]);
  assert.deepEqual(net.texts, ["⚠️ secret.png: Delivery failed. Try sending this file again."]);
});

Deno.test("sendAnswerFiles() names only the upload that failed, and still sends the files after it", async () => {
  const net = account(true);
  const uploaded: string[] = [];
  const flaky = {
    ...net.account,
    sendMedia: (_target: string, media: OutboundMedia) =>
      media.path === "/ws/b.pdf"
        ? Promise.reject(new Error("413 Request Entity Too Large"))
        : (uploaded.push(media.path), Promise.resolve({ messageId: "f" })),
  } as ChannelAccount;
  const files: OutboundFiles = {
    resolve: (reference) => Promise.resolve(reference === "b.pdf" ? PDF : { ...PNG, path: `/ws/${reference}` }),
    saveBuffer: () => Promise.reject(new Error("unused")),
  };
  const message = { channel: "telegram", accountId: "default", replyTo: "42" } as InboundMessage;
  await sendAnswerFiles({ files, log: getLogger("test") }, {
    account: flaky,
    message,
    agentId: "main",
    references: ["a.png", "b.pdf", "c.png"],
  });
  assert.deepEqual(uploaded, ["/ws/a.png", "/ws/c.png"]);
  assert.deepEqual(net.texts, ["⚠️ b.pdf: Delivery failed. Try sending this file again."]);
});
