import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { writeProviderRetry } from "../support/run_retries_script.ts";
import { REPO_ROOT, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "faults-token-0123456789abcdef";

Deno.test("faults: a model that answers garbage ends the run with a clear error, no hang", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, timeoutMs: 60_000, models: ["garbage"] } } },
    agents: { defaults: { model: { primary: "fake/garbage" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const session = await connectReference({ port, token: TOKEN });
    // "No hang" is the error's own kind: a hang would end at the provider's timeout with that
    // message (and the test's deadline), not with a clock reading taken on a loaded machine.
    const error = await session.request("agent", { message: "hi", idempotencyKey: "g-1" }, { expectFinal: true })
      .then(() => undefined, (e: Error) => e);
    assert.ok(error instanceof Error, "the run fails");
    assert.doesNotMatch(error.message, /did not answer within|timed? ?out/i, "failed on the garbage, not at a timeout");
    assert.equal((await session.request<{ ok: boolean }>("health")).ok, true, "the gateway keeps serving");
    session.stop();
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("faults: a log sink on a full disk drops lines and the gateway keeps serving", async () => {
  // A real full disk: a 64 KiB tmpfs (the test runs as root, as CI does), filled by the log.
  const disk = await Deno.makeTempDir({ prefix: "oc-tinyfs-" });
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk],
    stderr: "piped",
  }).output();
  assert.equal(mount.success, true, `mounting a tmpfs needs root: ${new TextDecoder().decode(mount.stderr)}`);
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    logging: { file: `${disk}/openclaw.log`, level: "debug" },
  });
  const { proc, port } = await startGateway({ home: home.home, args: ["--verbose"] });
  try {
    const session = await connectReference({ port, token: TOKEN });
    // Each connect logs a debug line; a few hundred fill the disk. (Failed logins would be
    // slowed down on purpose by the loopback rate limiter.)
    for (let i = 0; i < 600 && !proc.output.includes("log sink file failed"); i++) {
      (await connectReference({ port, token: TOKEN })).stop();
    }
    await proc.waitForLine(/log sink file failed, dropping its lines: .*(space|ENOSPC)/i);
    assert.equal((await session.request<{ ok: boolean }>("health")).ok, true, "still serving with the disk full");
    session.stop();
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
    await new Deno.Command("umount", { args: [disk] }).output();
    await Deno.remove(disk, { recursive: true }).catch(() => {});
  }
});

