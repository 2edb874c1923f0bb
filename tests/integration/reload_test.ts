import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { freePort, type OpenclawProcess, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reload-token-0123456789abcdef";

function config(extra: { gateway?: Record<string, unknown>; [key: string]: unknown } = {}) {
  const { gateway, ...rest } = extra;
  return { gateway: { mode: "local", auth: { token: TOKEN }, ...gateway }, ...rest };
}

async function write(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2));
}

async function healthReload(port: number, token = TOKEN) {
  const session = await connectReference({ port, token });
  try {
    const health = await session.request<
      { configReload: { lastError: string | null; pendingRestart: string[]; mode: string } }
    >(
      "health",
    );
    return health.configReload;
  } finally {
    session.stop();
  }
}

/** Starts a gateway with `initial` config and fast ticks; runs `body`; stops it by PID. */
async function withReloadingGateway(
  initial: unknown,
  body: (ctx: { proc: OpenclawProcess; port: number; configPath: string }) => Promise<void>,
): Promise<void> {
  const home = await tempHome(initial);
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await body({ proc, port, configPath: home.configPath });
  } finally {
    await proc.stop();
    await home.cleanup();
  }
}

Deno.test("reload: a hot-safe edit applies without dropping WebSocket clients", async () => {
  await withReloadingGateway(config(), async ({ proc, port, configPath }) => {
    const session = await connectReference({ port, token: TOKEN });
    try {
      await write(configPath, config({ logging: { level: "debug" } }));
      await proc.waitForLine(/config hot reload applied \(logging\.level\)/);
      const health = await session.request<{ ok: boolean }>("health");
      assert.equal(health.ok, true, "the same connection still answers");
      assert.deepEqual(session.closes, []);
    } finally {
      session.stop();
    }
  });
});

