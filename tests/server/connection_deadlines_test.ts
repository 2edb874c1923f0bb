import assert from "node:assert/strict";
import { httpOnly } from "../support/http_only.ts";
import { getLogger } from "../../src/log/logger.ts";
import { type ConnectionLimits, ConnectionRegistry } from "../../src/server/connections.ts";
import { type ConnActivity, serveHttp1 } from "../../src/server/http1.ts";

const LIMITS: ConnectionLimits = {
  maxConnections: 16,
  headersTimeoutMs: 300,
  keepAliveTimeoutMs: 300,
  webSocketIdleMs: 60_000,
  sendTimeoutMs: 300,
};
const encoder = new TextEncoder();

/** Serves `handler` on loopback through `wrap(listener)`; stops it after `body`. */
async function withServer(
  handler: (request: Request) => Response | Promise<Response>,
  body: (port: number, registry: ConnectionRegistry) => Promise<void>,
  limits: ConnectionLimits = LIMITS,
  wrap: (listener: Deno.TcpListener) => Deno.TcpListener = (l) => l,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const registry = new ConnectionRegistry({ limits, log: getLogger("test"), handlers: httpOnly(handler) });
  registry.serve(wrap(listener));
  try {
    await body(listener.addr.port, registry);
  } finally {
    await registry.shutdown(1000);
  }
}

/** Reads until the server closes (true) or `ms` pass (false); the text read so far goes to `into`. */
async function closedWithin(conn: Deno.Conn, ms: number, into: string[] = []): Promise<boolean> {
  const buffer = new Uint8Array(65_536);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), ms));
  try {
    for (;;) {
      const n = await Promise.race([conn.read(buffer).catch(() => null), timeout]);
      if (n === "timeout") return false;
      if (n === null) return true;
      into.push(new TextDecoder().decode(buffer.subarray(0, n)));
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until true or `ms` pass. */
async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

Deno.test("a body announced but never sent is drained only until the keep-alive deadline, and is evictable meanwhile", async () => {
  await withServer(() => new Response("ok"), async (port) => {
    const pinned = await Promise.all([0, 1].map(() => Deno.connect({ hostname: "127.0.0.1", port })));
    try {
      for (const conn of pinned) {
        await conn.write(encoder.encode("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"));
        const buffer = new Uint8Array(4096);
        assert.match(new TextDecoder().decode(buffer.subarray(0, (await conn.read(buffer))!)), /^HTTP\/1\.1 200/);
      }
      // Both slots are held by connections draining a body that never comes: a newcomer still gets in.
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" } });
      assert.equal(await response.text(), "ok");
      const other = pinned.find((conn) => conn !== undefined)!;
      assert.ok(await closedWithin(other, 3000), "a draining connection is closed at the keep-alive deadline");
    } finally {
      for (const conn of pinned) conn.close();
    }
  }, { ...LIMITS, maxConnections: 2 });
});

Deno.test("a request body that stops arriving closes the connection after the headers timeout", async () => {
  let failed = false;
  await withServer(async (request) => {
    try {
      await request.text();
    } catch {
      failed = true;
    }
    return new Response("read");
  }, async (port) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(encoder.encode("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"));
      assert.ok(await closedWithin(conn, 3000), "closed while the handler waited for the body");
      assert.ok(await eventually(() => failed, 1000), "the handler's body read failed");
    } finally {
      conn.close();
    }
  });
});

Deno.test("a client that stops reading a response is closed after sendTimeoutMs", async () => {
  let cancelled = false;
  const endless = () =>
    new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new Uint8Array(1 << 20));
        },
        cancel() {
          cancelled = true;
        },
      }),
    );
  await withServer(endless, async (port, registry) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      // Never read: the server's writes stall once the socket buffers fill.
      assert.ok(await eventually(() => registry.size === 0, 5000), `still open: ${registry.size}`);
      assert.ok(await eventually(() => cancelled, 1000), "the response body was cancelled");
    } finally {
      conn.close();
    }
  });
});

/** A listener whose accept() fails with `errors` (one per call) once `arm()` was called. */
function flakyListener(errors: Error[]): { wrap: (l: Deno.TcpListener) => Deno.TcpListener; arm: () => void } {
  let armed = false;
  const pending: Error[] = [];
  return {
    arm: () => {
      armed = true;
      pending.push(...errors);
    },
    wrap: (real) =>
      ({
        accept: () => armed && pending.length > 0 ? Promise.reject(pending.shift()) : real.accept(),
        close: () => real.close(),
        addr: real.addr,
      }) as unknown as Deno.TcpListener,
  };
}

