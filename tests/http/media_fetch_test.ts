import assert from "node:assert/strict";
import { resolveHttpMedia } from "../../src/config/resolve_http_media.ts";
import type { WebFetchSsrfPolicy } from "../../src/config/resolve_web_fetch.ts";
import { fetchMediaUrl } from "../../src/http/media_fetch.ts";
import { MediaInputError } from "../../src/http/media_input_error.ts";

/** Lets a test reach its own loopback server (the default policy refuses loopback, as tested below). */
const LOOPBACK_OK: WebFetchSsrfPolicy = {
  dangerouslyAllowPrivateNetwork: true,
  allowedHostnames: [],
  blockedHostnames: [],
  allowRfc2544BenchmarkRange: false,
  allowIpv6UniqueLocalRange: false,
};

const limits = { ...resolveHttpMedia({}).responses.images, maxBytes: 1000, maxRedirects: 1, timeoutMs: 2_000 };
const lookup = () => Promise.resolve([{ address: "127.0.0.1", family: 4 }]);

async function withServer(body: (base: string, hits: string[]) => Promise<void>) {
  const hits: string[] = [];
  const stalled = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const path = new URL(request.url).pathname;
    hits.push(path);
    if (path === "/ok") return new Response("abc", { headers: { "content-type": "image/png" } });
    if (path === "/hop1") return Response.redirect(new URL("/hop2", request.url), 302);
    if (path === "/hop2") return Response.redirect(new URL("/ok", request.url), 302);
    if (path === "/elsewhere") return Response.redirect(`http://b.test:${new URL(request.url).port}/ok`, 302);
    if (path === "/big") {
      // No content-length: the cap must hold while reading.
      const chunk = new Uint8Array(600);
      return new Response(new ReadableStream({ start: (c) => (c.enqueue(chunk), c.enqueue(chunk), c.close()) }));
    }
    if (path === "/trickle") {
      // Headers at once, then a byte now and then, for ever (under the size cap): only the deadline ends it.
      let timer: ReturnType<typeof setInterval> | undefined;
      return new Response(
        new ReadableStream({
          start: (c) => void (timer = setInterval(() => c.enqueue(new Uint8Array(1)), 20)),
          cancel: () => clearInterval(timer),
        }),
        { headers: { "content-type": "image/png" } },
      );
    }
    if (path === "/slow") {
      return new Promise<Response>((resolve) => stalled.signal.onabort = () => resolve(new Response("")));
    }
    return new Response("no", { status: 404 });
  });
  try {
    await body(`http://127.0.0.1:${server.addr.port}`, hits);
  } finally {
    stalled.abort();
    await server.shutdown();
  }
}

const signal = () => new AbortController().signal;

Deno.test("media URLs: fetched with the server's type; loopback refused by default; redirects, size, allowlist and time bounded", async () => {
  await withServer(async (base, hits) => {
    const hooks = { policy: LOOPBACK_OK, lookup };
    const got = await fetchMediaUrl(`${base}/ok`, limits, "input_image", signal(), hooks);
    assert.equal(new TextDecoder().decode(got.bytes), "abc");
    assert.equal(got.contentType, "image/png");

    await assert.rejects(fetchMediaUrl(`${base}/ok`, limits, "input_image", signal()), (error: Error) => {
      assert.ok(error instanceof MediaInputError);
      assert.match(error.message, /Blocked hostname or private\/internal\/special-use IP address/);
      return true;
    });
    const before = hits.length;
    await assert.rejects(fetchMediaUrl(`${base}/hop1`, limits, "input_image", signal(), hooks), /Too many redirects/);
    assert.deepEqual(hits.slice(before), ["/hop1", "/hop2"]);
    await assert.rejects(fetchMediaUrl(`${base}/big`, limits, "input_image", signal(), hooks), /Content too large/);
    await assert.rejects(fetchMediaUrl(`${base}/404`, limits, "input_image", signal(), hooks), /Failed to fetch: 404/);
    await assert.rejects(
      fetchMediaUrl(`${base}/ok`, { ...limits, urlAllowlist: ["*.example.com"] }, "input_image", signal(), hooks),
      /not in urlAllowlist/,
    );
    assert.equal(
      (await fetchMediaUrl(`${base}/ok`, { ...limits, urlAllowlist: ["127.0.0.1"] }, "input_image", signal(), hooks))
        .bytes.length,
      3,
    );
    // A redirect cannot leave the allowlist (a.test and b.test both resolve to this server).
    const port = new URL(base).port;
    await assert.rejects(
      fetchMediaUrl(
        `http://a.test:${port}/elsewhere`,
        { ...limits, urlAllowlist: ["a.test"] },
        "input_image",
        signal(),
        hooks,
      ),
      /Blocked hostname \(not in allowlist\): b\.test/,
    );
    assert.equal(hits.at(-1), "/elsewhere", "b.test was never asked");
    await assert.rejects(
      fetchMediaUrl(`${base}/slow`, { ...limits, timeoutMs: 100 }, "input_image", signal(), hooks),
      /URL fetch failed/,
    );
    const trickleStarted = performance.now();
    await assert.rejects(
      fetchMediaUrl(`${base}/trickle`, { ...limits, timeoutMs: 300 }, "input_image", signal(), hooks),
      /URL fetch failed/,
    );
    assert.ok(performance.now() - trickleStarted < 1_500, "the deadline covers reading the body");
    await assert.rejects(
      fetchMediaUrl(`${base}/ok`, { ...limits, allowUrl: false }, "image_url", signal(), hooks),
      /image_url URL sources are disabled by config/,
    );
  });
});
