import assert from "node:assert/strict";
import { resolveHttpMedia } from "../../src/config/resolve_http_media.ts";
import { chatImages, IMAGE_ONLY_USER_MESSAGE } from "../../src/http/chat_images.ts";
import { HEIC_UNSUPPORTED } from "../../src/http/media_image.ts";
import { FILE_ONLY_USER_MESSAGE } from "../../src/http/responses_media.ts";
import { pdfSaying } from "../support/pdf_fixture.ts";
import { chatApiApp } from "../support/chat_api_app.ts";
import type { PromptMessage } from "../../src/agent/provider.ts";

/** A context entry's text (tool results carry none). */
function entryText(m: PromptMessage | undefined): string {
  return m && "text" in m ? m.text : "";
}

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const HEIC = btoa("\0\0\0\x18ftypheic\0\0\0\0heicmif1");

const app = chatApiApp;

const img = (url: string) => ({ type: "image_url", image_url: { url } });
const chatBody = (content: unknown[]) => ({ model: "openclaw", messages: [{ role: "user", content }] });

async function refused(response: Response, message: string) {
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), { error: { message, type: "invalid_request_error" } });
}

Deno.test("chat completions: the active user message's data: URL images reach the run; text-only requests carry none", async () => {
  const { runs, post } = app();
  let response = await post(
    "/v1/chat/completions",
    chatBody([{ type: "text", text: "what?" }, img(`data:image/png;base64,${PNG}`)]),
  );
  assert.equal(response.status, 200);
  assert.equal(runs[0]!.message, "what?");
  assert.deepEqual(runs[0]!.images, [{ data: PNG, mimeType: "image/png" }]);

  // Only an image: the reference's placeholder prompt; the type is the bytes', not the declared one.
  response = await post("/v1/chat/completions", chatBody([img(`data:image/jpeg;base64,${PNG}`)]));
  assert.equal(response.status, 200);
  assert.equal(runs[1]!.message, IMAGE_ONLY_USER_MESSAGE);
  assert.deepEqual(runs[1]!.images, [{ data: PNG, mimeType: "image/png" }]);

  // An earlier user message's image is not the active turn's.
  response = await post("/v1/chat/completions", {
    messages: [
      { role: "user", content: [{ type: "text", text: "old" }, img(`data:image/png;base64,${PNG}`)] },
      { role: "assistant", content: "ok" },
      { role: "user", content: "new" },
    ],
  });
  assert.equal(response.status, 200);
  assert.equal(runs[2]!.images, undefined);

  response = await post("/v1/chat/completions", chatBody([{ type: "text", text: "plain" }]));
  assert.equal(response.status, 200);
  assert.ok(!("images" in runs[3]!));
});

Deno.test("chat completions: every refused image_url part is the reference's one 400; HEIC says why", async () => {
  const { runs, post } = app();
  const invalid = "Invalid image_url content in `messages`.";
  const text = { type: "text", text: "x" };
  for (
    const parts of [
      Array.from({ length: 9 }, () => img(`data:image/png;base64,${PNG}`)),
      [img("https://example.com/a.png")],
      [img("data:image/png,abc")],
      [img(`data:text/plain;base64,${btoa("hello there")}`)],
      [img("data:image/bmp;base64,Qk0eAAAAAAAAABoAAAAMAAAAAQABAAEAGAAAAP8A")],
      [img("data:image/png;base64,!!!notbase64")],
      [{ type: "image_url", image_url: {} }],
    ]
  ) {
    await refused(await post("/v1/chat/completions", chatBody([text, ...parts])), invalid);
  }
  await refused(
    await post("/v1/chat/completions", chatBody([text, img(`data:image/heic;base64,${HEIC}`)])),
    HEIC_UNSUPPORTED,
  );
  assert.equal(runs.length, 0);
});

Deno.test("chat completions: images.maxBytes and allowedMimes from the config apply", async () => {
  const { post } = app({ endpoints: { chatCompletions: { images: { maxBytes: 10, allowedMimes: ["image/gif"] } } } });
  await refused(
    await post("/v1/chat/completions", chatBody([img(`data:image/png;base64,${PNG}`)])),
    "Invalid image_url content in `messages`.",
  );
});

