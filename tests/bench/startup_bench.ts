// Measures process start → accepting connections, and idle RSS, for `openclaw gateway run`.
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { scriptProgram } from "./bench_gateway.ts";
import { untilAccepting } from "./accepting.ts";

/** One benchmark row: what was measured, the number, the target and whether it was met. */
export interface BenchRow {
  metric: string;
  value: string;
  target: string;
  met: boolean;
}

async function rssMb(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim()) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Start → accepting of a bare `Deno.serve` (start_floor_server.ts) run with the gateway's flags; stopped by its PID. */
async function floorStart(denoDir: string): Promise<number> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...scriptProgram(new URL("./start_floor_server.ts", import.meta.url).pathname), String(port)],
    env: { DENO_DIR: denoDir },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    return await untilAccepting(port, started, () => "the bare Deno.serve did not listen");
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

/** How long an idle gateway is left alone before its settled RSS is read: V8's memory reducer runs after about 30 s. */
const SETTLE_MS = 40_000;

/**
 * Starts the gateway `runs` times; returns start-to-accept p50 and the idle RSS of the last start,
 * 2 s after it accepted connections and again once settled. A private DENO_DIR makes the first start
 * write Deno's code cache, as a freshly installed binary's first start does, whatever ran before.
 */
export async function benchStartup(runs = 7): Promise<BenchRow[]> {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: "bench-token-0123456789abcdef" } } });
  const denoDir = await Deno.makeTempDir({ prefix: "oc-bench-deno-" });
  const times: number[] = [];
  const floor: number[] = [];
  let idleRss = 0;
  let settledRss = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const port = freePort();
      const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port)], {
        home: home.home,
        env: { DENO_DIR: denoDir },
      });
      // From the spawn, as the floor's: the harness's check of the bundle before it is not the gateway's start.
      times.push(await untilAccepting(port, proc.spawnedAt, () => `gateway did not listen:\n${proc.output}`));
      if (i === runs - 1) {
        await new Promise((r) => setTimeout(r, 2000));
        idleRss = await rssMb(proc.child.pid);
        await new Promise((r) => setTimeout(r, SETTLE_MS - 2000));
        settledRss = await rssMb(proc.child.pid);
      }
      await proc.stop();
      // Alternated with the gateway's starts, so both see the machine as it is at that moment.
      floor.push(await floorStart(denoDir));
    }
  } finally {
    await home.cleanup();
    await Deno.remove(denoDir, { recursive: true });
  }
  const p50 = percentile(times, 50);
  return [
    {
      metric: "start → accepting connections (p50)",
      value: `${p50.toFixed(0)} ms`,
      target: "< 150 ms",
      met: p50 < 150,
    },
    {
      metric: "the same machine's floor: a bare `Deno.serve` with the same flags, start → accepting (p50)",
      value: `${percentile(floor, 50).toFixed(0)} ms`,
      target: "(reported)",
      met: true,
    },
    { metric: "RSS 2 s after start", value: `${idleRss.toFixed(1)} MB`, target: "(reported)", met: true },
    {
      metric: "idle RSS (settled, 40 s idle)",
      value: `${settledRss.toFixed(1)} MB`,
      target: "< 60 MB",
      met: settledRss < 60,
    },
  ];
}
