// Issue 23's clients row: 10,000 WebSocket clients held by the bundled gateway, a tick fanned out to
// all within 100 ms, and at most 12 KB of gateway RSS each. The clients live in two processes of
// their own (clients_worker.ts). 10,000 sockets need more file descriptors than a usual soft limit
// (1,024): the bench raises RLIMIT_NOFILE itself, with `prlimit`, for the gateway and each worker.
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";
const CLIENTS = 10_000;
const WORKERS = 2;
/** Two workers connecting at once stay under the 32 unauthenticated sockets one address may hold. */
const BATCH = 15;
/** Sockets plus what the runtime and the program keep open. */
const OPEN_FILES = CLIENTS + 2_048;
const TICKS = 5;

async function rssKb(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim());
}

function loadAverage(): string {
  return Deno.loadavg()[0]!.toFixed(1);
}

/** A worker process and its JSON lines as they arrive. */
function startWorker(port: number, count: number) {
  const child = new Deno.Command("prlimit", {
    args: [
      `--nofile=${count + 1024}`,
      "--",
      Deno.execPath(),
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-env",
      new URL("./clients_worker.ts", import.meta.url).pathname,
      String(port),
      TOKEN,
      String(count),
      String(BATCH),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines: Record<string, number>[] = [];
  const waiters: (() => void)[] = [];
  void (async () => {
    let buffer = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let index: number;
      while ((index = buffer.indexOf("\n")) !== -1) {
        lines.push(JSON.parse(buffer.slice(0, index)));
        buffer = buffer.slice(index + 1);
        waiters.splice(0).forEach((wake) => wake());
      }
    }
    waiters.splice(0).forEach((wake) => wake());
  })();
  const next = async (key: string, timeoutMs: number): Promise<Record<string, number>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = lines.findIndex((line) => key in line);
      if (index !== -1) return lines.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`worker gave no "${key}" within ${timeoutMs} ms`);
      await new Promise<void>((wake) => {
        waiters.push(wake);
        setTimeout(wake, 1000);
      });
    }
  };
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
  };
  return { next, stop };
}

/** Runs the 10,000-client benchmark and returns its rows. */
export async function benchClients(): Promise<BenchRow[]> {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, limits: { maxConnections: CLIENTS + 1_000 } },
  });
  const port = freePort();
  const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port)], {
    home: home.home,
    env: { OPENCLAW_TICK_INTERVAL_MS: "1000" },
    openFiles: OPEN_FILES,
  });
  const workers: ReturnType<typeof startWorker>[] = [];
  try {
    await proc.waitForLine(/listening on/);
    // One client first, so the validators the first connect loads are in the baseline, not per client.
    const warm = startWorker(port, 1);
    try {
      await warm.next("held", 30_000);
    } finally {
      await warm.stop(); // by its PID, on failure too (it was left running when the wait timed out)
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const baseKb = await rssKb(proc.child.pid);
    const connectStarted = performance.now();
    for (let i = 0; i < WORKERS; i++) workers.push(startWorker(port, CLIENTS / WORKERS));
    const held = (await Promise.all(workers.map((w) => w.next("held", 300_000)))).reduce((n, l) => n + l.held!, 0);
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    await new Promise((r) => setTimeout(r, 2_000));
    const heldKb = await rssKb(proc.child.pid);
    const perClientKb = (heldKb - baseKb) / held;
    const loadHeld = loadAverage();
    // Each tick's fan-out time is the later of the two workers' last arrivals for that tick, matched
    // by its `ts`; ticks sent before all were held (while the other worker still connected) are skipped.
    const since = Date.now();
    const fanout: number[] = [];
    const lastOf = workers.map(() => new Map<number, number>());
    while (fanout.length < TICKS) {
      const lines = await Promise.all(workers.map((w) => w.next("tick", 10_000)));
      lines.forEach((line, i) => lastOf[i]!.set(line.ts!, line.tick!));
      for (const [ts, ms] of lastOf[0]!) {
        if (ts < since || !lastOf.every((map) => map.has(ts))) continue;
        fanout.push(Math.max(ms, ...lastOf.map((map) => map.get(ts)!)));
        lastOf.forEach((map) => map.delete(ts));
      }
    }
    // Per client after the ticks too: the connect burst's garbage has had a few seconds to go.
    const tickingKb = await rssKb(proc.child.pid);
    const tickingPerClientKb = (tickingKb - baseKb) / held;
    const sorted = [...fanout].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const load = loadAverage();
    return [
      {
        metric: `${CLIENTS.toLocaleString("en")} clients held (open-file limit raised to ${OPEN_FILES} by the bench)`,
        value: `${held} held, connected in ${connectSeconds.toFixed(1)} s`,
        target: `${CLIENTS}`,
        met: held === CLIENTS,
      },
      {
        metric: "gateway RSS per held client",
        value: `${perClientKb.toFixed(1)} KB 2 s after connecting, ${
          tickingPerClientKb.toFixed(1)
        } KB after ${TICKS} ticks (${(baseKb / 1024).toFixed(1)} → ${(heldKb / 1024).toFixed(1)} → ${
          (tickingKb / 1024).toFixed(1)
        } MB; load ${loadHeld})`,
        target: "≤ 12 KB",
        met: Math.max(perClientKb, tickingPerClientKb) <= 12,
      },
      {
        metric: `tick fan-out to ${CLIENTS.toLocaleString("en")} clients (last arrival, median of ${TICKS})`,
        value: `${median} ms (ticks: ${fanout.join(", ")} ms; load ${load})`,
        target: "≤ 100 ms",
        met: median <= 100,
      },
    ];
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await proc.stop();
    await home.cleanup();
  }
}
