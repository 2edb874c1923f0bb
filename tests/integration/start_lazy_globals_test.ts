import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";

// Deno 2.9 loads Node's timers on the first read of setTimeout and friends (12–24 ms here) and the fetch classes on
// the first `Request` (10–15 ms): neither the start nor the first client's hello-ok may pay for them, and an idle
// gateway never loads them (docs/performance.md, session 37). The gateway runs as the binary runs it, with a preload
// that prints a line among the gateway's own log lines when a lazy global is first read.

const PRELOAD = new URL("../support/lazy_globals_preload.ts", import.meta.url).pathname;
const TOKEN = "lazy-globals-token-0123456789";

Deno.test("start path: the start, the first client and the work after it load neither Node's timers nor Request", async () => {
  const port = freePort();
  // Debug on the console: the connect line ("connect client=…") says the first client was served.
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } },
    logging: { consoleLevel: "debug" },
  });
  const gateway = await spawnOpenclaw(["gateway", "run"], { home: home.home, preload: PRELOAD });
  try {
    await gateway.waitForLine(/listening on ws:\/\//);
    const client = await connectReference({ port, token: TOKEN });
    client.stop();
    // The work that begins once the first client is served (heartbeat, channels, cron, media) has all begun.
    await gateway.waitForLine(/start-up work after listening begun/);
    const lines = [...gateway.stdout];
    assert.ok(lines.some((line) => /connect client=/.test(line)), `the connect is logged:\n${lines.join("\n")}`);
    const loaded = lines.filter((line) => line.startsWith("[lazy-global]"));
    assert.deepEqual(loaded, [], `loaded by the start, the first client or the work after it:\n${lines.join("\n")}`);
    // The premise: the preload does see a load. A plain HTTP request builds the handler's Request.
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    await health.body?.cancel();
    await gateway.waitForLine(/^\[lazy-global\] Request$/);
  } finally {
    await gateway.stop();
    await home.cleanup();
  }
});
