// The gateway's kept-alive model connections (src/agent/upstream_pool.ts) against Deno's fetch, over
// a raw loopback server that records the bytes each request arrives as and answers as scripted:
// the same request bytes, the same status, reason, headers and body, connections kept and renewed.
import assert from "node:assert/strict";
import { proxyConfigured, UpstreamPool } from "../../src/agent/upstream_pool.ts";
import type { UpstreamAnswer } from "../../src/agent/upstream_answer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the raw server does with one request: bytes to write (then keep reading), or close without answering. */
type Reply = Uint8Array | string | "close";

interface RawServer {
  url: string;
  /** Each request's bytes as they arrived, with the connection (by accept order) it came on. */
  seen: { conn: number; bytes: string }[];
  accepted: () => number;
  /** Closes every open connection at once (the server's keep-alive ran out). */
  dropConnections(): void;
  stop(): Promise<void>;
}

function rawServer(
  reply: (request: string, conn: number, nth: number) => Reply,
  listener: Deno.Listener = Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  scheme = "http",
): RawServer {
  const seen: RawServer["seen"] = [];
  const open = new Set<Deno.Conn>();
  let accepted = 0;
  const serveConn = async (conn: Deno.Conn, index: number) => {
    let buffered = new Uint8Array(0);
    let nth = 0;
    try {
      for (;;) {
        // One request: the head, then as many body bytes as its content-length says.
        while (buffered.length < requestLength(buffered)) {
          const chunk = new Uint8Array(65536);
          const n = await conn.read(chunk);
          if (n === null) return;
          const next = new Uint8Array(buffered.length + n);
          next.set(buffered);
          next.set(chunk.subarray(0, n), buffered.length);
          buffered = next;
        }
        const length = requestLength(buffered);
        const request = decoder.decode(buffered.subarray(0, length));
        buffered = buffered.slice(length);
        seen.push({ conn: index, bytes: request });
        const answer = reply(request, index, nth++);
        if (answer === "close") return;
        await conn.write(typeof answer === "string" ? encoder.encode(answer) : answer);
      }
    } catch {
      // The client went away.
    } finally {
      open.delete(conn);
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
  };
  const serving = (async () => {
    for await (const conn of listener) {
      open.add(conn);
      serveConn(conn, accepted++);
    }
  })();
  return {
    // https by name, for the certificate's; http by address.
    url: `${scheme}://${scheme === "https" ? "localhost" : "127.0.0.1"}:${(listener.addr as Deno.NetAddr).port}`,
    seen,
    accepted: () => accepted,
    dropConnections() {
      for (const conn of open) conn.close();
      open.clear();
    },
    async stop() {
      listener.close();
      await serving.catch(() => {});
      for (const conn of open) conn.close();
    },
  };
}

// The request's whole length in bytes once its head has come (Infinity before).
function requestLength(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      const head = String.fromCharCode(...bytes.subarray(0, i + 2));
      return i + 4 + Number(/\r\ncontent-length: (\d+)\r\n/i.exec(head)?.[1] ?? 0);
    }
  }
  return Infinity;
}

const ok = (body: string, headers = "") =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n${headers}content-length: ${
    encoder.encode(body).length
  }\r\n\r\n${body}`;

const chunked = (pieces: string[], trailer = "") =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${
    pieces.map((p) => `${encoder.encode(p).length.toString(16)};ext=1\r\n${p}\r\n`).join("")
  }0\r\n${trailer}\r\n`;

async function text(answer: UpstreamAnswer): Promise<string> {
  let out = "";
  const stream = new TextDecoder();
  for (let bytes = await answer.read(); bytes; bytes = await answer.read()) {
    out += stream.decode(bytes, { stream: true });
  }
  return out + stream.decode();
}

const HEADERS = {
  "content-type": "application/json",
  authorization: "Bearer sk-1",
  "X-Custom": "  padded\t",
  "user-agent": "ai-sdk/1 runtime/deno",
};

function send(pool: UpstreamPool, url: string, body = '{"model":"m1"}', signal = new AbortController().signal) {
  return pool.send(url, { method: "POST", headers: HEADERS, body, signal }, (u, init) => fetch(u, init));
}