Deno.test("faults: a log file that cannot be opened leaves the gateway on console logging", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    logging: { file: "/proc/openclaw.log" },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await proc.waitForLine(/log file \/proc\/openclaw\.log is unavailable .*; logging to the console only/);
    const session = await connectReference({ port, token: TOKEN });
    assert.equal((await session.request<{ ok: boolean }>("health")).ok, true);
    session.stop();
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("faults: kill -9 during config writes leaves the config whole (or its .bak)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/openclaw.json`;
  await Deno.writeTextFile(path, JSON.stringify({ gateway: { mode: "local", port: 1 } }));
  // A writer that rewrites the config as fast as it can, with a large payload, until killed. It
  // says "wrote <i>" after each write, and goes straight on to the next one.
  const script = `
    import { writeConfigFile } from "${REPO_ROOT}/src/config/write.ts";
    const pad = "x".repeat(200_000);
    const said = new TextEncoder();
    for (let i = 1; ; i++) {
      await writeConfigFile(${
    JSON.stringify(path)
  }, { gateway: { mode: "local", port: 1 + (i % 60000) }, meta: { lastTouchedVersion: pad } });
      await Deno.stdout.write(said.encode("wrote " + i + "\\n"));
    }
  `;
  try {
    for (let round = 0; round < 8; round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["eval", `--config=${REPO_ROOT}/deno.json`, script],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      // Killed right after its (round + 1)th write lands, so inside the next one: the writer's own
      // signal, not a guess at how long a start and a write take on this machine.
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      try {
        await untilWrote(lines, round + 1, 30_000);
      } finally {
        child.kill("SIGKILL");
        await lines.cancel().catch(() => {});
      }
      await child.status;
      const parsed = JSON.parse(await Deno.readTextFile(path));
      assert.equal(parsed.gateway.mode, "local", `round ${round}: the config parses`);
      JSON.parse(await Deno.readTextFile(`${path}.bak`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Reads the writer's "wrote <i>" lines until the `count`th, within `timeoutMs`. */
async function untilWrote(lines: ReadableStreamDefaultReader<string>, count: number, timeoutMs: number): Promise<void> {
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no write ${count} within ${timeoutMs}ms:\n${text}`)), timeoutMs);
  });
  try {
    while (!text.includes(`wrote ${count}\n`)) {
      const { value, done } = await Promise.race([lines.read(), late]);
      if (done) throw new Error(`the writer stopped before write ${count}:\n${text}`);
      text += value;
    }
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("faults: an oversized HTTP body is refused with 413 before it is buffered", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const big = new Uint8Array(21 * 1024 * 1024).fill(32);
    const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: big,
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.message, "Payload too large");
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("faults: a chunked body (no declared length) is counted as it arrives and refused past the limit", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const url = `http://127.0.0.1:${port}/v1/chat/completions`;
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  /** A request body sent as a stream, so fetch frames it chunked, without content-length. */
  const chunked = (parts: Uint8Array[]) =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
  try {
    const mib = new Uint8Array(1024 * 1024).fill(32);
    const tooBig = await fetch(url, { method: "POST", headers, body: chunked(Array.from({ length: 21 }, () => mib)) });
    assert.equal(tooBig.status, 413);
    assert.equal((await tooBig.json()).error.message, "Payload too large");
    // A small chunked body is read whole and parsed: validation names what the body lacks.
    const small = await fetch(url, {
      method: "POST",
      headers,
      body: chunked([new TextEncoder().encode('{"messages":'), new TextEncoder().encode("[]}")]),
    });
    assert.equal(small.status, 400);
    assert.equal((await small.json()).error.message, "Missing user message in `messages`.");
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("faults: spawned without a config directory the CLI still explains itself", async () => {
  const home = await tempHome();
  try {
    const proc = await spawnOpenclaw(["gateway", "status", "--port", "1"], { home: home.home });
    assert.equal(await proc.exited(), 0);
    assert.match(proc.output, /Config \(cli\): .*\(missing\)/);
  } finally {
    await home.cleanup();
  }
});

Deno.test("faults: a model provider that is down is reported as unreachable, at once", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadPort = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { dead: { baseUrl: `http://127.0.0.1:${deadPort}/v1`, models: ["m1"] } } },
    agents: { defaults: { model: { primary: "dead/m1" } } },
  });
  // A refused connection is transient: the reference retries it for about a minute (run_retries_test.ts); with the
  // agent's `retry.provider.maxRetries` at 0 it is reported at the first failure.
  await writeProviderRetry(home.stateDir, "main", { maxRetries: 0 });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const session = await connectReference({ port, token: TOKEN });
    await assert.rejects(
      session.request("agent", { message: "hi", idempotencyKey: "dead-1" }, { expectFinal: true }),
      /Model provider dead is unreachable/,
    );
    // The caller is not told the provider's address or the OS error; the operator's log is.
    await proc.waitForLine(new RegExp(`model call to dead/m1 \\(http://127\\.0\\.0\\.1:${deadPort}/v1\\) failed`));
    session.stop();
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("faults: 200 slowloris connections do not keep anyone else from being served", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const slow: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      // Half a request line and one header, then nothing: the classic slow-headers attack.
      await conn.write(new TextEncoder().encode("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
      slow.push(conn);
    }
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const session = await connectReference({ port, token: TOKEN });
    assert.equal((await session.request<{ ok: boolean }>("health")).ok, true);
    session.stop();
    assert.ok(performance.now() - started < 2000, "served promptly while 200 connections dangle");
  } finally {
    for (const conn of slow) conn.close();
    assert.equal(await proc.stop(), 0, "stops cleanly with half-open requests around");
    await home.cleanup();
  }
});
