// A PDF read in a worker of its own (pdf_worker.ts): PDFium is synchronous WebAssembly, and one
// crafted page (a content stream of millions of operators, a few KB compressed) keeps it busy for
// minutes. In the gateway's thread that would hold every connection; in a worker the caller's
// deadline or abort terminates it mid-page. The reference also runs its PDF engine in a worker.
import type { FileSourceLimits } from "../config/resolve_http_media.ts";
import type { RunImage } from "./media_image.ts";
import { MediaInputError } from "./media_input_error.ts";
import type { PdfWorkerRequest } from "./pdf_worker.ts";

/** What the PDF worker posts back. */
export type PdfWorkerReply =
  | { ok: true; text: string; images: RunImage[] }
  | { ok: false; message: string; clientMessage?: string | undefined };

/**
 * The worker's module: beside this one when run from source; from the bundle, the
 * `pdf_worker.js` entry tools/bundle.ts writes beside the chunks (and `deno compile` embeds).
 */
function workerUrl(): URL {
  const fromSource = import.meta.url.endsWith(".ts");
  return new URL(fromSource ? "./pdf_worker.ts" : "./pdf_worker.js", import.meta.url);
}

function isReply(value: unknown): value is PdfWorkerReply {
  return value !== null && typeof value === "object" && "ok" in value && typeof value.ok === "boolean";
}

/** A PDF's text and rendered pages, read in a worker that `signal` (the deadline) terminates. */
export async function extractPdf(
  bytes: Uint8Array,
  limits: FileSourceLimits["pdf"],
  signal: AbortSignal,
): Promise<{ text: string; images: RunImage[] }> {
  signal.throwIfAborted();
  const worker = new Worker(workerUrl(), { type: "module" });
  const { promise, resolve, reject } = Promise.withResolvers<PdfWorkerReply>();
  const onAbort = () => reject(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  worker.onmessage = (event: MessageEvent<unknown>) => {
    if (isReply(event.data)) resolve(event.data);
    else reject(new MediaInputError("PDF worker answered with an unknown message"));
  };
  worker.onerror = (event) => {
    event.preventDefault();
    reject(new MediaInputError(`PDF worker failed: ${event.message}`));
  };
  try {
    const request: PdfWorkerRequest = { bytes, limits };
    worker.postMessage(request);
    const reply = await promise;
    if (!reply.ok) throw new MediaInputError(reply.message, { clientMessage: reply.clientMessage });
    return { text: reply.text, images: reply.images };
  } finally {
    signal.removeEventListener("abort", onAbort);
    worker.terminate();
  }
}
