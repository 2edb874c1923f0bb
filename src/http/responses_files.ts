// One `input_file` of `/v1/responses` turned into model-visible text, as the reference does it:
// the type sniffed from the bytes (a client's type is not trusted), checked against
// `files.allowedMimes`, text decoded in its charset and cut at `files.maxChars`, then given to the
// model as a `<file>` block around untrusted-content markers. PDFs: pdf_isolated.ts (in a worker).
import type { FileSourceLimits } from "../config/resolve_http_media.ts";
import { normalizeMime } from "../config/resolve_http_media.ts";
import { wrapExternalContent } from "../agent/external_content.ts";
import { sniffMimeType } from "../media/sniff.ts";
import type { RunImage } from "./media_image.ts";
import type { SerialSlot } from "./serial_slot.ts";
import { MediaInputError } from "./media_input_error.ts";
import { sniffText, utf16Charset } from "./text_sniff.ts";

/** A file as the model is shown it. */
export interface ExtractedFile {
  filename: string;
  text: string;
  /** A PDF's pages rendered for the model (those with too little text). */
  images?: RunImage[] | undefined;
}

/** A Content-Type's type and charset. */
export function parseContentType(value: string | undefined): { mimeType?: string; charset?: string } {
  const mimeType = normalizeMime(value);
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(value ?? "")?.[1];
  return { ...(mimeType ? { mimeType } : {}), ...(charset ? { charset } : {}) };
}

function decodeText(bytes: Uint8Array, charset: string | undefined, maxChars: number): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset?.toLowerCase() || "utf-8");
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return cutText(decoder.decode(bytes), maxChars);
}

/** At most `maxChars` UTF-16 units of `text`. */
function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // Never cut between the halves of a surrogate pair.
  const cut = text.slice(0, Math.max(0, Math.floor(maxChars)));
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

async function withTimeout<T>(
  label: string,
  timeoutMs: number,
  signal: AbortSignal,
  task: (s: AbortSignal) => Promise<T>,
) {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  try {
    return await task(deadline);
  } catch (error) {
    signal.throwIfAborted();
    if (deadline.aborted) throw new MediaInputError(`${label} timed out after ${timeoutMs}ms`);
    throw error;
  }
}

/** The file's text (and a PDF's rendered pages) for the model, after the size and type checks. */
export async function extractFileText(
  bytes: Uint8Array,
  declared: { mimeType?: string | undefined; charset?: string | undefined; filename?: string | undefined },
  limits: FileSourceLimits,
  signal: AbortSignal,
  pdfSlot: SerialSlot,
): Promise<ExtractedFile> {
  const filename = declared.filename || "file";
  if (bytes.byteLength > limits.maxBytes) {
    throw new MediaInputError(`File too large: ${bytes.byteLength} bytes (limit: ${limits.maxBytes} bytes)`);
  }
  // The bytes' own signature, else the declared type, else what they read as (the reference's order).
  // A UTF-16 byte-order mark is text, though FF FE reads as an MPEG frame header to a plain sniffer.
  const bom = bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  const mimeType = (bom ? undefined : sniffMimeType(bytes)) ?? declared.mimeType ?? sniffText(bytes)?.mimeType;
  if (!mimeType) throw new MediaInputError("input_file missing media type");
  if (!limits.allowedMimes.has(mimeType)) throw new MediaInputError(`Unsupported file MIME type: ${mimeType}`);
  if (mimeType === "application/pdf") {
    const { extractPdf } = await import("./pdf_isolated.ts");
    // One PDF at a time per gateway; the wait for the slot counts against the deadline.
    const pdf = await withTimeout(
      "PDF extraction",
      limits.timeoutMs,
      signal,
      (s) => pdfSlot(s, () => extractPdf(bytes, limits.pdf, s)),
    );
    const text = pdf.text ? cutText(pdf.text, limits.maxChars) : "";
    return { filename, text, ...(pdf.images.length > 0 ? { images: pdf.images } : {}) };
  }
  // UTF-16 told by the bytes wins over a declared charset, as in the reference.
  const charset = utf16Charset(bytes) ?? declared.charset;
  return { filename, text: decodeText(bytes, charset, limits.maxChars) };
}

function xmlEscapeAttr(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
}

function safeFileName(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, " ").trim();
  // A path is reduced to its last segment, control characters dropped.
  // deno-lint-ignore no-control-regex
  const base = (flat.split(/[\\/]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return base === "" || base === "." || base === ".." ? "attachment" : base;
}

/** The `<file>` block the model sees for one file (its text wrapped as untrusted, tags in it defused). */
export function fileContextBlock(file: ExtractedFile): string {
  const name = `name="${xmlEscapeAttr(safeFileName(file.filename))}"`;
  if (!file.text.trim()) {
    return `<file ${name}>${file.images?.length ? "[PDF content rendered to images]" : "[No extractable text]"}</file>`;
  }
  const wrapped = wrapExternalContent(file.text, { source: "External", includeWarning: false })
    .replace(/<\s*\/\s*file\s*>/gi, "&lt;/file&gt;").replace(/<\s*file\b/gi, "&lt;file");
  return `<file ${name}>\n${wrapped}\n</file>`;
}
