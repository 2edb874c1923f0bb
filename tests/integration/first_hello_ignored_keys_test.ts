import assert from "node:assert/strict";
import { portAccepts } from "../support/port_accepts.ts";
import { connectRequest } from "../support/raw_socket.ts";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "first-hello-token-0123456789abcdef";

type Hello = { ok: boolean; payload?: { snapshot?: { health?: { configReload?: { ignoredKeys?: string[] } } } } };

/** Connects the moment the port accepts (before the "listening" lines are read) and returns the hello-ok frame. */
function firstHello(port: number): Promise<Hello> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    ws.onerror = () => reject(new Error("socket error before hello-ok"));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") ws.send(JSON.stringify(connectRequest({ token: TOKEN }, "c")));
      else if (frame.type === "res" && frame.id === "c") {
        ws.onerror = null;
        ws.onclose = () => resolve(frame);
        ws.close();
      }
    };
  });
}

// The runner walks the config for keys it does not implement before the port is bound (runner.ts), so a client
// connecting as the port accepts is not queued behind the walk; its hello-ok must still name them, as a client
// connecting later does, and the start-up warning is still logged.
Deno.test("first hello-ok: a client connecting as the port accepts sees the ignored config keys in health", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    cron: { triggers: { enabled: true } },
    channels: { signal: { enabled: true } },
  });
  const port = freePort();
  const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port)], { home: home.home });
  try {
    await until(() => portAccepts(port), "the port accepts");
    const hello = await firstHello(port);
    assert.equal(hello.ok, true);
    assert.deepEqual(hello.payload?.snapshot?.health?.configReload?.ignoredKeys, ["cron.triggers", "channels.signal"]);
    // Still named once at start, as before (stdout and stderr arrive on separate pipes: their order is not read).
    const line = await proc.waitForLine(/config keys this gateway does not implement are ignored/);
    assert.match(line, /ignored: cron\.triggers, channels\.signal \(/);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
