// What a file with no recognisable signature is, read as the reference's attachment classifier
// reads it: UTF-16 told by its byte-order mark or its share of zero bytes, plain text by the share
// of printable characters, a CSV by a comma in its first line.

/** UTF-16 by BOM or zero-byte share (over 20% of the first 2 KB), else undefined. */
export function utf16Charset(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  const sample = Math.min(bytes.length, 2048);
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) zeroEven++;
    else zeroOdd++;
  }
  if ((zeroEven + zeroOdd) / sample <= 0.2) return undefined;
  return zeroOdd >= zeroEven ? "utf-16le" : "utf-16be";
}

function printableShare(text: string): number {
  let printable = 0;
  let total = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const whitespace = code === 9 || code === 10 || code === 13 || code === 32;
    total++;
    if (whitespace || !(code < 32 || (code >= 127 && code <= 159))) printable++;
  }
  return total === 0 ? 0 : printable / total;
}

/** `text/plain` or `text/csv` (and its charset) for bytes that read as text, else undefined. */
export function sniffText(bytes: Uint8Array): { mimeType: string; charset?: string } | undefined {
  const charset = utf16Charset(bytes);
  let text: string;
  try {
    // The first 4 KB, not cutting a UTF-8 sequence short (a cut one would make a strict decode fail).
    let end = Math.min(bytes.length, 4096);
    while (end < bytes.length && end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
    text = new TextDecoder(charset ?? "utf-8", { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    return undefined;
  }
  if (!charset && printableShare(text) <= 0.85) return undefined;
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const mimeType = firstLine.includes(",")
    ? "text/csv"
    : firstLine.includes("\t")
    ? "text/tab-separated-values"
    : "text/plain";
  return { mimeType, ...(charset ? { charset } : {}) };
}
