// One client image made ready for the model, as the reference's normalizeInputImageBuffer does it:
// size checked on the decoded bytes, the type sniffed from the bytes (a declared `image/*` that
// is not an image is refused), then checked against the allowed types. HEIC/HEIF, which the
// reference converts to JPEG with a native image library, is refused here: we ship no converter.
import type { MediaSourceLimits } from "../config/resolve_http_media.ts";
import { normalizeMime } from "../config/resolve_http_media.ts";
import { decodeBase64, encodeBase64 } from "../media/base64.ts";
import { sniffMimeType } from "../media/sniff.ts";
import { MediaInputError } from "./media_input_error.ts";

/** An image as a run takes it. */
export interface RunImage {
  data: string;
  mimeType: string;
}

/** The decoded size of a base64 payload, from its length (the reference's estimate, before decoding). */
export function base64DecodedBytes(data: string): number {
  const compact = data.replace(/\s+/g, "");
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((compact.length * 3) / 4) - padding);
}

/** The payload without whitespace, or undefined when it is not base64 (the reference's canonical form). */
export function canonicalBase64(data: string): string | undefined {
  const compact = data.replace(/\s+/g, "");
  if (compact === "" || compact.length % 4 === 1) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  const unpadded = compact.replace(/=+$/, "");
  return unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, "=");
}

/**
 * A client's base64 payload decoded under `maxBytes`: the size is checked on the length before
 * anything is decoded, then the text must be base64. `label` and `kind` name it in the refusals
 * (`Image too large: …`, `image_url base64 source has invalid 'data' field`), as the reference words them.
 */
export function decodeWithin(
  data: string,
  maxBytes: number,
  label: string,
  kind: string,
): { bytes: Uint8Array; canonical: string } {
  const estimated = base64DecodedBytes(data);
  if (estimated > maxBytes) {
    throw new MediaInputError(`${label} too large: ${estimated} bytes (limit: ${maxBytes} bytes)`);
  }
  const canonical = canonicalBase64(data);
  if (!canonical) throw new MediaInputError(`${kind} base64 source has invalid 'data' field`);
  return { bytes: decodeBase64(canonical), canonical };
}

/** The refusal for an image our gateway cannot convert. */
export const HEIC_UNSUPPORTED =
  "HEIC/HEIF images are not supported by this gateway (it has no HEIC converter); send JPEG, PNG, GIF or WebP.";

/** Checks decoded image bytes and names their type; base64 `data` is reused when given (no re-encoding). */
export function normalizeImage(
  bytes: Uint8Array,
  declared: string | undefined,
  limits: MediaSourceLimits,
  data?: string,
): RunImage {
  if (bytes.byteLength > limits.maxBytes) {
    throw new MediaInputError(`Image too large: ${bytes.byteLength} bytes (limit: ${limits.maxBytes} bytes)`);
  }
  const declaredMime = normalizeMime(declared) ?? "application/octet-stream";
  const detected = sniffMimeType(bytes);
  if (declaredMime.startsWith("image/") && detected && !detected.startsWith("image/")) {
    throw new MediaInputError(`Unsupported image MIME type: ${detected}`);
  }
  const mimeType = detected?.startsWith("image/") ? detected : declaredMime;
  if (!limits.allowedMimes.has(mimeType)) throw new MediaInputError(`Unsupported image MIME type: ${mimeType}`);
  if (mimeType === "image/heic" || mimeType === "image/heif") {
    throw new MediaInputError(`Unsupported image MIME type: ${mimeType} (no converter)`, {
      clientMessage: HEIC_UNSUPPORTED,
    });
  }
  return { data: data ?? encodeBase64(bytes), mimeType };
}
