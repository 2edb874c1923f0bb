import assert from "node:assert/strict";
import OpenAI from "openai";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { pdfSaying } from "../support/pdf_fixture.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "media-token-0123456789abcdef";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

type UpstreamMessage = { role: string; content: unknown };

Deno.test("HTTP media: the openai SDK's image_url, input_image and input_file reach the model in OpenAI's wire format", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: {
      mode: "local",
      auth: { token: TOKEN },
      http: {
        endpoints: {
          // URL images allowed: a loopback URL must still be refused by the SSRF guard.
          chatCompletions: { enabled: true, images: { allowUrl: true } },
          responses: { enabled: true },
        },
      },
    },
    models: {
      providers: {
        fake: {
          baseUrl: upstream.url,
          api: "openai-completions",
          models: [{ id: "m1", name: "m1", input: ["text", "image"] }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: TOKEN, maxRetries: 0 });
  const lastRequest = () => upstream.requests.at(-1) as { messages: UpstreamMessage[] };
  const lastUser = () => lastRequest().messages.filter((m) => m.role === "user").at(-1)!.content;
  try {
    await client.chat.completions.create({
      model: "openclaw",
      messages: [{
        role: "user",
        content: [{ type: "text", text: "what is this?" }, {
          type: "image_url",
          image_url: { url: `data:image/png;base64,${PNG}` },
        }],
      }],
    });
    assert.deepEqual(lastUser(), [
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
    ]);

    // Streamed, only an image: the reference's placeholder prompt.
    const stream = await client.chat.completions.create({
      model: "openclaw",
      stream: true,
      messages: [{
        role: "user",
        content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } }],
      }],
    });
    for await (const _ of stream) { /* drained */ }
    assert.deepEqual(lastUser(), [
      { type: "text", text: "User sent image(s) with no text." },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
    ]);

    const asked = upstream.requests.length;
    for (const url of ["data:image/png,abc", `http://127.0.0.1:${upstream.port}/a.png`]) {
      await assert.rejects(
        client.chat.completions.create({
          model: "openclaw",
          messages: [{
            role: "user",
            content: [{ type: "text", text: "x" }, { type: "image_url", image_url: { url } }],
          }],
        }),
        (error: unknown) => {
          assert.ok(error instanceof OpenAI.BadRequestError);
          assert.deepEqual(error.error, {
            message: "Invalid image_url content in `messages`.",
            type: "invalid_request_error",
          });
          return true;
        },
      );
    }
    assert.equal(upstream.requests.length, asked, "a refused request reaches no model");

    await client.responses.create({
      model: "openclaw",
      instructions: "be brief",
      input: [{
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "read and look" },
          // The SDK's types know `image_url`; the reference (and we) take the `source` form.
          { type: "input_image", source: { type: "base64", media_type: "image/png", data: PNG } },
          {
            type: "input_file",
            source: { type: "base64", media_type: "text/plain", data: btoa("line one"), filename: "notes.txt" },
          },
        ],
      }],
    } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    assert.deepEqual(lastUser(), [
      { type: "text", text: "read and look" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
    ]);
    const system = String(lastRequest().messages.find((m) => m.role === "system")?.content);
    assert.match(system, /be brief\n\n<file name="notes\.txt">\n\n<<<EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]+">>>\n/);
    assert.match(system, /\nline one\n<<<END_EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]+">>>\n<\/file>/);

    // A PDF, through the PDFium engine the bundle carries: its text in a <file> block, its page rendered.
    await client.responses.create({
      model: "openclaw",
      input: [{
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "read" }, {
          type: "input_file",
          source: {
            type: "base64",
            media_type: "application/pdf",
            data: pdfSaying("Hello PDF world"),
            filename: "t.pdf",
          },
        }],
      }],
    } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    const pdfTurn = lastUser() as { type: string; image_url?: { url: string } }[];
    assert.equal(pdfTurn[0]!.type, "text");
    assert.match(pdfTurn[1]!.image_url!.url, /^data:image\/png;base64,iVBORw0KGgo/);
    assert.match(
      String(lastRequest().messages.find((m) => m.role === "system")?.content),
      /---\nHello PDF world\n<<<END/,
    );

    // A text-only request is unchanged: plain string content.
    await client.chat.completions.create({ model: "openclaw", messages: [{ role: "user", content: "plain" }] });
    assert.equal(lastUser(), "plain");
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
