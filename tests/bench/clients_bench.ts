// Issue 23's clients row: 10,000 WebSocket clients held by the bundled gateway, a tick fanned out to
// all within 100 ms, and at most 12 KB of gateway RSS each. The clients live in two processes of
// their own (clients_worker.ts). 10,000 sockets need more file descriptors than a usual soft limit
// (1,024): the bench raises RLIMIT_NOFILE itself, with `prlimit`, for the gateway and each worker.
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";
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

/** CPU time (user + system, all threads) a process has used so far, in ms, from /proc. */
async function cpuMs(pid: number): Promise<number> {
  // Through `cat`: Deno asks for --allow-all to read another process's /proc entry directly.
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`], stdout: "piped" }).output();
  const stat = new TextDecoder().decode(out.stdout);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 1000 / 100; // clock ticks at USER_HZ = 100
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
  const pid = child.pid;
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
  };
  return { next, stop, pid };
}

type Worker = ReturnType<typeof startWorker>;

/** Per tick (matched by `ts` across workers): last arrival, and the CPU the server and the workers used since the previous one. */
interface TickFigures {
  fanout: number[];
  serverCpu: number[];
  workerCpu: number[];
}

/** The mean: a tick's CPU lands in the next interval when ticks arrive bunched, so a median would mislead. */
const mean = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Reads `TICKS` ticks from the workers. Each tick's fan-out time is the later of the workers' last
 * arrivals for that tick, matched by its `ts`; ticks sent before all were held are skipped. CPU
 * per tick (from /proc, between one tick's last arrival and the next's) says which side is busy:
 * on two shared cores a slow client process would otherwise pass for a slow gateway.
 */
async function measureTicks(serverPid: number, workers: Worker[]): Promise<TickFigures> {
  const since = Date.now();
  const figures: TickFigures = { fanout: [], serverCpu: [], workerCpu: [] };
  const lastOf = workers.map(() => new Map<number, number>());
  const workersCpu = async () => (await Promise.all(workers.map((w) => cpuMs(w.pid)))).reduce((a, b) => a + b, 0);
  let serverBefore = await cpuMs(serverPid);
  let workersBefore = await workersCpu();
  let first = true;
  while (figures.fanout.length < TICKS) {
    const lines = await Promise.all(workers.map((w) => w.next("tick", 10_000)));
    lines.forEach((line, i) => lastOf[i]!.set(line.ts!, line.tick!));
    for (const [ts, ms] of lastOf[0]!) {
      if (ts < since || !lastOf.every((map) => map.has(ts))) continue;
      const serverNow = await cpuMs(serverPid);
      const workersNow = await workersCpu();
      // The first counted tick's CPU interval starts mid-way: only its fan-out counts.
      if (!first) {
        figures.serverCpu.push(serverNow - serverBefore);
        figures.workerCpu.push(workersNow - workersBefore);
      }
      first = false;
      serverBefore = serverNow;
      workersBefore = workersNow;
      figures.fanout.push(Math.max(ms, ...lastOf.map((map) => map.get(ts)!)));
      lastOf.forEach((map) => map.delete(ts));
    }
  }
  return figures;
}

/** The same clients and ticks against a bare Deno server (clients_floor_server.ts): Deno's own cost. */
async function measureFloor(): Promise<TickFigures> {
  const port = freePort();
  const v8Flags = compileRunFlags().filter((flag) => flag.startsWith("--v8-flags="));
  const server = new Deno.Command("prlimit", {
    args: [
      `--nofile=${OPEN_FILES}`,
      "--",
      Deno.execPath(),
      "run",
      "--allow-net",
      ...v8Flags,
      new URL("./clients_floor_server.ts", import.meta.url).pathname,
      String(port),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const workers: Worker[] = [];
  try {
    const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("listening on")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the floor server exited before listening");
      out += value;
    }
    void reader.cancel();
    for (let i = 0; i < WORKERS; i++) workers.push(startWorker(port, CLIENTS / WORKERS));
    await Promise.all(workers.map((w) => w.next("held", 300_000)));
    return await measureTicks(server.pid, workers);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    try {
      server.kill("SIGKILL");
    } catch {
      // already gone
    }
    await server.status;
  }
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
    const ticks = await measureTicks(proc.child.pid, workers);
    // Per client after the ticks too: the connect burst's garbage has had a few seconds to go.
    const tickingKb = await rssKb(proc.child.pid);
    const tickingPerClientKb = (tickingKb - baseKb) / held;
    const load = loadAverage();
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await proc.stop();
    // The yardstick must not cost the row its own figures: a failed floor run is reported as such.
    const floor = await measureFloor().catch((error: Error) => error);
    const floorLoad = loadAverage();
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
        value: `${median(ticks.fanout)} ms (ticks: ${ticks.fanout.join(", ")} ms; load ${load})`,
        target: "≤ 100 ms",
        met: median(ticks.fanout) <= 100,
      },
      {
        metric: "CPU per tick at 10,000 clients, gateway / its 2 client processes (mean of 4)",
        value: `${mean(ticks.serverCpu)} / ${mean(ticks.workerCpu)} ms (gateway: ${ticks.serverCpu.join(", ")} ms)`,
        target: "(reported)",
        met: true,
      },
      {
        metric:
          "the same clients against bare Deno (one conn.write per socket per tick): fan-out, CPU server / clients",
        value: floor instanceof Error
          ? `no figure: ${floor.message}; load ${floorLoad}`
          : `${median(floor.fanout)} ms (ticks: ${floor.fanout.join(", ")}); CPU ${mean(floor.serverCpu)} / ${
            mean(floor.workerCpu)
          } ms per tick; load ${floorLoad}`,
        target: "(Deno's floor)",
        met: true,
      },
    ];
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await proc.stop();
    await home.cleanup();
  }
}
