// One client image made ready for the model, as the reference's normalizeInputImageBuffer does it:
// size checked on the decoded bytes, the type sniffed from the bytes (a declared `image/*` that
// is not an image is refused), then checked against the allowed types. HEIC/HEIF, which the
// reference converts to JPEG with a native image library, is refused here: we ship no converter.
import type { MediaSourceLimits } from "../config/resolve_http_media.ts";
import { normalizeMime } from "../config/resolve_http_media.ts";
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

/** Decodes a canonical base64 payload. */
export function decodeBase64(canonical: string): Uint8Array {
  return Uint8Array.from(atob(canonical), (c) => c.charCodeAt(0));
}

/** Encodes bytes as base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]);
const HEIF_BRANDS = new Set(["mif1", "msf1"]);

/** The type the bytes say they are (the formats the reference's sniffer tells apart here), or undefined. */
export function sniffMime(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 4) === "PNG") return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return "image/gif";
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "image/webp";
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === "ftyp") {
    const brand = ascii(bytes, 8, 12);
    if (HEIC_BRANDS.has(brand)) return "image/heic";
    if (HEIF_BRANDS.has(brand)) return "image/heif";
    if (brand === "avif" || brand === "avis") return "image/avif";
  }
  if (bytes.length >= 2 && ascii(bytes, 0, 2) === "BM") return "image/bmp";
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === "II*\0" || ascii(bytes, 0, 4) === "MM\0*")) return "image/tiff";
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === "%PDF-") return "application/pdf";
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) {
    return "application/zip";
  }
  return undefined;
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
  const detected = sniffMime(bytes);
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