Deno.test("connections reset while queued for accept neither stall the accept loop nor evict idle clients", async () => {
  const resets = Array.from(
    { length: 30 },
    () => new Deno.errors.NotConnected("Transport endpoint is not connected (os error 107)"),
  );
  const flaky = flakyListener(resets);
  await withServer(
    () => new Response("ok"),
    async (port, registry) => {
      const idle = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        assert.ok(await eventually(() => registry.size === 1, 2000));
        flaky.arm();
        // This client is accepted by the pending accept(); the next 30 accepts fail with ENOTCONN.
        const trigger = await Deno.connect({ hostname: "127.0.0.1", port });
        trigger.close();
        const started = Date.now();
        const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: "close" } });
        assert.equal(await response.text(), "ok");
        assert.ok(Date.now() - started < 1000, `waited ${Date.now() - started} ms`);
        // The idle client was not shed for them: it still gets an answer.
        await idle.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        const text: string[] = [];
        assert.ok(await closedWithin(idle, 3000, text));
        assert.match(text.join(""), /^HTTP\/1\.1 200 OK/);
      } finally {
        idle.close();
      }
    },
    { ...LIMITS, headersTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 },
    flaky.wrap,
  );
});

Deno.test("an EMFILE while few connections are open does not lower the connection cap", async () => {
  const flaky = flakyListener([new Error("Too many open files (os error 24)")]);
  await withServer(
    () => new Response("ok"),
    async (port, registry) => {
      flaky.arm();
      const trigger = await Deno.connect({ hostname: "127.0.0.1", port });
      const conns: Deno.Conn[] = [trigger];
      try {
        for (let i = 0; i < 24; i++) conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
        // The EMFILE shed one idle connection (the trigger); the other 24 stay, past the old floor of 16.
        assert.ok(await eventually(() => registry.size === 24, 3000), `open: ${registry.size}`);
      } finally {
        for (const conn of conns) conn.close();
      }
    },
    { ...LIMITS, maxConnections: 40, headersTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 },
    flaky.wrap,
  );
});

Deno.test("a head trickled in a byte at a time is scanned in linear time", async () => {
  const head = encoder.encode(`GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ${"a".repeat(15_000)}\r\n\r\n`);
  let offset = 0;
  let answered = "";
  const conn = {
    read: (buffer: Uint8Array) => {
      if (offset >= head.length) return Promise.resolve(null);
      buffer[0] = head[offset++]!;
      return Promise.resolve(1);
    },
    write: (bytes: Uint8Array) => {
      answered += new TextDecoder().decode(bytes);
      return Promise.resolve(bytes.length);
    },
    close: () => {},
  } as unknown as Deno.Conn;
  const activity: ConnActivity = { state: "head", since: Date.now(), served: 0 };
  // Bytes searched, not time: a byte search is native and fast, so a rescan of the whole buffer on
  // every read hid within any wall-clock bound a loaded machine allows (and a loaded machine broke
  // the bound of a linear one). Counting what the searches cover tells the two apart exactly.
  const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as { indexOf: (...args: unknown[]) => number };
  const indexOf = typedArray.indexOf;
  let searched = 0;
  typedArray.indexOf = function (this: Uint8Array, ...args: unknown[]) {
    const from = typeof args[1] === "number" ? args[1] : 0;
    const found = indexOf.apply(this, args);
    searched += (found < 0 ? this.length : found + 1) - from;
    return found;
  };
  try {
    await serveHttp1({
      conn,
      remoteAddr: "127.0.0.1",
      activity,
      handlers: httpOnly(() => new Response("ok")),
      onError: () => {},
      date: () => "Thu, 01 Jan 1970 00:00:00 GMT",
    });
  } finally {
    typedArray.indexOf = indexOf;
  }
  assert.match(answered, /^HTTP\/1\.1 200 OK/);
  // Linear: a few bytes per read. Rescanning from the start after every byte: ~n²/2 (10^8 here).
  assert.ok(searched < 10 * head.length, `${searched} bytes searched for a ${head.length}-byte head`);
});
