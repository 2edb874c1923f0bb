import assert from "node:assert/strict";
import OpenAI from "openai";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { type OpenclawProcess, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { DatabaseSync } from "node:sqlite";

/** The session keys in the main agent's database, as the reference reads them. */
function storedSessionKeys(stateDir: string): string[] {
  const db = new DatabaseSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`, { readOnly: true });
  try {
    return (db.prepare("SELECT session_key FROM session_nodes ORDER BY session_key").all() as { session_key: string }[])
      .map((row) => row.session_key);
  } finally {
    db.close();
  }
}

const TOKEN = "http-token-0123456789abcdef";
/** The key of a provider whose upstream echoes the Authorization header in its error body. */
const PROVIDER_KEY = "sk-echoed-provider-key-0123456789";

function config(upstreamUrl: string, enabled: boolean) {
  return {
    gateway: {
      mode: "local",
      auth: { token: TOKEN },
      http: { endpoints: { chatCompletions: { enabled } } },
    },
    models: {
      providers: {
        fake: { baseUrl: upstreamUrl, models: ["m1", "fail", "stall"] },
        keyed: { baseUrl: upstreamUrl, apiKey: PROVIDER_KEY, models: ["echo-auth"] },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  };
}

async function withHttpGateway(
  enabled: boolean,
  body: (
    ctx: {
      port: number;
      base: string;
      upstream: ReturnType<typeof startFakeUpstream>;
      stateDir: string;
      proc: OpenclawProcess;
    },
  ) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome(config(upstream.url, enabled));
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await body({ port, base: `http://127.0.0.1:${port}`, upstream, stateDir: home.stateDir, proc });
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
    const last = upstream.requests.at(-1) as { messages: { role: string; content: string }[] };
    // The workspace's system prompt comes first (tests/integration/workspace_prompt_test.ts).
    assert.deepEqual(last.messages.filter((m) => m.role !== "system").map((m) => m.content), [
      "one",
      FAKE_ANSWER,
      "two",
    ]);
    // Stateless calls leave no transcript; only the `user` conversation is kept.
    assert.deepEqual(storedSessionKeys(stateDir), ["agent:main:openai-user:alice"]);
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
    // The status and type are the provider's; the words are ours: upstream text never reaches a caller.
    assert.deepEqual(await failing.json(), {
      error: { message: "400 the model provider rejected the request", type: "invalid_request_error" },
    });
    const failingStream = await post({ stream: true, messages: [{ role: "user", content: "x" }] }, {
      "x-openclaw-model": "fake/fail",
    });
    assert.equal(failingStream.status, 200, "stream errors go in-band");
    const events = (await failingStream.text()).trim().split("\n\n");
    assert.match(events.at(-2)!, /^data: \{"error":\{"message":"400 the model provider rejected the request"/);
    assert.equal(events.at(-1), "data: [DONE]");
  });
});

Deno.test("HTTP: an upstream echoing the Authorization header reaches neither the caller nor the log in clear", async () => {
  await withHttpGateway(true, async ({ base, proc, stateDir }) => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          "x-openclaw-model": "keyed/echo-auth",
        },
        body: JSON.stringify({ messages: [{ role: "user", content: "x" }], ...body }),
      });
    const plain = await post({});
    assert.equal(plain.status, 401, "the provider's status is kept");
    const text = await plain.text();
    assert.ok(!text.includes(PROVIDER_KEY), `the provider key reached the caller: ${text}`);
    assert.deepEqual(JSON.parse(text), {
      error: { message: "401 the model provider refused the gateway's credentials", type: "invalid_request_error" },
    });
    const streamed = await (await post({ stream: true })).text();
    assert.ok(!streamed.includes(PROVIDER_KEY), `the provider key reached a streaming caller: ${streamed}`);
    assert.match(streamed, /"message":"401 the model provider refused the gateway's credentials"/);

    // The detail is logged for the operator, with the key masked, in the console and the file.
    const line = await proc.waitForLine(/model call to keyed\/echo-auth .*failed: HTTP 401/);
    assert.ok(!line.includes(PROVIDER_KEY), line);
    assert.match(line, /invalid credentials/);
    assert.ok(!proc.output.includes(PROVIDER_KEY), "the console never shows the key");
    const logs = `${stateDir}/logs`;
    let file = "";
    for await (const entry of Deno.readDir(logs)) file += await Deno.readTextFile(`${logs}/${entry.name}`);
    assert.match(file, /model call to keyed\/echo-auth/);
    assert.ok(!file.includes(PROVIDER_KEY), "the log file never holds the key");
  });
});

