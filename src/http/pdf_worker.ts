// The PDF worker's entry (started by pdf_isolated.ts, one per PDF): it reads the PDF it is sent
// with PDFium off the gateway's thread and posts back the text and rendered pages, or the refusal.
// Its only side effect is the message handler a worker entry exists to install.
import type { FileSourceLimits } from "../config/resolve_http_media.ts";
import { extractPdfInThread } from "./pdf_extract.ts";
import { MediaInputError } from "./media_input_error.ts";
import type { PdfWorkerReply } from "./pdf_isolated.ts";

/** What the worker is sent: the PDF's bytes and the `files.pdf` limits. */
export interface PdfWorkerRequest {
  bytes: Uint8Array;
  limits: FileSourceLimits["pdf"];
}

async function answer(request: PdfWorkerRequest): Promise<PdfWorkerReply> {
  try {
    const pdf = await extractPdfInThread(request.bytes, request.limits, new AbortController().signal);
    return { ok: true, text: pdf.text, images: pdf.images };
  } catch (error) {
    if (error instanceof MediaInputError) {
      return { ok: false, message: error.message, clientMessage: error.clientMessage };
    }
    return { ok: false, message: `PDF extraction failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

// The worker's own global (the project is type-checked with the window's types, not a worker's).
const scope = self as unknown as {
  onmessage: (event: MessageEvent<PdfWorkerRequest>) => void;
  postMessage(reply: PdfWorkerReply): void;
};
scope.onmessage = async (event) => {
  scope.postMessage(await answer(event.data));
};
