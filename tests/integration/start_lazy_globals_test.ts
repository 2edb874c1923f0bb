import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import {
  ensureFreshBundle,
  freePort,
  OpenclawProcess,
  programArgs,
  RUNTIME_ENV,
  tempHome,
} from "../support/spawn_gateway.ts";

// Deno 2.9 loads Node's timers on the first read of setTimeout and friends (12–24 ms here) and the fetch classes on
// the first `Request` (10–15 ms): neither the start nor the first client's hello-ok may pay for them, and an idle
// gateway never loads them (docs/performance.md, session 37). The gateway runs as the binary runs it, with a preload
// that prints a line among the gateway's own log lines when a lazy global is first read.

const PRELOAD = new URL("../support/lazy_globals_preload.ts", import.meta.url).pathname;
const TOKEN = "lazy-globals-token-0123456789";

Deno.test("start path: the start, the first client and the work after it load neither Node's timers nor Request", async () => {
  ensureFreshBundle();
  const port = freePort();
  // Debug on the console: the connect line ("connect client=…") says the first client was served.
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } },
    logging: { consoleLevel: "debug" },
  });
  const args = programArgs();
  // Before the program's path: the preload runs first.
  args.splice(args.length - 1, 0, "--preload", PRELOAD);
  const cwd = await Deno.makeTempDir({ prefix: "oc-lazy-cwd-" });
  const gateway = new OpenclawProcess(
    new Deno.Command(Deno.execPath(), {
      args: [...args, "gateway", "run"],
      cwd,
      env: {
        HOME: home.home,
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        // The machine's code cache, as an installed binary's own.
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`,
        NO_COLOR: "1",
        ...RUNTIME_ENV,
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn(),
    cwd,
  );
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
