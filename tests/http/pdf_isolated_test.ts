import assert from "node:assert/strict";
import { extractPdf } from "../../src/http/pdf_isolated.ts";
import { MediaInputError } from "../../src/http/media_input_error.ts";
import { pdfBomb, pdfSaying } from "../support/pdf_fixture.ts";

const LIMITS = { maxPages: 4, maxPixels: 4_000_000, minTextChars: 200 };

/** The longest the event loop went without running a 10 ms ticker while `task` ran. */
async function longestStall(
  task: () => Promise<unknown>,
): Promise<{ stall: number; result: PromiseSettledResult<unknown> }> {
  let last = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 10);
  try {
    const [result] = await Promise.allSettled([task()]);
    stall = Math.max(stall, performance.now() - last);
    return { stall, result: result! };
  } finally {
    clearInterval(ticker);
  }
}

Deno.test("PDF extraction runs in a worker: a PDF bomb neither holds the event loop nor outlives its deadline", async () => {
  // 8 MB of line drawing on one page: minutes of PDFium work when run in the gateway's thread.
  const bomb = pdfBomb(8);
  const started = performance.now();
  const { stall, result } = await longestStall(() => extractPdf(bomb, LIMITS, AbortSignal.timeout(1500)));
  const elapsed = performance.now() - started;
  assert.equal(result.status, "rejected");
  assert.equal((result as PromiseRejectedResult).reason?.name, "TimeoutError");
  assert.ok(elapsed < 10_000, `the deadline ended it (${elapsed.toFixed(0)} ms)`);
  assert.ok(stall < 1_000, `the event loop kept running (longest stall ${stall.toFixed(0)} ms)`);
});

Deno.test("PDF extraction in a worker: text and rendered page come back; a refusal keeps its message", async () => {
  const bytes = Uint8Array.from(atob(pdfSaying("Hello PDF world")), (c) => c.charCodeAt(0));
  const pdf = await extractPdf(bytes, LIMITS, new AbortController().signal);
  assert.equal(pdf.text, "Hello PDF world");
  assert.equal(pdf.images.length, 1);
  await assert.rejects(
    extractPdf(new TextEncoder().encode("%PDF-1.4 broken"), LIMITS, new AbortController().signal),
    (error: unknown) => error instanceof MediaInputError && /PDF could not be read/.test(error.message),
  );
});
