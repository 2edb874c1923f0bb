import assert from "node:assert/strict";
import { rawConnect } from "../support/raw_socket.ts";
import { freePort, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "integration-token-0123456789abcdef";
const localConfig = (extra: Record<string, unknown> = {}) => ({
  gateway: { mode: "local", auth: { mode: "token", token: TOKEN }, ...extra },
});

async function fetchJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

Deno.test("first run with no config generates a stored token and serves probes", async () => {
  const home = await tempHome();
  const { proc, port } = await startGateway({ home: home.home, args: ["--allow-unconfigured"] });
  try {
    await proc.waitForLine(/dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    const tokenLine = await proc.waitForLine(/auth token generated and stored in/);
    const tokenPath = `${home.stateDir}/credentials/gateway-token`;
    assert.ok(tokenLine.includes(tokenPath));
    const token = (await Deno.readTextFile(tokenPath)).trim();
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal((await Deno.stat(tokenPath)).mode! & 0o777, 0o600);
    assert.ok(!proc.output.includes(token), "the token itself is never printed");

    assert.deepEqual(await fetchJson(`http://127.0.0.1:${port}/healthz`), {
      status: 200,
      body: { ok: true, status: "live" },
    });
    const ready = await fetchJson(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal((ready.body as { ready: boolean }).ready, true);
    const lock = JSON.parse(await Deno.readTextFile(`${home.stateDir}/gateway.lock`));
    assert.equal(lock.pid, proc.child.pid);
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
  await assert.rejects(Deno.stat(`${home.stateDir}/gateway.lock`), Deno.errors.NotFound, "lock removed on exit");
});

Deno.test("a restart reuses the stored token instead of generating a new one", async () => {
  const home = await tempHome();
  try {
    const first = await startGateway({ home: home.home, args: ["--allow-unconfigured"] });
    assert.equal(await first.proc.stop(), 0);
    const token = await Deno.readTextFile(`${home.stateDir}/credentials/gateway-token`);
    const second = await startGateway({ home: home.home, args: ["--allow-unconfigured"] });
    assert.equal(await second.proc.stop(), 0);
    assert.ok(!second.proc.output.includes("auth token generated"));
    assert.equal(await Deno.readTextFile(`${home.stateDir}/credentials/gateway-token`), token);
  } finally {
    await home.cleanup();
  }
});

Deno.test("port precedence: --port beats OPENCLAW_GATEWAY_PORT beats gateway.port", async () => {
  const home = await tempHome(localConfig({ port: freePort() }));
  try {
    const envPort = freePort();
    const viaEnv = await spawnOpenclaw(["gateway"], {
      home: home.home,
      env: { OPENCLAW_GATEWAY_PORT: String(envPort) },
    });
    await viaEnv.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${envPort} `));
    assert.equal(await viaEnv.stop(), 0);

    const flagPort = freePort();
    const viaFlag = await spawnOpenclaw(["gateway", "run", "--port", String(flagPort)], {
      home: home.home,
      env: { OPENCLAW_GATEWAY_PORT: String(envPort) },
    });
    await viaFlag.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${flagPort} `));
    assert.equal(await viaFlag.stop(), 0);
  } finally {
    await home.cleanup();
  }
});

Deno.test("gateway.port from the config file is used when nothing overrides it", async () => {
  const port = freePort();
  const home = await tempHome(`{
    // JSON5, as operators write it
    gateway: { mode: "local", port: ${port}, auth: { token: "${TOKEN}" }, },
  }`);
  try {
    const proc = await spawnOpenclaw(["gateway"], { home: home.home });
    await proc.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${port} `));
    assert.equal(await proc.stop(), 0);
  } finally {
    await home.cleanup();
  }
});

Deno.test("--profile NAME keeps its own state dir", async () => {
  const home = await tempHome();
  try {
    const { proc } = await startGateway({ home: home.home, args: ["--allow-unconfigured"], env: {} });
    assert.equal(await proc.stop(), 0);
    const port = freePort();
    const profiled = await spawnOpenclaw(
      ["--profile", "work", "gateway", "run", "--allow-unconfigured", "--port", String(port)],
      { home: home.home },
    );
    await profiled.waitForLine(/listening on ws:\/\//);
    assert.equal(await profiled.stop(), 0);
    await Deno.stat(`${home.home}/.openclaw-work/credentials/gateway-token`);
    assert.notEqual(
      await Deno.readTextFile(`${home.home}/.openclaw-work/credentials/gateway-token`),
      await Deno.readTextFile(`${home.stateDir}/credentials/gateway-token`),
    );
  } finally {
    await home.cleanup();
  }
});

/** Runs `gateway run` expecting a refusal; returns exit code and all output. */
async function refused(config: unknown, args: string[] = [], env: Record<string, string> = {}) {
  const home = await tempHome(config);
  try {
    const proc = await spawnOpenclaw(["gateway", "run", "--port", String(freePort()), ...args], {
      home: home.home,
      env,
    });
    const code = await proc.exited();
    return { code, output: proc.output, configPath: home.configPath };
  } finally {
    await home.cleanup();
  }
}

Deno.test("guard: a missing config exits 78 with the reference's words", async () => {
  const { code, output } = await refused(undefined);
  assert.equal(code, 78);
  assert.match(
    output,
    /Missing config\. Run `openclaw setup` or set gateway\.mode=local \(or pass --allow-unconfigured\)\./,
  );
});

Deno.test("guard: gateway.mode=remote exits 78 with 'Gateway start blocked: set gateway.mode=local'", async () => {
  const { code, output } = await refused({ gateway: { mode: "remote" } });
  assert.equal(code, 78);
  assert.match(output, /Gateway start blocked: set gateway\.mode=local/);
});

Deno.test("guard: a config missing gateway.mode is blocked as suspicious", async () => {
  const { code, output } = await refused({ gateway: { port: 1234 } });
  assert.equal(code, 78);
  assert.match(output, /Gateway start blocked: existing config is missing gateway\.mode/);
});

Deno.test("guard: a non-loopback bind without auth exits 78", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  try {
    const port = freePort();
    const proc = await spawnOpenclaw(["gateway", "run", "--bind", "lan", "--port", String(port)], { home: home.home });
    assert.equal(await proc.exited(), 78);
    assert.match(proc.output, new RegExp(`refusing to bind gateway to 0\\.0\\.0\\.0:${port} without auth`));
  } finally {
    await home.cleanup();
  }
});

Deno.test("guard: an invalid config names file, key and line in the reference's words and exits 78", async () => {
  const text = `{\n  gateway: {\n    mode: "local",\n    bogusKey: 1,\n  },\n}\n`;
  const { code, output, configPath } = await refused(text);
  assert.equal(code, 78);
  assert.ok(output.includes(`Gateway failed to start: Invalid config at ${configPath}:`), output);
  // Located at the object that holds the unknown key, as the reference does.
  assert.ok(output.includes('\nopenclaw.json:2 — gateway: Unrecognized key: "bogusKey"\n'), output);
});

Deno.test("guard: a placeholder token exits 78", async () => {
  const { code, output } = await refused({ gateway: { mode: "local", auth: { token: "change-me-now" } } });
  assert.equal(code, 78);
  assert.match(output, /published example placeholder/);
});

Deno.test("guard: password mode without a password exits 78", async () => {
  const { code, output } = await refused({ gateway: { mode: "local", auth: { mode: "password" } } });
  assert.equal(code, 78);
  assert.match(output, /Gateway auth is set to password, but no password is configured\./);
});

Deno.test("guard: an unset ${VAR} is a config error naming the variable", async () => {
  const { code, output } = await refused({ gateway: { mode: "local", auth: { token: "${OC_TEST_UNSET_TOKEN}" } } });
  assert.equal(code, 78);
  assert.match(output, /gateway\.auth\.token: references environment variable OC_TEST_UNSET_TOKEN, which is not set/);
});

Deno.test("guard: a bad --port exits 1 with the reference's words", async () => {
  const home = await tempHome(localConfig());
  try {
    const proc = await spawnOpenclaw(["gateway", "run", "--port", "99999"], { home: home.home });
    assert.equal(await proc.exited(), 1);
    assert.match(proc.output, /Invalid --port\. Use a port number from 1 to 65535, for example 18789\./);
  } finally {
    await home.cleanup();
  }
});

Deno.test("lock: a second gateway on the same state dir exits 78 with 'gateway already running (pid N)'", async () => {
  const home = await tempHome(localConfig());
  const { proc } = await startGateway({ home: home.home });
  try {
    const second = await spawnOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home });
    assert.equal(await second.exited(), 78);
    assert.match(second.output, new RegExp(`gateway already running \\(pid ${proc.child.pid}\\)`));
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("lock: a lock left by kill -9 is reclaimed on the next start", async () => {
  const home = await tempHome(localConfig());
  try {
    const { proc } = await startGateway({ home: home.home });
    proc.kill("SIGKILL");
    await proc.exited();
    const stale = JSON.parse(await Deno.readTextFile(`${home.stateDir}/gateway.lock`));
    assert.equal(stale.pid, proc.child.pid, "SIGKILL leaves the lock behind");
    const next = await startGateway({ home: home.home });
    const lock = JSON.parse(await Deno.readTextFile(`${home.stateDir}/gateway.lock`));
    assert.equal(lock.pid, next.proc.child.pid);
    assert.equal(await next.proc.stop(), 0);
  } finally {
    await home.cleanup();
  }
});

Deno.test("port: a taken port exits 1 (transient: a unit retries) with 'another gateway instance is already listening'", async () => {
  const first = await tempHome(localConfig());
  const second = await tempHome(localConfig());
  const { proc, port } = await startGateway({ home: first.home });
  try {
    const other = await spawnOpenclaw(["gateway", "run", "--port", String(port)], { home: second.home });
    assert.equal(await other.exited(), 1);
    assert.match(
      other.output,
      new RegExp(`another gateway instance is already listening on ws://127\\.0\\.0\\.1:${port}`),
    );
    assert.match(other.output, /EADDRINUSE/);
    assert.match(other.output, new RegExp(`- pid ${proc.child.pid}: `));
  } finally {
    assert.equal(await proc.stop(), 0);
    await first.cleanup();
    await second.cleanup();
  }
});

Deno.test("--force stops whatever listens on the port, then starts", async () => {
  const home = await tempHome(localConfig());
  const port = freePort();
  const squatter = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `Deno.listen({ hostname: "127.0.0.1", port: ${port} }); console.log("up"); setInterval(() => {}, 1000);`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = squatter.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assert.match((await reader.read()).value ?? "", /up/);
    reader.releaseLock();
    const { proc } = await startGateway({ home: home.home, port, args: ["--force"] });
    assert.match(proc.output, new RegExp(`force: killed pid ${squatter.pid} \\(.*\\) on port ${port}`));
    const status = await squatter.status;
    assert.equal(status.success, false, "the squatter was stopped");
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    assert.equal(await proc.stop(), 0);
  } finally {
    try {
      squatter.kill("SIGKILL");
    } catch {
      // already stopped by --force
    }
    await squatter.stdout.cancel().catch(() => {});
    await home.cleanup();
  }
});

Deno.test("SIGTERM sends shutdown to WebSocket clients, closes them with 1012 and exits 0", async () => {
  const home = await tempHome(localConfig());
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const socket = await rawConnect(port);
    socket.connect({ token: TOKEN });
    assert.equal(((await socket.nextResponse()).payload as { type: string }).type, "hello-ok");
    const frames: Record<string, unknown>[] = [];
    socket.onEvent((frame) => frames.push(frame));
    proc.kill("SIGTERM");
    const close = await socket.closed;
    assert.equal(close.code, 1012);
    const shutdown = frames.find((f) => f.event === "shutdown");
    assert.deepEqual(shutdown?.payload, { reason: "gateway stopping" });
    assert.equal(await proc.exited(), 0);
  } finally {
    proc.kill("SIGKILL");
    await proc.exited();
    await home.cleanup();
  }
});
