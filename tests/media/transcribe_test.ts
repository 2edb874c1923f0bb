import assert from "node:assert/strict";
import { type ResolvedTranscriber, transcribeAudio } from "../../src/media/transcribe.ts";
import type { StoredMedia } from "../../src/media/media_types.ts";

const voice: StoredMedia = { kind: "audio", mimeType: "audio/ogg", path: "/m/inbound/abc.ogg", size: 2000 };
const entry = (provider: string, extra: Partial<ResolvedTranscriber> = {}): ResolvedTranscriber => ({
  provider,
  model: "whisper-1",
  baseUrl: `http://${provider}.test/v1/`,
  apiKey: "sk-1",
  headers: {},
  language: undefined,
  prompt: undefined,
  timeoutMs: 5000,
  maxBytes: 20 * 1024 * 1024,
  maxChars: undefined,
  ...extra,
});

Deno.test("transcribeAudio: a multipart file and model to <baseUrl>/audio/transcriptions; the next entry after a failure", async () => {
  const seen: { url: string; auth: string | null; fields: Record<string, string>; file?: File }[] = [];
  const fetcher = (input: string | URL | Request, init?: RequestInit) => {
    const form = init!.body as FormData;
    const fields: Record<string, string> = {};
    let file: File | undefined;
    for (const [key, value] of form) typeof value === "string" ? fields[key] = value : file = value;
    seen.push({ url: String(input), auth: new Headers(init!.headers).get("authorization"), fields, file });
    if (String(input).includes("bad.test")) {
      return Promise.resolve(Response.json({ error: { message: "nope" } }, { status: 500 }));
    }
    return Promise.resolve(Response.json({ text: "  hello there  " }));
  };
  const result = await transcribeAudio(
    voice,
    new Uint8Array(2000),
    [entry("bad"), entry("good", { language: "en", prompt: "names: Ada" })],
    fetcher as typeof fetch,
  );
  assert.deepEqual(result, { ok: true, text: "hello there", provider: "good", model: "whisper-1" });
  assert.deepEqual(seen.map((s) => s.url), [
    "http://bad.test/v1/audio/transcriptions",
    "http://good.test/v1/audio/transcriptions",
  ]);
  assert.equal(seen[1]!.auth, "Bearer sk-1");
  assert.deepEqual(seen[1]!.fields, { model: "whisper-1", language: "en", prompt: "names: Ada" });
  assert.equal(seen[1]!.file?.name, "abc.ogg");
  assert.equal(seen[1]!.file?.type, "audio/ogg");
});

Deno.test("transcribeAudio: audio under 1 KiB is not sent; every entry failing says why", async () => {
  let calls = 0;
  const fetcher = () => (calls++, Promise.resolve(Response.json({ error: { message: "down" } }, { status: 503 })));
  assert.deepEqual(await transcribeAudio(voice, new Uint8Array(10), [entry("a")], fetcher as typeof fetch), {
    ok: false,
    reasons: ["tooSmall"],
    tooSmall: true,
  });
  assert.equal(calls, 0);
  const failed = await transcribeAudio(
    voice,
    new Uint8Array(2000),
    [entry("a", { maxBytes: 10 }), entry("b")],
    fetcher as typeof fetch,
  );
  assert.deepEqual(failed, {
    ok: false,
    reasons: ["a/whisper-1: tooLarge (2000 > 10 bytes)", "b/whisper-1: HTTP 503: down"],
    tooSmall: false,
  });
});

Deno.test("transcribeAudio: a redirect is not followed: the key, the headers and the audio go only to the configured endpoint", async () => {
  const elsewhere: string[] = [];
  const other = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    elsewhere.push(`${request.headers.get("authorization")} ${request.headers.get("x-api-key")}`);
    return Response.json({ text: "stolen" });
  });
  const configured = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    await request.body?.cancel();
    return new Response(null, {
      status: 307,
      headers: { location: `http://127.0.0.1:${other.addr.port}/v1/audio/transcriptions` },
    });
  });
  try {
    const result = await transcribeAudio(voice, new Uint8Array(2000), [
      entry("custom", {
        baseUrl: `http://127.0.0.1:${configured.addr.port}/v1`,
        apiKey: "sk-secret",
        headers: { "x-api-key": "header-secret" },
      }),
    ]);
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.reasons.join(";"), /redirect/);
    assert.deepEqual(elsewhere, []);
  } finally {
    await configured.shutdown();
    await other.shutdown();
  }
});
