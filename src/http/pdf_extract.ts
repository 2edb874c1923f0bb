// A PDF `input_file` read as the reference reads it (its document-extract plugin): the same
// PDFium WebAssembly engine (npm clawpdf, pinned to the reference's version, loaded only when a
// PDF arrives), the first `pdf.maxPages` pages' text joined by blank lines, and each of those
// pages with less than `pdf.minTextChars` of text rendered to a PNG within `pdf.maxPixels` in all.
// PDFium runs synchronously, so this runs only in the PDF worker (pdf_worker.ts, driven by
// pdf_isolated.ts), as the reference's runs in a worker thread: a slow page cannot hold the
// gateway's event loop, and the deadline ends it.
import type { FileSourceLimits } from "../config/resolve_http_media.ts";
import { encodeBase64 } from "../media/base64.ts";
import type { RunImage } from "./media_image.ts";
import { MediaInputError } from "./media_input_error.ts";

/** The reference's bound on the text taken from one PDF, before `files.maxChars`. */
const MAX_EXTRACTED_TEXT_CHARS = 200_000;
const MAX_RENDER_DIMENSION = 10_000;

type RenderOptions = { dpi: number; forms: true } | { width: number; forms: true } | { height: number; forms: true };

/** The reference's render size: 96 dpi when it fits the pixel budget, else the largest size that does. */
export function pageRenderOptions(width: number, height: number, maxPixels: number): RenderOptions | undefined {
  if (!Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) return undefined;
  const defaultWidth = Math.ceil(width * (96 / 72));
  const defaultHeight = Math.ceil(height * (96 / 72));
  if (
    defaultWidth <= MAX_RENDER_DIMENSION && defaultHeight <= MAX_RENDER_DIMENSION &&
    defaultWidth * defaultHeight <= maxPixels
  ) return { dpi: 96, forms: true };
  const landscape = width >= height;
  const longer = landscape ? width : height;
  const shorter = landscape ? height : width;
  let low = 1;
  let high = Math.min(MAX_RENDER_DIMENSION, Math.ceil(longer * (96 / 72)));
  let size = 1;
  while (low <= high) {
    const candidate = Math.floor((low + high) / 2);
    if (candidate * Math.max(1, Math.ceil(shorter * (candidate / longer))) <= maxPixels) {
      size = candidate;
      low = candidate + 1;
    } else high = candidate - 1;
  }
  return landscape ? { width: size, forms: true } : { height: size, forms: true };
}

/**
 * A PDF's text and rendered pages, in this thread (the PDF worker's); refusals (not a PDF,
 * encrypted, nothing readable) are {@link MediaInputError}s.
 */
export async function extractPdfInThread(
  bytes: Uint8Array,
  pdfLimits: FileSourceLimits["pdf"],
  signal: AbortSignal,
): Promise<{ text: string; images: RunImage[] }> {
  let clawpdf: typeof import("clawpdf");
  let engine: Awaited<ReturnType<typeof clawpdf.createEngine>>;
  try {
    clawpdf = await import("clawpdf");
    engine = await clawpdf.createEngine();
  } catch (error) {
    throw new MediaInputError(`PDF engine (clawpdf) could not be loaded: ${error}`);
  }
  const { encodePng } = clawpdf;
  try {
    let pdf;
    try {
      pdf = await engine.open(bytes);
    } catch (error) {
      const password = error !== null && typeof error === "object" && "code" in error && error.code === "password";
      throw new MediaInputError(
        password ? "PDF requires a password or password is incorrect." : `PDF could not be read: ${error}`,
      );
    }
    try {
      const pages = Array.from({ length: Math.min(pdf.pageCount, pdfLimits.maxPages) }, (_, i) => i + 1);
      const imagePages: number[] = [];
      let text = "";
      for (const pageNumber of pages) {
        signal.throwIfAborted();
        const pageText = pdf.page(pageNumber).text();
        if (pageText.trim().length < pdfLimits.minTextChars) imagePages.push(pageNumber);
        const separator = text ? "\n\n" : "";
        const remaining = MAX_EXTRACTED_TEXT_CHARS - text.length - separator.length;
        if (pageText && remaining > 0) text += separator + pageText.slice(0, remaining);
      }
      const images: RunImage[] = [];
      try {
        let remainingPixels = pdfLimits.maxPixels;
        for (const [index, pageNumber] of imagePages.entries()) {
          signal.throwIfAborted();
          if (remainingPixels <= 0) break;
          const perPage = Math.max(1, Math.ceil(remainingPixels / (imagePages.length - index)));
          const page = pdf.page(pageNumber);
          const options = pageRenderOptions(page.width, page.height, perPage);
          if (!options) continue;
          const rendered = page.render(options);
          const png = await encodePng(rendered.rgba, { width: rendered.width, height: rendered.height });
          images.push({ data: encodeBase64(png), mimeType: "image/png" });
          remainingPixels -= rendered.width * rendered.height;
        }
      } catch (error) {
        signal.throwIfAborted();
        // As the reference: rendering failed, the text stands alone; with no text, nothing does.
        if (!text.trim()) throw new MediaInputError(`PDF image extraction failed with no extractable text: ${error}`);
        return { text, images: [] };
      }
      return { text, images };
    } finally {
      pdf.destroy();
    }
  } finally {
    await engine.destroy();
  }
}