Deno.test("upstream pool: a request goes out byte for byte as fetch sends it", async () => {
  const server = rawServer(() => ok("data: [DONE]\n\n"));
  const pool = new UpstreamPool();
  try {
    const body = '{"model":"m1","messages":[{"role":"user","content":"héllo ✓"}]}';
    const viaFetch = await fetch(`${server.url}/v1/chat/completions?x=1`, { method: "POST", headers: HEADERS, body });
    await viaFetch.text();
    await text(await send(pool, `${server.url}/v1/chat/completions?x=1`, body));
    assert.equal(server.seen.length, 2);
    assert.equal(server.seen[1]!.bytes, server.seen[0]!.bytes);
    // And with headers of fetch's own defaults given (they are not sent twice).
    const own = { accept: "text/event-stream", "accept-encoding": "identity", "user-agent": "x/1" };
    await (await fetch(`${server.url}/v1`, { method: "POST", headers: own, body })).text();
    await text(
      await pool.send(
        `${server.url}/v1`,
        { method: "POST", headers: own, body, signal: new AbortController().signal },
        fetch,
      ),
    );
    assert.equal(server.seen[3]!.bytes, server.seen[2]!.bytes);
  } finally {
    pool.close();
    await server.stop();
  }
});

Deno.test("upstream pool: status, reason, headers and body as fetch gives them, for every status 200-599", async () => {
  let status = 200;
  const server = rawServer(() =>
    `HTTP/1.1 ${status} Whatever The Server Says\r\nx-a: caf\u00c3\u00a9\r\nx-b:  one \r\nx-b: two\r\ncontent-length: ${
      status === 204 || status === 304 ? 0 : 4
    }\r\n\r\n${status === 204 || status === 304 ? "" : "body"}`
  );
  const pool = new UpstreamPool();
  try {
    for (status = 200; status < 600; status++) {
      const expected = await fetch(server.url, { method: "POST", body: "" });
      const answer = await pool.send(server.url, {
        method: "POST",
        headers: {},
        body: "",
        signal: new AbortController().signal,
      }, fetch);
      assert.equal(answer.status, expected.status);
      assert.equal(answer.statusText, expected.statusText, `the reason of ${status}`);
      assert.deepStrictEqual([...answer.headers], [...expected.headers]);
      assert.equal(answer.empty, expected.body === null, `no body for ${status}`);
      assert.equal(await text(answer), await expected.text(), `the body of ${status}`);
    }
    // Every answer was read to its end, so one connection carried all 400 of the pool's requests.
    assert.equal(pool.idleCount, 1);
  } finally {
    pool.close();
    await server.stop();
  }
});

