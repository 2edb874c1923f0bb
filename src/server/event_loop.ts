import type { EventLoopStats } from "../rpc/methods/health.ts";
import { type CancelTimer, webInterval } from "../async/web_timer.ts";

const SAMPLE_MS = 500;
const WINDOW = 120;
const DEGRADED_DELAY_MS = 250;
/** Late samples it takes to call the loop degraded: one stall (a module load) is not a sustained delay. */
const DEGRADED_LATE_SAMPLES = 2;

/**
 * Summarizes a window of timer delays (ms). Degraded means delayed more than once in the window:
 * for a full minute of samples that is the p99 above 250 ms, and a single stall just after start
 * (when p99 of a few samples is their maximum) does not count.
 */
export function summarizeDelays(samples: readonly number[]): {
  p99: number;
  max: number;
  mean: number;
  degraded: boolean;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const p99 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]! : 0;
  const max = sorted.length ? sorted[sorted.length - 1]! : 0;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  const late = sorted.filter((delay) => delay > DEGRADED_DELAY_MS).length;
  return { p99, max, mean, degraded: late >= DEGRADED_LATE_SAMPLES };
}

/** Busy and total jiffies of all CPUs from /proc/stat's first line; undefined where there is none. */
export function parseProcStat(text: string): { busy: number; total: number } | undefined {
  const line = text.slice(0, text.indexOf("\n"));
  if (!line.startsWith("cpu ")) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const total = fields.reduce((a, b) => a + b, 0);
  // idle and iowait are the 4th and 5th fields.
  const idle = fields[3]! + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function readProcStat(): { busy: number; total: number } | undefined {
  try {
    return parseProcStat(Deno.readTextFileSync("/proc/stat"));
  } catch {
    return undefined;
  }
}

/**
 * The process's CPU time in microseconds, from `Deno.cpuUsage`: the counter node:process's `cpuUsage`
 * reads, without loading Deno's Node compatibility layer at start (about 50 ms of CPU, docs/performance.md).
 * Deno 2.9 ships it without a type declaration, so it is looked up and checked; zeros if it were gone
 * (tests/server/event_loop_test.ts fails then).
 */
export function processCpuUsage(): { user: number; system: number } {
  const read: unknown = Reflect.get(Deno, "cpuUsage");
  const usage: unknown = typeof read === "function" ? read() : undefined;
  if (typeof usage !== "object" || usage === null) return { user: 0, system: 0 };
  const user: unknown = Reflect.get(usage, "user");
  const system: unknown = Reflect.get(usage, "system");
  return typeof user === "number" && typeof system === "number" ? { user, system } : { user: 0, system: 0 };
}

/**
 * Measures event-loop delay by how late a periodic timer fires, and CPU use from the process's
 * own counters, so `health` reports what the loop really does rather than a constant. Its timer
 * keeps the event loop alive until {@link dispose} (the gateway's stop disposes it).
 */
export class EventLoopMonitor {
  #samples: number[] = [];
  #stop: CancelTimer;
  #expected = performance.now() + SAMPLE_MS;
  #cpu = processCpuUsage();
  #cpuAt = performance.now();
  #cpuRatio = 0;
  // Read at the first CPU window, not at start-up.
  #host: { busy: number; total: number } | undefined;
  #hostUtilization = 0;
  #hostCpuCount = navigator.hardwareConcurrency;
  #degradedSince: number | null = null;

  constructor() {
    // Made with the gateway, before it listens: the web platform's timer, not Node's (async/web_timer.ts).
    this.#stop = webInterval(SAMPLE_MS, () => this.#sample());
  }

  #sample(): void {
    const now = performance.now();
    this.#samples.push(Math.max(0, now - this.#expected));
    if (this.#samples.length > WINDOW) this.#samples.shift();
    this.#expected = now + SAMPLE_MS;
    const elapsedUs = (now - this.#cpuAt) * 1000;
    if (elapsedUs >= 5_000_000) {
      const cpu = processCpuUsage();
      this.#cpuRatio = (cpu.user - this.#cpu.user + cpu.system - this.#cpu.system) / elapsedUs;
      this.#cpu = cpu;
      this.#cpuAt = now;
      // Host load over the same window, from /proc/stat where there is one (Linux); elsewhere it stays 0.
      const host = readProcStat();
      if (host && this.#host && host.total > this.#host.total) {
        this.#hostUtilization = (host.busy - this.#host.busy) / (host.total - this.#host.total);
      }
      this.#host = host;
    }
  }

  /** The current statistics over the last minute. */
  stats(): EventLoopStats {
    const { p99, max, mean, degraded } = summarizeDelays(this.#samples);
    if (degraded && this.#degradedSince === null) this.#degradedSince = Date.now();
    if (!degraded) this.#degradedSince = null;
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      degraded,
      degradedSinceMs: this.#degradedSince,
      reasons: degraded ? ["event-loop-delay"] : [],
      intervalMs: SAMPLE_MS,
      delayP99Ms: round(p99),
      delayMaxMs: round(max),
      utilization: round(Math.min(1, mean / SAMPLE_MS)),
      cpuCoreRatio: Math.round(this.#cpuRatio * 1000) / 1000,
      // Deno reports CPU time for the whole process only, and this gateway runs no workers: the
      // process's ratio is the main thread's, as the reference's breakdown defines its fields.
      cpuBreakdown: {
        mainThreadCoreRatio: Math.round(this.#cpuRatio * 1000) / 1000,
        hostUtilization: Math.round(this.#hostUtilization * 1000) / 1000,
        hostCpuCount: this.#hostCpuCount,
        workerCoreRatio: 0,
        otherThreadsCoreRatio: 0,
      },
    };
  }

  /** Stops sampling. */
  dispose(): void {
    this.#stop();
  }
}
