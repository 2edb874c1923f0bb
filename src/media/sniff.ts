// What a file is, from its first bytes: the media store trusts the bytes over a sender's claim (a
// "photo" that is really a PDF is kept as a document), and picks the kind and the file extension
// from the checked type. The table covers what chat apps carry; anything else keeps the claim.

import type { MediaKind } from "./media_types.ts";

/** The file extension the media store gives a type (the reference's table, trimmed to what is sniffed or claimed). */
const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/gif": ".gif",
  "image/webp": ".webp",
  "image/bmp": ".bmp",
  "image/heic": ".heic",
  "image/avif": ".avif",
  "image/tiff": ".tiff",
  "audio/ogg": ".ogg",
  "audio/mpeg": ".mp3",
  "audio/wav": ".wav",
  "audio/flac": ".flac",
  "audio/aac": ".aac",
  "audio/amr": ".amr",
  "audio/opus": ".opus",
  "audio/mp4": ".m4a",
  "audio/x-m4a": ".m4a",
  "audio/webm": ".webm",
  "video/mp4": ".mp4",
  "video/quicktime": ".mov",
  "video/webm": ".webm",
  "video/x-matroska": ".mkv",
  "application/pdf": ".pdf",
  "application/zip": ".zip",
  "application/gzip": ".gz",
  "application/json": ".json",
  "text/plain": ".txt",
  "text/markdown": ".md",
  "text/csv": ".csv",
};

/** Types whose names differ but mean one thing (the reference folds these too). */
const SYNONYMS: Readonly<Record<string, string>> = {
  "image/jpg": "image/jpeg",
  "audio/mp3": "audio/mpeg",
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/m4a": "audio/mp4",
  "video/matroska": "video/x-matroska",
};

const ascii = (bytes: Uint8Array, start: number, text: string): boolean => {
  if (bytes.length < start + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
};

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);

/** The type an ISO base media file (`ftyp` box) declares: audio for M4A brands, HEIC/AVIF images, else video. */
function isoBaseType(bytes: Uint8Array): string {
  const brand = String.fromCharCode(...bytes.subarray(8, 12));
  if (brand === "M4A " || brand === "M4B ") return "audio/mp4";
  if (brand === "qt  ") return "video/quicktime";
  if (brand === "heic" || brand === "heix" || brand === "mif1" || brand === "msf1") return "image/heic";
  if (brand === "avif" || brand === "avis") return "image/avif";
  return "video/mp4";
}

/** The type the bytes say, or undefined when they say nothing this table knows. */
export function sniffMimeType(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return "image/gif";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "image/webp";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WAVE")) return "audio/wav";
  if (ascii(bytes, 0, "BM") && bytes.length > 14) return "image/bmp";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "image/tiff";
  if (ascii(bytes, 0, "%PDF-")) return "application/pdf";
  if (ascii(bytes, 0, "OggS")) return ascii(bytes, 28, "\x01video") ? "video/ogg" : "audio/ogg";
  if (ascii(bytes, 0, "fLaC")) return "audio/flac";
  if (ascii(bytes, 0, "#!AMR")) return "audio/amr";
  if (ascii(bytes, 0, "ID3")) return "audio/mpeg";
  // An MPEG audio frame header: eleven set sync bits, then a layer that is not "reserved".
  if (bytes.length > 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0 && (bytes[1]! & 0x06) !== 0) {
    return (bytes[1]! & 0x06) === 0x02 || (bytes[1]! & 0x06) === 0x04 ? "audio/mpeg" : "audio/aac";
  }
  if (ascii(bytes, 4, "ftyp")) return isoBaseType(bytes);
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) {
    // EBML: WebM says its doc type early; without it, Matroska.
    const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 64)));
    return head.includes("webm") ? "video/webm" : "video/x-matroska";
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "application/zip";
  if (startsWith(bytes, [0x1f, 0x8b])) return "application/gzip";
  return undefined;
}

/** A claimed type lowercased, without parameters, with synonyms folded; undefined when empty. */
export function normalizeMimeType(claim: string | undefined): string | undefined {
  const bare = claim?.split(";")[0]?.trim().toLowerCase();
  if (!bare || !bare.includes("/")) return undefined;
  return SYNONYMS[bare] ?? bare;
}

/** The type a file name's extension suggests (for bytes that say nothing and no claim). */
export function mimeTypeFromFileName(fileName: string | undefined): string | undefined {
  const match = fileName?.toLowerCase().match(/(\.[a-z0-9]{1,8})$/);
  if (!match) return undefined;
  if (match[1] === ".jpeg") return "image/jpeg";
  if (match[1] === ".oga") return "audio/ogg";
  for (const [mime, ext] of Object.entries(EXTENSIONS)) if (ext === match[1]) return mime;
  return undefined;
}

/**
 * The checked type of a file: what the bytes say, except that a generic container (zip) keeps a more
 * specific claim (a .docx is a zip), and audio-or-video containers keep the claim's side (a voice note
 * in WebM or MP4 is audio); then the claim, then the name, then `application/octet-stream`.
 */
export function checkedMimeType(bytes: Uint8Array, claim?: string, fileName?: string): string {
  const sniffed = sniffMimeType(bytes);
  const claimed = normalizeMimeType(claim) ?? mimeTypeFromFileName(fileName);
  if (sniffed === "application/zip" && claimed && claimed !== "application/octet-stream") return claimed;
  if (sniffed === "video/mp4" && claimed?.startsWith("audio/")) return "audio/mp4";
  if (sniffed === "video/webm" && claimed?.startsWith("audio/")) return "audio/webm";
  if (sniffed === "video/ogg" && claimed?.startsWith("audio/")) return "audio/ogg";
  return sniffed ?? claimed ?? "application/octet-stream";
}

/** What kind of file a type is, as channels and models tell them apart. */
export function mediaKindOf(mimeType: string): MediaKind {
  if (mimeType.startsWith("image/")) return "image";
  if (mimeType.startsWith("audio/")) return "audio";
  if (mimeType.startsWith("video/")) return "video";
  return "document";
}

/** The extension the store names a file of this type with ("" when unknown). */
export function extensionFor(mimeType: string): string {
  return EXTENSIONS[mimeType] ?? "";
}
