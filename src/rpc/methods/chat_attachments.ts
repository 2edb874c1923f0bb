// `chat.send` attachments (the Control UI's image upload), as the reference reads them: each is
// `{type?, mimeType?, fileName?, content}` with base64 content (a `data:<type>;base64,` prefix is
// stripped), at most `agents.defaults.mediaMaxMb` decoded, typed from its bytes. An image up to 2 MB for
// a model that reads images goes inline as image input; anything else is kept in the media store and
// named in the message (`[media attached: <path>]`). Refusals use the reference's words.

import { decodeBase64, encodeBase64 } from "../../media/base64.ts";
import { checkedMimeType, inlineImageType } from "../../media/sniff.ts";
import type { MediaStore } from "../../media/media_types.ts";
import { RpcError } from "../errors.ts";

/** The reference's inline ceiling: larger images are kept and named instead. */
const OFFLOAD_THRESHOLD_BYTES = 2_000_000;
/** The reference's image ceiling (6 MiB). */
const MAX_IMAGE_BYTES = 6_291_456;

/** What attachments need: the store, whether the agent's model reads images, the size limit. */
export interface ChatAttachmentDeps {
  store: MediaStore;
  acceptsImages(agentId: string): boolean;
  /** `agents.defaults.mediaMaxMb` in bytes. */
  maxBytes(): number;
}

/** The message with kept files named, and the images given inline. */
export interface PreparedAttachments {
  message: string;
  images: { data: string; mimeType: string }[];
}

const refuse = (text: string) => new RpcError("INVALID_REQUEST", text);

/** Prepares `chat.send`'s attachments for the run (see the file comment); throws the reference's refusals. */
export async function prepareChatAttachments(
  message: string,
  attachments: readonly Record<string, unknown>[],
  agentId: string,
  deps: ChatAttachmentDeps,
): Promise<PreparedAttachments> {
  const maxBytes = deps.maxBytes();
  const images: PreparedAttachments["images"] = [];
  let text = message;
  for (const [index, attachment] of attachments.entries()) {
    const fileName = typeof attachment.fileName === "string" ? attachment.fileName : undefined;
    const label = fileName || (typeof attachment.type === "string" ? attachment.type : "") || `attachment-${index + 1}`;
    if (typeof attachment.content !== "string") throw refuse(`attachment ${label}: content must be base64 string`);
    let base64 = attachment.content.trim();
    const comma = base64.indexOf(",");
    if (comma >= 0 && /^data:[^;,]+;base64$/.test(base64.slice(0, comma))) base64 = base64.slice(comma + 1);
    if (base64.length === 0) throw refuse(`attachment ${label}: empty payload`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 === 1) {
      throw refuse(`attachment ${label}: invalid base64 content`);
    }
    const bytes = decodeBase64(base64);
    if (bytes.byteLength > maxBytes) {
      throw refuse(`attachment ${label}: exceeds size limit (${bytes.byteLength} > ${maxBytes} bytes)`);
    }
    const claim = typeof attachment.mimeType === "string" ? attachment.mimeType : undefined;
    const mimeType = checkedMimeType(bytes, claim, label);
    const image = mimeType.startsWith("image/");
    if (image && bytes.byteLength > MAX_IMAGE_BYTES) {
      throw refuse(`attachment ${label}: image exceeds size limit (${bytes.byteLength} > ${MAX_IMAGE_BYTES} bytes)`);
    }
    // Inline only what the bytes show a model takes (JPEG/PNG/GIF/WebP): anything else would stay in the
    // transcript and the provider would refuse the session's every later turn.
    const inline = image ? inlineImageType(bytes) : undefined;
    if (inline && bytes.byteLength <= OFFLOAD_THRESHOLD_BYTES && deps.acceptsImages(agentId)) {
      images.push({ data: encodeBase64(bytes), mimeType: inline });
      continue;
    }
    const kept = await deps.store.save(bytes, { direction: "inbound", mimeType, fileName: label, maxBytes });
    text += `\n[media attached: ${kept.path}]`;
  }
  return { message: text === message ? message : text.trimEnd(), images };
}