Deno.test("HTTP: a client that hangs up stops its run and the upstream request, plain or streamed", async () => {
  await withHttpGateway(true, async ({ base, upstream, proc }) => {
    const post = (body: Record<string, unknown>, signal?: AbortSignal) =>
      fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/json",
          "x-openclaw-model": body.model === "stall" ? "fake/stall" : "fake/m1",
        },
        body: JSON.stringify({ messages: [{ role: "user", content: "x" }], stream: body.stream }),
        signal,
      });
    // A finished plain answer first: the gateway watches for hang-ups on every plain request.
    const answered = await post({});
    assert.equal((await answered.json()).choices[0].message.content, FAKE_ANSWER);

    const plain = new AbortController();
    const plainReply = post({ model: "stall" }, plain.signal).catch((error: Error) => error);
    await until(() => upstream.requests.at(-1)?.model === "stall", "the upstream to see the plain request");
    plain.abort();
    assert.equal((await plainReply as Error).name, "AbortError");
    await until(() => upstream.cancelled.length === 1, "the plain run to cancel its upstream request");

    const streamed = new AbortController();
    const events = await post({ model: "stall", stream: true }, streamed.signal);
    assert.equal(events.status, 200);
    const reader = events.body!.getReader();
    assert.match(new TextDecoder().decode((await reader.read()).value), /"role":"assistant"/);
    await until(() => upstream.requests.length === 3, "the upstream to see the streamed request");
    streamed.abort();
    await reader.closed.catch(() => {});
    await until(() => upstream.cancelled.length === 2, "the streamed run to cancel its upstream request");
    assert.deepEqual(upstream.cancelled, ["stall", "stall"]);

    // Still serving, and nothing from the runtime on the console (Deno warns once when a request's
    // abort signal is read by a handler under its legacy abort semantics).
    const after = await post({});
    assert.equal(after.status, 200);
    await after.body?.cancel();
    assert.deepEqual(proc.stderr.filter((line) => /Deno\.serve/.test(line)), []);
    assert.deepEqual(proc.stdout.filter((line) => /Deno\.serve/.test(line)), []);
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

    // The routing headers work as on /v1/chat/completions.
    const routed = (headers: Record<string, string>, input: string) =>
      fetch(`http://127.0.0.1:${port}/v1/responses`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, ...headers },
        body: JSON.stringify({ model: "openclaw", input }),
      });
    const overridden = await routed({ "x-openclaw-model": "fake/fail" }, "x");
    assert.equal(overridden.status, 400, "x-openclaw-model picks the backend model");
    assert.equal((upstream.requests.at(-1) as { model: string }).model, "fail");
    const badOverride = await routed({ "x-openclaw-model": "no-slash" }, "x");
    assert.equal((await badOverride.json()).error.message, "Invalid `x-openclaw-model`. Use `provider/model`.");
    const reserved = await routed({ "x-openclaw-session-key": "cron:nightly" }, "x");
    assert.equal(reserved.status, 400);
    assert.match((await reserved.json()).error.message, /reserved internal session namespaces/);
    for (const turn of ["one", "two"]) {
      const kept = await routed({ "x-openclaw-session-key": "agent:main:desk" }, turn);
      assert.equal((await kept.json()).output[0].content[0].text, FAKE_ANSWER);
    }
    const last = upstream.requests.at(-1) as { messages: { role: string; content: string }[] };
    assert.deepEqual(
      last.messages.filter((m) => m.role !== "system").map((m) => m.content),
      ["one", FAKE_ANSWER, "two"],
      "one session across calls",
    );
    assert.ok(
      storedSessionKeys(home.stateDir).includes("agent:main:desk"),
      "an explicit session key keeps a transcript",
    );

    // A caller that hangs up on a plain answer stops its run.
    const hangUp = new AbortController();
    const pending = fetch(`http://127.0.0.1:${port}/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "x-openclaw-model": "fake/stall" },
      body: JSON.stringify({ model: "openclaw", input: "x" }),
      signal: hangUp.signal,
    }).catch((error: Error) => error);
    await until(() => upstream.requests.at(-1)?.model === "stall", "the upstream to see the request");
    hangUp.abort();
    assert.equal((await pending as Error).name, "AbortError");
    await until(() => upstream.cancelled.length > 0, "the run to cancel its upstream request");
    assert.deepEqual(upstream.cancelled, ["stall"]);
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
