import assert from "node:assert/strict";
import OpenAI from "openai";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "http-token-0123456789abcdef";

function config(upstreamUrl: string, enabled: boolean) {
  return {
    gateway: {
      mode: "local",
      auth: { token: TOKEN },
      http: { endpoints: { chatCompletions: { enabled } } },
    },
    models: { providers: { fake: { baseUrl: upstreamUrl, models: ["m1", "fail"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  };
}

async function withHttpGateway(
  enabled: boolean,
  body: (
    ctx: { port: number; base: string; upstream: ReturnType<typeof startFakeUpstream>; stateDir: string },
  ) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome(config(upstream.url, enabled));
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await body({ port, base: `http://127.0.0.1:${port}`, upstream, stateDir: home.stateDir });
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

Deno.test("HTTP: disabled endpoints are a plain 404, even with a valid token", async () => {
  await withHttpGateway(false, async ({ base }) => {
    for (const path of ["/v1/models", "/v1/chat/completions"]) {
      const res = await fetch(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 404);
      assert.equal(await res.text(), "Not Found");
    }
  });
});

Deno.test("HTTP: missing or wrong auth is 401; wrong method is 405 before auth", async () => {
  await withHttpGateway(true, async ({ base }) => {
    const missing = await fetch(`${base}/v1/models`);
    assert.equal(missing.status, 401);
    assert.deepEqual(await missing.json(), { error: { message: "Unauthorized", type: "unauthorized" } });
    const wrong = await fetch(`${base}/v1/models`, { headers: { authorization: "Bearer nope-0123456789" } });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const get = await fetch(`${base}/v1/chat/completions`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get("allow"), "POST");
    await get.body?.cancel();
  });
});

Deno.test("HTTP: the openai SDK lists models and gets completions, plain and streamed", async () => {
  await withHttpGateway(true, async ({ base, upstream, stateDir }) => {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: TOKEN });
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ["openclaw", "openclaw/default", "openclaw/main"]);
    assert.equal((await client.models.retrieve("openclaw/main")).id, "openclaw/main");

    const completion = await client.chat.completions.create({
      model: "openclaw",
      messages: [{ role: "user", content: "Say hello" }],
    });
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, "openclaw");
    assert.equal(completion.choices[0]!.message.content, FAKE_ANSWER);
    assert.equal(completion.choices[0]!.finish_reason, "stop");
    assert.equal(completion.usage?.completion_tokens, 8);

    const stream = await client.chat.completions.create({
      model: "openclaw/main",
      messages: [{ role: "user", content: "Say hello" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, FAKE_ANSWER);
    assert.equal(finish, "stop");
    assert.ok(usage, "include_usage adds a usage chunk");

    // `user` keeps a conversation across stateless calls.
    await client.chat.completions.create({
      model: "openclaw",
      user: "alice",
      messages: [{ role: "user", content: "one" }],
    });
    await client.chat.completions.create({
      model: "openclaw",
      user: "alice",
      messages: [{ role: "user", content: "two" }],
    });
    const last = upstream.requests.at(-1) as { messages: { content: string }[] };
    assert.deepEqual(last.messages.map((m) => m.content), ["one", FAKE_ANSWER, "two"]);
    // Stateless calls leave no transcript; only the `user` conversation is kept.
    const index = JSON.parse(await Deno.readTextFile(`${stateDir}/agents/main/sessions/sessions.json`));
    assert.deepEqual(Object.keys(index.sessions), ["agent:main:openai-user:alice"]);
  });
});

Deno.test("HTTP: bad input and upstream failures answer in OpenAI's error shape", async () => {
  await withHttpGateway(true, async ({ base }) => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const badJson = await post("{nope");
    assert.equal(badJson.status, 400);
    assert.equal((await badJson.json()).error.type, "invalid_request_error");
    const noUser = await post({ messages: [] });
    assert.deepEqual(await noUser.json(), {
      error: { message: "Missing user message in `messages`.", type: "invalid_request_error" },
    });
    const badModel = await post({ model: "gpt-4", messages: [{ role: "user", content: "x" }] });
    assert.equal(badModel.status, 400);
    assert.match((await badModel.json()).error.message, /Invalid `model`/);
    const unknownAgent = await post({ model: "openclaw/nope", messages: [{ role: "user", content: "x" }] });
    assert.equal((await unknownAgent.json()).error.message, "Unknown agent 'nope'.");

    const failing = await post({ messages: [{ role: "user", content: "x" }] }, { "x-openclaw-model": "fake/fail" });
    assert.equal(failing.status, 400);
    assert.match((await failing.json()).error.message, /400 .*mock failure/);
    const failingStream = await post({ stream: true, messages: [{ role: "user", content: "x" }] }, {
      "x-openclaw-model": "fake/fail",
    });
    assert.equal(failingStream.status, 200, "stream errors go in-band");
    const events = (await failingStream.text()).trim().split("\n\n");
    assert.match(events.at(-2)!, /^data: \{"error":\{"message":"400 .*mock failure/);
    assert.equal(events.at(-1), "data: [DONE]");
  });
});

Deno.test("HTTP: /v1/responses answers the openai SDK, plain and as the typed event stream", async () => {
  const upstream = startFakeUpstream();
  const cfg = config(upstream.url, true) as { gateway: { http: { endpoints: Record<string, unknown> } } };
  cfg.gateway.http.endpoints.responses = { enabled: true };
  const home = await tempHome(cfg);
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: TOKEN });
    const plain = await client.responses.create({ model: "openclaw", input: "Say hello" });
    assert.equal(plain.status, "completed");
    assert.equal(plain.output_text, FAKE_ANSWER);

    const stream = await client.responses.create({
      model: "openclaw/main",
      instructions: "Be brief.",
      input: [{ role: "user", content: "Say hello" }],
      stream: true,
    });
    const types: string[] = [];
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
    }
    assert.equal(text, FAKE_ANSWER);
    assert.deepEqual(types.filter((t) => t !== "response.output_text.delta"), [
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const sent = upstream.requests.at(-1) as { messages: { role: string; content: string }[] };
    assert.deepEqual(sent.messages.map((m) => m.role), ["system", "user"], "instructions become the system message");

    const missing = await fetch(`http://127.0.0.1:${port}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ input: "x" }),
    });
    assert.equal(missing.status, 400);
    assert.equal((await missing.json()).error.message, "model: Invalid input: expected string, received undefined");
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("HTTP: /v1/embeddings uses the agent's embedding model, or x-openclaw-model", async () => {
  const upstream = startFakeUpstream();
  const cfg = config(upstream.url, true) as Record<string, unknown>;
  const home = await tempHome(cfg);
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: TOKEN });
    await assert.rejects(
      client.embeddings.create({ model: "openclaw", input: "alpha" }),
      /No embedding model for agent main/,
    );
    const result = await client.embeddings.create(
      { model: "openclaw", input: ["alpha", "be"], encoding_format: "float" },
      { headers: { "x-openclaw-model": "fake/e1" } },
    );
    assert.deepEqual(result.data.map((d) => d.embedding), [[5, 97, 1], [2, 98, 1]]);
    assert.equal((upstream.requests.at(-1) as { model: string }).model, "e1");
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