Deno.test("upstream pool: chunked (extensions, trailers), length, close-delimited and gzip bodies", async () => {
  const gzip = new Uint8Array(
    await new Response(new Blob(["data: zipped\n\n"]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  const replies: Reply[] = [
    chunked(["data: a\n\n", "data: é\n\n", "data: [DONE]\n\n"], "x-trailer: t\r\n"),
    ok("data: b\n\n"),
    new Uint8Array([
      ...encoder.encode(`HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: ${gzip.length}\r\n\r\n`),
      ...gzip,
    ]),
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nyes",
    "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil the close",
  ];
  const server = rawServer((_request, _conn, nth) => {
    const reply = replies[nth]!;
    // The close-delimited body ends when the server closes: written, then the connection ends.
    if (nth === replies.length - 1) queueMicrotask(() => server.dropConnections());
    return reply;
  });
  const pool = new UpstreamPool();
  try {
    assert.equal(await text(await send(pool, server.url)), "data: a\n\ndata: é\n\ndata: [DONE]\n\n");
    assert.equal(await text(await send(pool, server.url)), "data: b\n\n");
    assert.equal(await text(await send(pool, server.url)), "data: zipped\n\n");
    assert.equal(await text(await send(pool, server.url)), "yes");
    assert.equal(await text(await send(pool, server.url)), "until the close");
    assert.equal(server.accepted(), 1, "the first four answers left the connection for the next request");
    assert.equal(pool.idleCount, 0, "a close-delimited answer's connection is not kept");
  } finally {
    pool.close();
    await server.stop();
  }
});

Deno.test("upstream pool: a kept connection the server closed is renewed, idle or as it was taken", async () => {
  // The second request on each connection is read and dropped without an answer (the server's
  // keep-alive ran out as the request came): the pool sends it once more on a new connection.
  const server = rawServer((_request, _conn, nth) => nth === 1 ? "close" : ok("data: [DONE]\n\n"));
  const pool = new UpstreamPool();
  try {
    assert.equal(await text(await send(pool, server.url)), "data: [DONE]\n\n");
    assert.equal(await text(await send(pool, server.url)), "data: [DONE]\n\n");
    assert.equal(server.accepted(), 2);
    assert.equal(server.seen.length, 3);
    // Closed while idle: seen at once (the idle read ends), so the next request opens a new one.
    assert.equal(pool.idleCount, 1);
    server.dropConnections();
    for (let i = 0; i < 100 && pool.idleCount > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(pool.idleCount, 0);
    assert.equal(await text(await send(pool, server.url)), "data: [DONE]\n\n");
    assert.equal(server.accepted(), 3);
  } finally {
    pool.close();
    await server.stop();
  }
});

Deno.test("upstream pool: failures as fetch's, aborts with the signal's reason, redirects through fetch", async () => {
  const server = rawServer((request) => {
    if (request.startsWith("POST /garbage")) return "SPDY/3 200 OK\r\n\r\n";
    if (request.startsWith("POST /cut")) {
      return "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n9\r\ndata: a\n\n\r\n5\r\nda";
    }
    if (request.startsWith("POST /hold")) return "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    if (request.startsWith("POST /moved")) {
      return "HTTP/1.1 307 Temporary Redirect\r\nlocation: /here\r\ncontent-length: 0\r\n\r\n";
    }
    return ok("here");
  });
  const pool = new UpstreamPool();
  try {
    // Not HTTP/1.x: fetch's "fetch failed", its cause saying why.
    const garbage = await send(pool, `${server.url}/garbage`).catch((error) => error);
    assert.ok(garbage instanceof TypeError && garbage.message === "fetch failed", String(garbage));
    assert.match(String((garbage.cause as Error).message), /not an HTTP\/1\.x status line/);
    // A body cut mid-chunk: fetch's body error, word for word.
    const cut = await send(pool, `${server.url}/cut`);
    queueMicrotask(() => server.dropConnections());
    const cutError = await text(cut).catch((error) => error);
    assert.ok(cutError instanceof TypeError);
    assert.equal(cutError.message, "error reading a body from connection");
    // Aborted before, and while the body is held open: the signal's own reason.
    const before = await send(pool, `${server.url}/x`, "{}", AbortSignal.abort(new Error("stop 1"))).catch((e) => e);
    assert.equal(before.message, "stop 1");
    const controller = new AbortController();
    const held = await send(pool, `${server.url}/hold`, "{}", controller.signal);
    const reading = held.read().catch((error) => error);
    controller.abort(new Error("stop 2"));
    assert.equal((await reading).message, "stop 2");
    // A redirect is followed as fetch follows it (by fetch).
    assert.equal(await text(await send(pool, `${server.url}/moved`)), "here");
    assert.ok(server.seen.some((s) => s.bytes.startsWith("POST /here")));
    // Nothing listening: fetch's own error (the pool hands such a request to fetch).
    const gone = await send(pool, "http://127.0.0.1:9/v1").catch((error) => error);
    const expected = await fetch("http://127.0.0.1:9/v1", { method: "POST", body: "{}" }).catch((error) => error);
    assert.equal(gone.message, expected.message);
    assert.equal(gone.constructor, expected.constructor);
  } finally {
    pool.close();
    await server.stop();
  }
});

Deno.test("upstream pool: https, the server's certificate checked, one connection kept", async () => {
  // A loopback TLS server with a certificate of the tests' own CA (tests/fixtures/tls/README.md).
  const fixture = (name: string) => Deno.readTextFile(new URL(`../fixtures/tls/${name}`, import.meta.url));
  const [ca, cert, key] = await Promise.all([fixture("ca.pem"), fixture("localhost.pem"), fixture("localhost.key")]);
  const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert, key, alpnProtocols: ["http/1.1"] });
  const server = rawServer(() => chunked(["data: secure\n\n", "data: [DONE]\n\n"]), listener, "https");
  const trusting = new UpstreamPool({ connectTls: (options) => Deno.connectTls({ ...options, caCerts: [ca] }) });
  const untrusting = new UpstreamPool();
  try {
    for (let i = 0; i < 3; i++) {
      assert.equal(await text(await send(trusting, `${server.url}/v1`)), "data: secure\n\ndata: [DONE]\n\n");
    }
    assert.equal(server.accepted(), 1);
    assert.equal(server.seen[0]!.bytes.split("\r\n").at(-3), `host: ${server.url.slice("https://".length)}`);
    // A certificate nobody vouches for: fetch's own refusal (the pool hands the request to fetch).
    const refused = await send(untrusting, `${server.url}/v1`).catch((error) => error);
    const expected = await fetch(`${server.url}/v1`, { method: "POST", body: "{}" }).catch((error) => error);
    assert.ok(refused instanceof TypeError);
    assert.equal(refused.message, expected.message);
  } finally {
    trusting.close();
    untrusting.close();
    await server.stop();
  }
});

Deno.test("upstream pool: a proxy in the environment (any case) leaves model requests to fetch", () => {
  for (const name of ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]) {
    assert.equal(proxyConfigured((asked) => asked === name ? "http://proxy:3128" : undefined), true, name);
  }
  assert.equal(proxyConfigured((asked) => asked === "NO_PROXY" ? "localhost" : undefined), false);
  assert.equal(proxyConfigured((asked) => asked === "HTTPS_PROXY" ? "" : undefined), false);
});