Deno.test("chat completions: the total image bytes bound counts every image", async () => {
  const limits = resolveHttpMedia({}).chatCompletions;
  const urls = [`data:image/png;base64,${PNG}`, `data:image/png;base64,${PNG}`];
  assert.equal((await chatImages(urls, limits, new AbortController().signal)).length, 2);
  await assert.rejects(
    chatImages(urls, { ...limits, maxTotalImageBytes: 100 }, new AbortController().signal),
    /Invalid image_url content/,
  );
});

const responsesBody = (content: unknown[], extra: Record<string, unknown> = {}) => ({
  model: "openclaw",
  input: [{ type: "message", role: "user", content }],
  ...extra,
});

Deno.test("responses: input_image reaches the run; an input_file's text is a <file> block with the system prompt", async () => {
  const { runs, post } = app();
  let response = await post(
    "/v1/responses",
    responsesBody([{ type: "input_text", text: "what?" }, {
      type: "input_image",
      source: { type: "base64", media_type: "image/png", data: PNG },
    }]),
  );
  assert.equal(response.status, 200);
  assert.deepEqual(runs[0]!.images, [{ data: PNG, mimeType: "image/png" }]);

  response = await post(
    "/v1/responses",
    responsesBody([{ type: "input_text", text: "read" }, {
      type: "input_file",
      source: { type: "base64", media_type: "text/plain", data: btoa("line one\nline two"), filename: "notes.txt" },
    }], { instructions: "be brief" }),
  );
  assert.equal(response.status, 200);
  assert.equal(runs[1]!.message, "read");
  assert.equal(runs[1]!.images, undefined);
  const system = runs[1]!.context!.filter((m) => m.role === "system").map(entryText);
  assert.equal(system[0], "be brief");
  assert.match(
    system[1]!,
    /^<file name="notes\.txt">\n\n<<<EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]{16}">>>\nSource: External\n---\nline one\nline two\n<<<END_EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]{16}">>>\n<\/file>$/,
  );

  response = await post(
    "/v1/responses",
    responsesBody([{ type: "input_file", source: { type: "base64", media_type: "text/markdown", data: btoa("# T") } }]),
  );
  assert.equal(response.status, 200);
  assert.equal(runs[2]!.message, FILE_ONLY_USER_MESSAGE);
});

Deno.test("responses: malformed parts are the schema's 400, refused content the bare 'invalid request'", async () => {
  const { runs, post } = app();
  const text = { type: "input_text", text: "x" };
  for (
    const part of [
      { type: "input_image", source: { type: "base64", media_type: "image/bmp", data: PNG } },
      { type: "input_image", image_url: `data:image/png;base64,${PNG}` },
      { type: "input_file", source: { type: "url", url: "not a url" } },
    ]
  ) {
    await refused(await post("/v1/responses", responsesBody([text, part])), "input: Invalid input");
  }
  const url = { type: "input_image", source: { type: "url", url: "https://example.com/a.png" } };
  await refused(await post("/v1/responses", responsesBody([text, ...Array(9).fill(url)])), "invalid request");
  const file = (media_type: string, data: string) => ({
    type: "input_file",
    source: { type: "base64", media_type, data, filename: "f" },
  });
  // A zip, a PNG declared as text (the bytes decide), a loopback URL (the SSRF guard).
  await refused(
    await post("/v1/responses", responsesBody([text, file("application/zip", btoa("PK\x03\x04zz"))])),
    "invalid request",
  );
  await refused(await post("/v1/responses", responsesBody([text, file("text/plain", PNG)])), "invalid request");
  await refused(
    await post(
      "/v1/responses",
      responsesBody([text, { type: "input_file", source: { type: "url", url: "http://127.0.0.1:9/a" } }]),
    ),
    "invalid request",
  );
  await refused(
    await post(
      "/v1/responses",
      responsesBody([text, {
        type: "input_image",
        source: { type: "base64", media_type: "image/heic", data: HEIC },
      }]),
    ),
    HEIC_UNSUPPORTED,
  );
  assert.equal(runs.length, 0);
});

