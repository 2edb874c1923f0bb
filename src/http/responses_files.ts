// One `input_file` of `/v1/responses` turned into model-visible text, as the reference does it:
// the type sniffed from the bytes (a client's type is not trusted), checked against
// `files.allowedMimes`, text decoded in its charset and cut at `files.maxChars`, then given to the
// model as a `<file>` block around untrusted-content markers. PDFs: see extractPdfText.
import type { FileSourceLimits } from "../config/resolve_http_media.ts";
import { normalizeMime } from "../config/resolve_http_media.ts";
import { wrapExternalContent } from "../agent/external_content.ts";
import { sniffMime } from "./media_image.ts";
import { MediaInputError } from "./media_input_error.ts";

/** A file as the model is shown it. */
export interface ExtractedFile {
  filename: string;
  text: string;
}

/** What we answer for a PDF: the reference extracts its text (and renders pages) with pdf.js, which we do not ship. */
export const PDF_UNSUPPORTED =
  "PDF input_file is not supported by this gateway yet (no PDF text extractor); send the document's text as text/plain.";

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
  const text = decoder.decode(bytes);
  if (text.length <= maxChars) return text;
  // Never cut between the halves of a surrogate pair.
  const cut = text.slice(0, Math.max(0, Math.floor(maxChars)));
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The file's text for the model, after the size and type checks. */
export function extractFileText(
  bytes: Uint8Array,
  declared: { mimeType?: string | undefined; charset?: string | undefined; filename?: string | undefined },
  limits: FileSourceLimits,
): ExtractedFile {
  const filename = declared.filename || "file";
  if (bytes.byteLength > limits.maxBytes) {
    throw new MediaInputError(`File too large: ${bytes.byteLength} bytes (limit: ${limits.maxBytes} bytes)`);
  }
  const mimeType = sniffMime(bytes) ?? declared.mimeType;
  if (!mimeType) throw new MediaInputError("input_file missing media type");
  if (!limits.allowedMimes.has(mimeType)) throw new MediaInputError(`Unsupported file MIME type: ${mimeType}`);
  if (mimeType === "application/pdf") {
    throw new MediaInputError("PDF extraction unavailable", { clientMessage: PDF_UNSUPPORTED });
  }
  return { filename, text: decodeText(bytes, declared.charset, limits.maxChars) };
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
  if (!file.text.trim()) return `<file ${name}>[No extractable text]</file>`;
  const wrapped = wrapExternalContent(file.text, { source: "External", includeWarning: false })
    .replace(/<\s*\/\s*file\s*>/gi, "&lt;/file&gt;").replace(/<\s*file\b/gi, "&lt;file");
  return `<file ${name}>\n${wrapped}\n</file>`;
}