Deno.test("upstream pool: an abort ends a connect whose TLS handshake never comes, as fetch's does", async () => {
  // A server that takes the connection and never speaks TLS.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const pool = new UpstreamPool();
  try {
    const controller = new AbortController();
    const url = `https://localhost:${(listener.addr as Deno.NetAddr).port}/v1`;
    const pending = send(pool, url, "{}", controller.signal).catch((error) => error);
    setTimeout(() => controller.abort(new Error("gave up")), 50);
    assert.equal((await pending).message, "gave up");
  } finally {
    pool.close();
    listener.close();
    await accepting.catch(() => {});
    for (const conn of held) conn.close();
  }
});

Deno.test("upstream pool: codings, header bytes and statuses fetch treats its own way", async () => {
  const deflate = new Uint8Array(
    await new Response(new Blob(["raw"]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer(),
  );
  const gzip = new Uint8Array(
    await new Response(new Blob(["raw"]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
  );
  const framed = (coding: string, bytes: Uint8Array) =>
    new Uint8Array([
      ...encoder.encode(`HTTP/1.1 200 OK\r\ncontent-encoding: ${coding}\r\ncontent-length: ${bytes.length}\r\n\r\n`),
      ...bytes,
    ]);
  const server = rawServer((request) => {
    if (request.startsWith("POST /deflate")) return framed("deflate", deflate);
    if (request.startsWith("POST /gzip")) return framed("gzip", gzip);
    if (request.startsWith("POST /status")) return "HTTP/1.1 600 Odd\r\ncontent-length: 0\r\n\r\n";
    if (request.startsWith("POST /lf")) return "HTTP/1.1 200 OK\ncontent-length: 2\nx-a: 1\n\nok";
    return ok("fine");
  });
  const pool = new UpstreamPool();
  const bytesOf = async (answer: UpstreamAnswer) => {
    const out: number[] = [];
    for (let b = await answer.read(); b; b = await answer.read()) out.push(...b);
    return out;
  };
  try {
    for (
      const [path, headers] of [
        ["/deflate", {}],
        ["/gzip", {}],
        ["/gzip", { "accept-encoding": "identity" }],
      ] as const
    ) {
      const viaFetch = await fetch(`${server.url}${path}`, { method: "POST", headers, body: "" });
      const expected = [...new Uint8Array(await viaFetch.arrayBuffer())];
      const answer = await pool.send(`${server.url}${path}`, {
        method: "POST",
        headers,
        body: "",
        signal: new AbortController().signal,
      }, fetch);
      assert.deepStrictEqual(await bytesOf(answer), expected, `${path} ${JSON.stringify(headers)}`);
    }
    // A value beyond ASCII goes out as fetch sends it (fetch sends it: Latin-1).
    const latin = { "x-name": "café" };
    await (await fetch(server.url, { method: "POST", headers: latin, body: "" })).text();
    await text(
      await pool.send(
        server.url,
        { method: "POST", headers: latin, body: "", signal: new AbortController().signal },
        fetch,
      ),
    );
    assert.equal(server.seen.at(-1)!.bytes, server.seen.at(-2)!.bytes);
    // A value with CR LF (a header injected into the request): fetch's own refusal, nothing sent.
    const sent = server.seen.length;
    const injected = { "x-name": "a\r\nx-evil: 1" };
    const refused = await pool.send(server.url, {
      method: "POST",
      headers: injected,
      body: "",
      signal: new AbortController().signal,
    }, fetch).catch((error) => error);
    const expected = await fetch(server.url, { method: "POST", headers: injected, body: "" }).catch((error) => error);
    assert.ok(refused instanceof TypeError);
    assert.equal(refused.message, expected.message);
    assert.equal(server.seen.length, sent);
    // A head with bare LFs, which fetch takes.
    const lf = await send(pool, `${server.url}/lf`);
    const lfFetch = await fetch(`${server.url}/lf`, { method: "POST", body: "" });
    assert.deepStrictEqual([...lf.headers], [...lfFetch.headers]);
    assert.equal(await text(lf), await lfFetch.text());
    // A status past 599 is no answer.
    const odd = await send(pool, `${server.url}/status`).catch((error) => error);
    assert.ok(odd instanceof TypeError && odd.message === "fetch failed");
  } finally {
    pool.close();
    await server.stop();
  }
});
