import assert from "node:assert/strict";
import { httpOnly } from "../support/http_only.ts";
import { getLogger } from "../../src/log/logger.ts";
import { ConnectionRegistry } from "../../src/server/connections.ts";

const LIMITS = { maxConnections: 16, headersTimeoutMs: 5000, keepAliveTimeoutMs: 5000, webSocketIdleMs: 60_000 };
const encoder = new TextEncoder();

/** Serves `handler` on a loopback port with the gateway's own HTTP server; stops it after `body`. */
async function withServer(
  handler: (request: Request) => Response | Promise<Response>,
  body: (port: number) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const registry = new ConnectionRegistry({ limits: LIMITS, log: getLogger("test"), handlers: httpOnly(handler) });
  registry.serve(listener);
  try {
    await body(listener.addr.port);
  } finally {
    await registry.shutdown(1000);
  }
}

/** Sends raw bytes on a new connection and returns everything (Latin-1) until the server closes it. */
async function exchange(port: number, request: string | Uint8Array): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(typeof request === "string" ? encoder.encode(request) : request);
    let text = "";
    const buffer = new Uint8Array(8192);
    for (;;) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) return text;
      text += new TextDecoder("latin1").decode(buffer.subarray(0, n));
    }
  } finally {
    conn.close();
  }
}

/** Status lines in order. */
function statuses(raw: string): string[] {
  return [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]!);
}

/** Echoes method, path and body text; a body that fails to read is answered 400 (as the app does). */
async function echo(request: Request): Promise<Response> {
  let text = "";
  try {
    text = request.body ? await request.text() : "";
  } catch {
    return new Response("bad body", { status: 400 });
  }
  return Response.json({ method: request.method, path: new URL(request.url).pathname, text });
}

Deno.test("HTTP/1.1: a chunk framing error ends the connection: what follows is never served as a request", async () => {
  await withServer(echo, async (port) => {
    for (const size of ["zz", "-1", "0x5", "5zz", "+5", "0 5"]) {
      const smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
      const raw = await exchange(
        port,
        `POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nhello\r\n0\r\n\r\n${smuggled}`,
      );
      assert.deepEqual(statuses(raw), ["400"], `chunk size ${JSON.stringify(size)}: ${raw}`);
      assert.match(raw, /connection: close\r\n/i);
      assert.doesNotMatch(raw, /smuggled/);
    }
    // Valid sizes still work: upper-case hex, an extension after whitespace.
    const ok = await exchange(
      port,
      "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nA ;ext=1\r\n0123456789\r\n0\r\n\r\n",
    );
    assert.match(ok, /"text":"0123456789"/);
  });
});

Deno.test("HTTP/1.1: endless trailers are cut off, not read forever", async () => {
  await withServer(echo, async (port) => {
    const trailers = "X-T: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".repeat(600);
    const raw = await exchange(
      port,
      `POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n${trailers}\r\n`,
    );
    assert.deepEqual(statuses(raw), ["400"]);
  });
});

Deno.test("HTTP/1.1: header names are strict tokens and only SP/HTAB is trimmed from values", async () => {
  await withServer(echo, async (port) => {
    for (
      const head of [
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length\t: 5\r\n\r\nhello",
        "GET / HTTP/1.1\r\nHost: x\r\nX(y): 1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \v5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\xa0\r\n\r\nhello",
      ]
    ) {
      const bytes = Uint8Array.from(head, (c) => c.charCodeAt(0));
      assert.deepEqual(statuses(await exchange(port, bytes)), ["400"], JSON.stringify(head));
    }
    const ok = await exchange(
      port,
      "POST /t HTTP/1.1\r\nHost: x\r\nContent-Length:\t 5 \t\r\nConnection: close\r\n\r\nhello",
    );
    assert.match(ok, /"text":"hello"/);
  });
});

Deno.test("HTTP/1.1: request targets stay on this host; absolute-form only for http(s); Host required", async () => {
  const seen: string[] = [];
  await withServer((request) => {
    seen.push(request.url);
    return new Response("ok");
  }, async (port) => {
    const close = "Connection: close\r\n\r\n";
    await exchange(port, `GET //evil.example/healthz HTTP/1.1\r\nHost: gw.local\r\n${close}`);
    await exchange(port, `GET /\\evil.example/hooks HTTP/1.1\r\nHost: gw.local\r\n${close}`);
    await exchange(port, `GET http://gw.local/abs HTTP/1.1\r\nHost: gw.local\r\n${close}`);
    assert.deepEqual(seen, [
      "http://gw.local//evil.example/healthz",
      "http://gw.local//evil.example/hooks",
      "http://gw.local/abs",
    ]);
    for (
      const head of [
        "GET file:///etc/passwd HTTP/1.1\r\nHost: x\r\n",
        "GET / HTTP/1.1\r\nHost: evil@x\r\n",
        "GET / HTTP/1.1\r\nHost: x/y\r\n",
        "GET / HTTP/1.1\r\n",
      ]
    ) {
      assert.deepEqual(statuses(await exchange(port, `${head}\r\n`)), ["400"], JSON.stringify(head));
    }
    assert.equal(seen.length, 3);
  });
});

Deno.test("HTTP/1.1: requests a Request cannot carry are answered, not dropped", async () => {
  await withServer(echo, async (port) => {
    assert.deepEqual(statuses(await exchange(port, "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n")), ["501"]);
    assert.deepEqual(statuses(await exchange(port, "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n")), ["501"]);
    const lower = await exchange(
      port,
      "get /l HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
    );
    assert.deepEqual(statuses(lower), ["200"]);
  });
});

Deno.test("HTTP/1.1: a body that fails on its first read is a 500, not a silent close", async () => {
  const failing = () =>
    new Response(
      new ReadableStream({
        pull() {
          throw new Error("producer failed");
        },
      }),
    );
  await withServer(failing, async (port) => {
    assert.deepEqual(statuses(await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")), ["500"]);
  });
});

Deno.test("HTTP/1.1: Connection is a token list; HTTP/1.0 keep-alive is said in the response", async () => {
  await withServer(() => new Response("ok"), async (port) => {
    // `keep-alive, close` closes: exchange() returns only once the server closed.
    const both = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n");
    assert.match(both, /connection: close\r\n/);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(encoder.encode("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
      const buffer = new Uint8Array(4096);
      let text = "";
      while (!text.endsWith("ok")) text += new TextDecoder().decode(buffer.subarray(0, (await conn.read(buffer))!));
      assert.match(text, /connection: keep-alive\r\n/);
    } finally {
      conn.close();
    }
  });
});

Deno.test("HTTP/1.1: a body too large to drain, or one awaiting 100-continue, is answered with connection: close", async () => {
  await withServer(() => new Response("ok"), async (port) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(encoder.encode("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"));
      const buffer = new Uint8Array(4096);
      const text = new TextDecoder().decode(buffer.subarray(0, (await conn.read(buffer))!));
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*connection: close\r\n/);
    } finally {
      conn.close();
    }
    const waiting = await exchange(
      port,
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
    );
    assert.match(waiting, /connection: close\r\n/);
  });
});

Deno.test("HTTP/1.1: Latin-1 header values go out as Latin-1; an unknown status has no invented reason", async () => {
  await withServer(() => new Response("x", { status: 599, headers: { "x-name": "caf\xe9" } }), async (port) => {
    const raw = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(raw, /^HTTP\/1\.1 599 \r\n/);
    assert.match(raw, /x-name: caf\xe9\r\n/);
  });
});
