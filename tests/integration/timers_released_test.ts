import assert from "node:assert/strict";
import { REPO_ROOT } from "../support/spawn_gateway.ts";

// The gateway's own timers run on AbortSignal.timeout (src/async/web_timer.ts), which no test sanitizer sees. What
// stands in for it: a fresh process whose event loop must drain at once once each timer's owner is stopped. An
// armed web timer keeps a process alive as setTimeout does, so an owner that left one would hold it for minutes.

/** Runs `body` (module code with `src` imports) in a fresh `deno` process; resolves with its exit code and wall time. */
async function drains(body: string): Promise<{ code: number; ms: number; stderr: string }> {
  const src = new URL("src/", `file://${REPO_ROOT}/`).href;
  const script = body.replaceAll("SRC/", src);
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", "--ext=ts", script],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Bounded: a process an armed timer holds is stopped here, by its PID, and the assertion below names it.
  const kill = AbortSignal.timeout(20_000);
  const stop = () => child.kill("SIGKILL");
  kill.addEventListener("abort", stop);
  const output = await child.output();
  kill.removeEventListener("abort", stop);
  return { code: output.code, ms: performance.now() - t0, stderr: new TextDecoder().decode(output.stderr) };
}

Deno.test("web timers: an armed one holds the process until it fires; a cancelled one, or a stopped interval, does not", async () => {
  const armed = await drains(`
    import { webTimeout } from "SRC/async/web_timer.ts";
    webTimeout(1500, () => {});
  `);
  assert.equal(armed.code, 0, armed.stderr);
  assert.ok(armed.ms >= 1500, `an armed timer held the process ${armed.ms} ms`);
  const cancelled = await drains(`
    import { webInterval, webTimeout } from "SRC/async/web_timer.ts";
    webTimeout(60_000, () => {})();
    const stop = webInterval(60_000, () => {});
    stop();
    let ticks = 0;
    const own = webInterval(5, () => { if (++ticks === 3) own(); });
  `);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.ok(cancelled.ms < 10_000, `cancelled timers held the process ${cancelled.ms} ms`);
});

Deno.test("the gateway's timer owners leave nothing armed once stopped", async () => {
  const result = await drains(`
    import { EventLoopMonitor } from "SRC/server/event_loop.ts";
    import { PostListenStart } from "SRC/server/post_listen_start.ts";
    import { HandshakeDeadlines } from "SRC/protocol/handshake_deadlines.ts";
    import { rehearseConnect } from "SRC/server/warm_connect.ts";
    new EventLoopMonitor().dispose();
    const armed = new PostListenStart([{ name: "a", run() {} }], { delayMs: 60_000, error() {} });
    armed.arm();
    armed.cancel();
    const served = new PostListenStart([{ name: "a", run() {} }, { name: "b", run() {} }], { delayMs: 60_000, error() {} });
    served.arm();
    served.connectionServed();
    await served.finished;
    const deadlines = new HandshakeDeadlines();
    const waiters = [{ handshakeExpired() { throw new Error("expired"); } }, { handshakeExpired() { throw new Error("expired"); } }];
    deadlines.add(waiters[0], 60_000);
    deadlines.add(waiters[1], 30_000);
    for (const waiter of waiters) deadlines.remove(waiter);
    // The rehearsal's bound is a minute: it must be disarmed when the rehearsal ends.
    if ((await rehearseConnect(60_000)) === 0) throw new Error("the rehearsal wrote nothing");
  `);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.ms < 10_000, `a stopped owner held the process ${result.ms} ms`);
});
