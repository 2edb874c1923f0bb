// deno-lint-ignore-file no-explicit-any
// Records what the reference does with image_url / input_image / input_file parts (the evidence in
// docs/compatibility.md): `deno run -A tools/record_reference_media.ts`, ports 41001.
import OpenAI from "openai";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { pdfSaying } from "../tests/support/pdf_fixture.ts";
import { clientTestConfig, startReferenceGateway } from "../tests/support/reference_gateway.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const upstream = startFakeUpstream();
const port = 41001;
const config = clientTestConfig({ port, token: "probe-token-0123456789", upstreamUrl: upstream.url }) as any;
config.models.providers.fake.models = [{ id: "m1", name: "m1", input: ["text", "image"] }];
config.gateway.http = { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } };
const ref = await startReferenceGateway({ root: "/tmp/probe-ref-mediain", port, config });
const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "probe-token-0123456789", maxRetries: 0 });
const out: Record<string, unknown> = {};
async function probe(name: string, f: () => Promise<unknown>) {
  const before = upstream.requests.length;
  try {
    const r: any = await f();
    out[name] = {
      ok: true,
      text: r?.choices?.[0]?.message?.content ?? r?.output_text,
      upstream: upstream.requests.slice(before).map((q: any) => ({ messages: q.messages })),
    };
  } catch (e: any) {
    out[name] = { ok: false, status: e.status, error: e.error ?? String(e) };
  }
  await Deno.stdout.write(new TextEncoder().encode(`${name} ${JSON.stringify(out[name]).slice(0, 3000)}\n`));
}
const chat = (content: unknown) => () =>
  client.chat.completions.create({ model: "openclaw", messages: [{ role: "user", content: content as any }] });
const img = (url: string) => ({ type: "image_url", image_url: { url } });
try {
  await probe("chat_png", chat([{ type: "text", text: "what is this?" }, img(`data:image/png;base64,${PNG}`)]));
  await probe("chat_png_only", chat([img(`data:image/png;base64,${PNG}`)]));
  await probe(
    "chat_png_earlier_user",
    () =>
      client.chat.completions.create({
        model: "openclaw",
        messages: [
          { role: "user", content: [{ type: "text", text: "old" }, img(`data:image/png;base64,${PNG}`)] as any },
          { role: "assistant", content: "ok" },
          { role: "user", content: "new" },
        ],
      }),
  );
  await probe(
    "chat_9_images",
    chat([{ type: "text", text: "x" }, ...Array.from({ length: 9 }, () => img(`data:image/png;base64,${PNG}`))]),
  );
  await probe("chat_http_url", chat([{ type: "text", text: "x" }, img("https://example.com/a.png")]));
  await probe("chat_not_base64", chat([{ type: "text", text: "x" }, img("data:image/png,abc")]));
  await probe(
    "chat_text_mime",
    chat([{ type: "text", text: "x" }, img(`data:text/plain;base64,${btoa("hello there")}`)]),
  );
  await probe("chat_png_declared_jpeg", chat([{ type: "text", text: "x" }, img(`data:image/jpeg;base64,${PNG}`)]));
  await probe(
    "chat_bmp",
    chat([{ type: "text", text: "x" }, img(`data:image/bmp;base64,Qk0eAAAAAAAAABoAAAAMAAAAAQABAAEAGAAAAP8A`)]),
  );
  await probe(
    "chat_heic_fake",
    chat([{ type: "text", text: "x" }, img(`data:image/heic;base64,${btoa("\0\0\0\x18ftypheic\0\0\0\0heicmif1")}`)]),
  );
  await probe("chat_bad_b64", chat([{ type: "text", text: "x" }, img(`data:image/png;base64,!!!notbase64`)]));
  await probe("chat_missing_url", chat([{ type: "text", text: "x" }, { type: "image_url", image_url: {} }]));
  const resp = (content: unknown, extra: Record<string, unknown> = {}) => () =>
    client.responses.create(
      { model: "openclaw", input: [{ type: "message", role: "user", content: content as any }], ...extra } as any,
    );
  await probe(
    "resp_image",
    resp([{ type: "input_text", text: "what?" }, {
      type: "input_image",
      source: { type: "base64", media_type: "image/png", data: PNG },
    }]),
  );
  await probe(
    "resp_image_sdk_shape",
    resp([{ type: "input_text", text: "what?" }, { type: "input_image", image_url: `data:image/png;base64,${PNG}` }]),
  );
  await probe(
    "resp_file_text",
    resp([{ type: "input_text", text: "read" }, {
      type: "input_file",
      source: { type: "base64", media_type: "text/plain", data: btoa("line one\nline two"), filename: "notes.txt" },
    }], { instructions: "be brief" }),
  );
  await probe(
    "resp_file_only",
    resp([{
      type: "input_file",
      source: { type: "base64", media_type: "text/markdown", data: btoa("# T"), filename: "a.md" },
    }]),
  );
  await probe(
    "resp_file_url_loopback",
    resp([{ type: "input_text", text: "read" }, {
      type: "input_file",
      source: { type: "url", url: "http://127.0.0.1:9/a.txt" },
    }]),
  );
  await probe(
    "resp_file_bad_mime",
    resp([{ type: "input_text", text: "read" }, {
      type: "input_file",
      source: { type: "base64", media_type: "application/zip", data: btoa("PK\x03\x04zzzz"), filename: "a.zip" },
    }]),
  );
  await probe(
    "resp_image_bmp",
    resp([{ type: "input_text", text: "x" }, {
      type: "input_image",
      source: { type: "base64", media_type: "image/bmp", data: PNG },
    }]),
  );
  await probe(
    "resp_9_urls",
    resp([
      { type: "input_text", text: "x" },
      ...Array.from(
        { length: 9 },
        () => ({ type: "input_image", source: { type: "url", url: "https://example.com/a.png" } }),
      ),
    ]),
  );
  await probe(
    "resp_pdf",
    resp([{ type: "input_text", text: "read" }, {
      type: "input_file",
      source: { type: "base64", media_type: "application/pdf", data: pdfSaying("Hello PDF world"), filename: "t.pdf" },
    }]),
  );
  await probe(
    "resp_file_png_declared_text",
    resp([{ type: "input_text", text: "read" }, {
      type: "input_file",
      source: { type: "base64", media_type: "text/plain", data: PNG, filename: "x.txt" },
    }]),
  );
} finally {
  await Deno.writeTextFile("/tmp/reference_media_out.json", JSON.stringify(out, null, 1));
  await ref.stop();
  await upstream.stop();
}