Deno.test("reload: a port edit in hybrid moves the gateway; clients see shutdown first", async () => {
  // The port comes from the file: a --port flag would (rightly) outrank gateway.port.
  const port = freePort();
  const home = await tempHome(config({ gateway: { port } }));
  const proc = await spawnOpenclaw(["gateway"], { home: home.home });
  try {
    await proc.waitForLine(/listening on/);
    const session = await connectReference({ port, token: TOKEN });
    const newPort = freePort();
    await write(home.configPath, config({ gateway: { port: newPort } }));
    const shutdown = await session.waitForEvent("shutdown");
    assert.deepEqual(shutdown.payload, { reason: "gateway restarting", restartExpectedMs: 1500 });
    session.stop();
    await proc.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${newPort} `));
    const moved = await connectReference({ port: newPort, token: TOKEN });
    moved.stop();
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), "the old port is closed");
    assert.equal(await proc.stop(), 0);
  } finally {
    proc.kill("SIGKILL");
    await proc.exited();
    await home.cleanup();
  }
});

Deno.test("reload: mode off ignores edits", async () => {
  await withReloadingGateway(config({ gateway: { reload: { mode: "off" } } }), async ({ proc, port, configPath }) => {
    await write(configPath, config({ gateway: { reload: { mode: "off" }, port: freePort() } }));
    await proc.waitForLine(/config reload disabled \(gateway\.reload\.mode=off\); not applied \(gateway\.port\)/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, "still on the old port");
    assert.equal((await healthReload(port)).mode, "off");
  });
});

Deno.test("reload: mode hot applies hot keys, defers a port edit and says so", async () => {
  await withReloadingGateway(config({ gateway: { reload: { mode: "hot" } } }), async ({ proc, port, configPath }) => {
    await write(
      configPath,
      config({ gateway: { reload: { mode: "hot" }, port: freePort() }, logging: { level: "debug" } }),
    );
    await proc.waitForLine(/config hot reload applied \(logging\.level\)/);
    await proc.waitForLine(
      /config change requires gateway restart \(gateway\.port\); deferred because gateway\.reload\.mode=hot/,
    );
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, "still on the old port");
    assert.deepEqual((await healthReload(port)).pendingRestart, ["gateway.port"]);
  });
});

Deno.test("reload: a burst of ten writes yields one reload", async () => {
  await withReloadingGateway(config(), async ({ proc, configPath }) => {
    for (let i = 0; i < 10; i++) {
      await write(configPath, config({ logging: { level: i % 2 === 0 ? "debug" : "warn" } }));
      await new Promise((r) => setTimeout(r, 20));
    }
    await proc.waitForLine(/config hot reload applied/);
    // A barrier the gateway itself reports: an invalid edit after the burst. Its line comes after
    // any second reload the burst could have caused, so counting then needs no pause.
    await Deno.writeTextFile(configPath, "{ not json5");
    await proc.waitForLine(/config reload skipped \(invalid config\)/);
    assert.equal(proc.stdout.filter((line) => line.includes("config change detected")).length, 1, proc.output);
  });
});

Deno.test("reload: an invalid edit is rejected, the old config keeps serving, the next valid edit applies", async () => {
  await withReloadingGateway(config(), async ({ proc, port, configPath }) => {
    await Deno.writeTextFile(configPath, `{\n  gateway: {\n    mode: "local",\n    bogusKey: 1,\n  },\n}\n`);
    const line = await proc.waitForLine(/config reload skipped \(invalid config\)/);
    // The reference 2026.9.6's line word for word (tests/fixtures/config_issues/reference_reload_lines.json);
    // health keeps where in the file the fault is.
    assert.ok(line.endsWith(`config reload skipped (invalid config): gateway: Unrecognized key: "bogusKey"`), line);
    const pending = await healthReload(port);
    assert.equal(pending.lastError, `${configPath}:2:12 — gateway: Unrecognized key: "bogusKey"`);

    await write(configPath, config({ logging: { level: "debug" } }));
    await proc.waitForLine(/config hot reload applied/);
    assert.equal((await healthReload(port)).lastError, null);
  });
});

Deno.test("reload: rename-style saves are seen", async () => {
  await withReloadingGateway(config(), async ({ proc, configPath }) => {
    const temp = `${configPath}.tmp-editor`;
    await write(temp, config({ logging: { level: "debug" } }));
    await Deno.rename(temp, configPath);
    await proc.waitForLine(/config hot reload applied \(logging\.level\)/);
  });
});

Deno.test("reload: a rotated token applies at once and closes sessions opened with the old one", async () => {
  await withReloadingGateway(config(), async ({ proc, port, configPath }) => {
    const session = await connectReference({ port, token: TOKEN });
    const rotated = "rotated-token-0123456789abcdef";
    await write(configPath, { gateway: { mode: "local", auth: { token: rotated } } });
    await proc.waitForLine(/config hot reload applied \(gateway\.auth\.token\)/);
    await until(() => session.closes.length > 0, "the old session to be closed");
    assert.deepEqual(session.closes[0], { code: 4001, reason: "gateway auth changed" });
    session.stop();
    await assert.rejects(connectReference({ port, token: TOKEN }), /gateway token mismatch/);
    (await connectReference({ port, token: rotated })).stop();
  });
});

Deno.test("reload: a port edit to a taken port keeps serving on the old one and says why", async () => {
  const port = freePort();
  const home = await tempHome(config({ gateway: { port } }));
  const proc = await spawnOpenclaw(["gateway"], { home: home.home });
  const taken = Deno.listen({ hostname: "127.0.0.1", port: freePort() });
  try {
    await proc.waitForLine(/listening on/);
    const session = await connectReference({ port, token: TOKEN });
    await write(home.configPath, config({ gateway: { port: (taken.addr as Deno.NetAddr).port } }));
    const line = await proc.waitForLine(/restart failed: .*still serving on ws:\/\/127\.0\.0\.1:/, 15_000);
    assert.match(line, /another gateway instance is already listening/);
    assert.equal((await session.request<{ ok: boolean }>("health")).ok, true, "old clients keep working");
    const status = await session.request<{ configReload: { pendingRestart: string[]; lastError: string } }>("health");
    assert.deepEqual(status.configReload.pendingRestart, ["gateway.port"]);
    assert.match(status.configReload.lastError, /restart failed/);
    session.stop();
  } finally {
    taken.close();
    await proc.stop();
    await home.cleanup();
  }
});

type ReloadHealth = { configReload: { lastError: string | null; ignoredKeys: string[] } };

Deno.test("reload: clients see a rejected edit at once, and undoing it back to the running config clears the error", async () => {
  const initial = config();
  await withReloadingGateway(initial, async ({ proc, port, configPath }) => {
    const session = await connectReference({ port, token: TOKEN });
    try {
      const lastHealth = () =>
        (session.events.filter((e) => e.event === "health").at(-1)?.payload as ReloadHealth | undefined)
          ?.configReload;
      await Deno.writeTextFile(configPath, `{ gateway: { mode: "local", bogusKey: 1 } }`);
      await proc.waitForLine(/config reload skipped \(invalid config\)/);
      await until(() => /bogusKey/.test(lastHealth()?.lastError ?? ""), "a health event naming the bad key");
      // The very bytes the gateway started from: the same hash as the config in force.
      await write(configPath, initial);
      await until(() => lastHealth()?.lastError === null, "a health event without the error");
      assert.equal((await healthReload(port)).lastError, null);
    } finally {
      session.stop();
    }
  });
});

Deno.test("reload: SIGHUP reloads the config, says so, and never kills the gateway", async () => {
  const initial = config({ gateway: { reload: { mode: "off" } } });
  await withReloadingGateway(initial, async ({ proc, port, configPath }) => {
    const session = await connectReference({ port, token: TOKEN });
    try {
      proc.kill("SIGHUP");
      await proc.waitForLine(/config unchanged; nothing to reload/);
      // With reload.mode=off the watcher leaves the edit alone; SIGHUP is the operator asking.
      await write(configPath, config({ gateway: { reload: { mode: "off" } }, logging: { level: "debug" } }));
      await proc.waitForLine(/config reload disabled/);
      proc.kill("SIGHUP");
      await proc.waitForLine(/received SIGHUP; reloading config/);
      await proc.waitForLine(/config hot reload applied \(logging\.level\)/);
      const health = await session.request<{ ok: boolean }>("health");
      assert.equal(health.ok, true, "the same connection still answers");
      assert.deepEqual(session.closes, []);
    } finally {
      session.stop();
    }
  });
});

Deno.test("reload: keys this gateway does not implement are named once at start, in health, and again when an edit changes them", async () => {
  const initial = config({ cron: { triggers: { enabled: true } }, channels: { signal: { enabled: true } } });
  await withReloadingGateway(initial, async ({ proc, port, configPath }) => {
    const line = await proc.waitForLine(/config keys this gateway does not implement are ignored/);
    assert.match(line, /ignored: cron\.triggers, channels\.signal \(/);
    const health = async () => {
      const session = await connectReference({ port, token: TOKEN });
      try {
        return (await session.request<ReloadHealth>("health")).configReload.ignoredKeys;
      } finally {
        session.stop();
      }
    };
    assert.deepEqual(await health(), ["cron.triggers", "channels.signal"]);
    await write(
      configPath,
      config({ cron: { triggers: { enabled: true } }, logging: { level: "debug", consoleStyle: "json" } }),
    );
    await proc.waitForLine(/ignored: cron\.triggers, logging\.consoleStyle \(/);
    assert.deepEqual(await health(), ["cron.triggers", "logging.consoleStyle"]);
    assert.equal(proc.output.split("\n").filter((l) => l.includes("does not implement are ignored")).length, 2);
  });
});
