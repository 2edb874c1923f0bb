import assert from "node:assert/strict";
import { createHttpApp } from "../../src/http/app.ts";
import { getLogger } from "../../src/log/logger.ts";
import { UI_ASSETS } from "../../src/ui/assets.ts";

function app(basePath: string, settings: { enabled: boolean; allowedOrigins: string[] }) {
  return createHttpApp({
    log: getLogger("test"),
    probes: { phase: () => "ready", uptimeMs: () => 1, version: "9.9.9", detailed: () => true },
    controlUi: { basePath, settings: () => settings },
  });
}

const env = { remoteAddr: "127.0.0.1" };
const get = (a: ReturnType<typeof app>, path: string, host = "127.0.0.1:18789") =>
  a.request(`http://${host}${path}`, { headers: { host } }, env);

Deno.test("control UI under a base path: the page, its two assets, a redirect to the slash, nothing else", async () => {
  const ui = app("/ui", { enabled: true, allowedOrigins: [] });
  const redirect = await get(ui, "/ui");
  assert.equal(redirect.status, 308);
  assert.equal(redirect.headers.get("location"), "/ui/");
  const page = await get(ui, "/ui/");
  assert.equal(page.status, 200);
  assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(await page.text(), UI_ASSETS["index.html"]!.body);
  assert.equal((await get(ui, "/ui/assets/app.js")).headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal((await get(ui, "/ui/assets/app.css")).status, 200);
  for (const path of ["/", "/assets/app.js", "/ui/assets/", "/ui/static/app.js", "/ui/assets/../index.html"]) {
    const response = await get(ui, path);
    assert.ok(response.status === 404 || (response.status === 200 && path.endsWith("index.html")), path);
  }
});

Deno.test("control UI: disabled answers 404; a Host outside the safe names needs allowedOrigins", async () => {
  assert.equal((await get(app("", { enabled: false, allowedOrigins: [] }), "/")).status, 404);
  const ui = app("", { enabled: true, allowedOrigins: ["https://gw.example.com"] });
  assert.equal((await get(ui, "/", "gw.example.com")).status, 200, "listed origin's host");
  assert.equal((await get(ui, "/", "other.example.com")).status, 421);
  for (const host of ["localhost:18789", "[::1]:18789", "pi.local", "box.tail1234.ts.net", "192.168.1.5:18789"]) {
    assert.equal((await get(ui, "/", host)).status, 200, host);
  }
});

Deno.test("control UI: /favicon.ico is the embedded icon, with the same headers as the other assets", async () => {
  for (
    const [basePath, paths] of [["", ["/favicon.ico", "/assets/favicon.svg"]], ["/ui", [
      "/favicon.ico",
      "/ui/favicon.ico",
      "/ui/assets/favicon.svg",
    ]]] as const
  ) {
    const ui = app(basePath, { enabled: true, allowedOrigins: [] });
    const css = await get(ui, `${basePath}/assets/app.css`);
    await css.body?.cancel();
    for (const path of paths) {
      const icon = await get(ui, path);
      assert.equal(icon.status, 200, path);
      assert.equal(icon.headers.get("content-type"), "image/svg+xml", path);
      assert.equal(await icon.text(), UI_ASSETS["favicon.svg"]!.body);
      for (
        const header of ["content-security-policy", "x-frame-options", "cache-control", "cross-origin-resource-policy"]
      ) {
        assert.equal(icon.headers.get(header), css.headers.get(header), `${path} ${header}`);
      }
    }
  }
  assert.match(UI_ASSETS["index.html"]!.body, /<link rel="icon" href="assets\/favicon\.svg"/);
  // Like the page, the icon is refused to a Host DNS rebinding could forge.
  assert.equal((await get(app("", { enabled: true, allowedOrigins: [] }), "/favicon.ico", "evil.example")).status, 421);
});