Deno.test("responses: a PDF's text is a <file> block, and a page with too little text reaches the model rendered as a PNG", async () => {
  // Each PDF is read in a worker of its own that compiles the PDF engine's WebAssembly: on a loaded machine (the
  // unit tier's four isolates beside other work) that alone came near the 10 s default deadline, which this test
  // is not about.
  const files = { timeoutMs: 60_000 };
  const { runs, post } = app({ endpoints: { responses: { files } } });
  const pdfPart = (data: string) => ({
    type: "input_file",
    source: { type: "base64", media_type: "application/pdf", data, filename: "t.pdf" },
  });
  let response = await post(
    "/v1/responses",
    responsesBody([{ type: "input_text", text: "read" }, pdfPart(pdfSaying("Hello PDF world"))]),
  );
  // The refusal's text, should it come: what failed is then in the test's output.
  assert.equal(response.status, 200, await response.clone().text());
  const block = entryText(runs[0]!.context!.at(-1));
  assert.match(
    block,
    /^<file name="t\.pdf">\n\n<<<EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]+">>>\nSource: External\n---\nHello PDF world\n<<<END/,
  );
  // 15 characters is under pdf.minTextChars (200): the page is rendered, 300x144 pt at 96 dpi.
  assert.equal(runs[0]!.images?.length, 1);
  assert.equal(runs[0]!.images![0]!.mimeType, "image/png");
  const png = Uint8Array.from(atob(runs[0]!.images![0]!.data), (c) => c.charCodeAt(0));
  const view = new DataView(png.buffer);
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [400, 192]);

  // minTextChars 0: text only, nothing rendered; maxChars cuts the text.
  const { runs: textOnly, post: postTextOnly } = app({
    endpoints: { responses: { files: { ...files, maxChars: 5, pdf: { minTextChars: 0 } } } },
  });
  response = await postTextOnly(
    "/v1/responses",
    responsesBody([{ type: "input_text", text: "read" }, pdfPart(pdfSaying("Hello PDF world"))]),
  );
  assert.equal(response.status, 200);
  assert.equal(textOnly[0]!.images, undefined);
  assert.match(entryText(textOnly[0]!.context!.at(-1)), /---\nHello\n<<<END/);

  // Not a PDF past its header: the reference's bare 400.
  await refused(
    await post("/v1/responses", responsesBody([{ type: "input_text", text: "x" }, pdfPart(btoa("%PDF-1.4 broken"))])),
    "invalid request",
  );
});

Deno.test("responses: the body limit is 20 MB, or twice files.maxBytes / images.maxBytes when larger", async () => {
  const big = { model: "openclaw", input: "x".repeat(21 * 1024 * 1024) };
  const { post } = app();
  const refusedLarge = await post("/v1/responses", big);
  assert.equal(refusedLarge.status, 413);
  await refusedLarge.body?.cancel();
  const { post: postRaised } = app({ endpoints: { responses: { files: { maxBytes: 11 * 1024 * 1024 } } } });
  const accepted = await postRaised("/v1/responses", big);
  assert.equal(accepted.status, 200);
  await accepted.body?.cancel();
  // Chat completions keeps its 20 MB whatever the media limits.
  const { post: postChat } = app({ endpoints: { chatCompletions: { images: { maxBytes: 11 * 1024 * 1024 } } } });
  const chat = await postChat("/v1/chat/completions", { messages: [{ role: "user", content: big.input }] });
  assert.equal(chat.status, 413);
  await chat.body?.cancel();
});

Deno.test("responses: a UTF-16 text file is decoded as UTF-16 whatever charset it declares", async () => {
  const { runs, post } = app();
  const bytes = new Uint8Array(Uint16Array.from("\ufeffgrüße", (c) => c.charCodeAt(0)).buffer);
  const response = await post(
    "/v1/responses",
    responsesBody([{ type: "input_text", text: "read" }, {
      type: "input_file",
      source: { type: "base64", media_type: "text/plain; charset=utf-8", data: btoa(String.fromCharCode(...bytes)) },
    }]),
  );
  assert.equal(response.status, 200);
  assert.match(entryText(runs[0]!.context!.at(-1)), /^<file name="file">\n[\s\S]*\n---\ngrüße\n<<<END/);
});
