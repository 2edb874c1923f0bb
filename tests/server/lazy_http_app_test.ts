import assert from "node:assert/strict";
import { lazyHttpApp } from "../../src/server/lazy_http_app.ts";

const env = { remoteAddr: "127.0.0.1" };

Deno.test("lazy HTTP app: built on the first request, once, shared by concurrent requests", async () => {
  let loads = 0;
  const app = lazyHttpApp(() => {
    loads += 1;
    return Promise.resolve({ fetch: (request: Request) => new Response(new URL(request.url).pathname) });
  });
  assert.equal(loads, 0, "nothing loads before a request");
  const [a, b] = await Promise.all([
    app.fetch(new Request("http://x/a"), env),
    app.fetch(new Request("http://x/b"), env),
  ]);
  assert.deepEqual([await a.text(), await b.text(), loads], ["/a", "/b", 1]);
  assert.equal(await (await app.fetch(new Request("http://x/c"), env)).text(), "/c");
  assert.equal(loads, 1);
});

Deno.test("lazy HTTP app: a failed load fails that request and the next request loads again", async () => {
  let loads = 0;
  const app = lazyHttpApp(() => {
    loads += 1;
    if (loads === 1) return Promise.reject(new Error("chunk missing"));
    return Promise.resolve({ fetch: () => new Response("ok") });
  });
  await assert.rejects(async () => await app.fetch(new Request("http://x/"), env), /chunk missing/);
  assert.equal(await (await app.fetch(new Request("http://x/"), env)).text(), "ok");
  assert.equal(loads, 2);
});
