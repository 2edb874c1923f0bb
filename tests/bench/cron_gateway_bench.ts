// The cron benchmark through the real gateway (the in-process `cron` row measures the scheduler
// alone over a store that keeps nothing): 10,000 jobs stored as rows of state/openclaw.sqlite by the
// store the gateway uses, loaded by the bundled gateway at start. Settled RSS against the same
// gateway with one stored job (so the delta is the jobs', not the scheduler's code or SQLite's),
// the gateway process's CPU while idle, and jobs added over RPC firing on time (their `started`
// events' runAtMs against their `at`).
import { generatedJobs } from "./cron_bench.ts";
import type { BenchRow } from "./startup_bench.ts";
import { SqliteCronStore } from "../../src/automation/sqlite_cron_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const JOBS = 10_000;
const FIRES = 10;
const TOKEN = "cron-bench-token-0123456789abcdef";
/** V8's memory reducer runs after about 30 s of idle (as the startup benchmark waits). */
const SETTLE_MS = 40_000;
const IDLE_CPU_MS = 5_000;

async function rssMb(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim()) / 1024;
}

/** User + system CPU of a process in ms (/proc/<pid>/stat, clock ticks of 10 ms; read by `cat`: /proc needs --allow-all). */
async function cpuMsOf(pid: number): Promise<number> {
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`], stdout: "piped" }).output();
  const fields = new TextDecoder().decode(out.stdout).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Measured {
  settledRss: number;
  idleCpuMs: number;
  lateness: number[];
}

/** Starts the bundled gateway over a state dir holding `jobs` stored jobs and measures it. */
async function measure(jobs: number, fires: number): Promise<Measured> {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  try {
    const db = openStateDb(home.stateDir);
    try {
      const store = new SqliteCronStore(db, { stateDir: home.stateDir });
      // Seeding only: each saveJob is its own transaction; no need to wait for the disk 10,000 times.
      db.exec("PRAGMA synchronous = OFF");
      for (const job of generatedJobs(Date.now(), jobs)) store.saveJob(job);
    } finally {
      db.close();
    }
    const { proc, port } = await startGateway({ home: home.home });
    try {
      await proc.waitForLine(new RegExp(`cron: started \\(${jobs} jobs`), 60_000);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const settledRss = await rssMb(proc.child.pid);
      const cpuBefore = await cpuMsOf(proc.child.pid);
      await new Promise((r) => setTimeout(r, IDLE_CPU_MS));
      const idleCpuMs = (await cpuMsOf(proc.child.pid)) - cpuBefore;
      const lateness: number[] = [];
      if (fires > 0) {
        const session = await connectReference({
          port,
          token: TOKEN,
          scopes: ["operator.read", "operator.write", "operator.admin"],
        });
        try {
          for (let i = 0; i < fires; i++) {
            const at = Date.now() + 1_500;
            const job = await session.request<{ id: string }>("cron.add", {
              name: `fire ${i}`,
              schedule: { kind: "at", at: new Date(at).toISOString() },
              sessionTarget: "main",
              wakeMode: "next-heartbeat",
              payload: { kind: "systemEvent", text: "now" },
            });
            const started = () =>
              session.events.find((e) => {
                const p = e.payload;
                return e.event === "cron" && typeof p === "object" && p !== null && "jobId" in p &&
                  p.jobId === job.id && "action" in p && p.action === "started";
              });
            await until(() => started() !== undefined, `job ${i} started`, 10_000);
            const payload = started()!.payload;
            const runAtMs = typeof payload === "object" && payload !== null && "runAtMs" in payload
              ? Number(payload.runAtMs)
              : NaN;
            lateness.push(runAtMs - at);
          }
        } finally {
          session.stop();
        }
      }
      return { settledRss, idleCpuMs, lateness };
    } finally {
      await proc.stop();
    }
  } finally {
    await home.cleanup();
  }
}

/** Runs the real-gateway cron benchmark and returns its rows. */
export async function benchCronGateway(): Promise<BenchRow[]> {
  // The first start after a rebuild writes Deno's code cache (its RSS stays ~10 MB higher): not measured.
  const warm = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  try {
    const { proc } = await startGateway({ home: warm.home });
    await proc.stop();
  } finally {
    await warm.cleanup();
  }
  const one = await measure(1, 0);
  const many = await measure(JOBS, FIRES);
  const added = many.settledRss - one.settledRss;
  const lateness = many.lateness.toSorted((a, b) => a - b);
  const p50 = lateness[Math.floor(lateness.length / 2)] ?? Infinity;
  const worst = lateness.at(-1) ?? Infinity;
  return [
    {
      metric: `cron (gateway): settled RSS, 1 → ${JOBS} jobs in openclaw.sqlite`,
      value: `${one.settledRss.toFixed(1)} → ${many.settledRss.toFixed(1)} MB (+${added.toFixed(1)})`,
      target: "< 10 MB added",
      met: added < 10,
    },
    {
      metric: `cron (gateway): idle CPU with ${JOBS} jobs (${IDLE_CPU_MS / 1000} s)`,
      value: `${many.idleCpuMs} ms`,
      target: "< 30 ms (not measurable)",
      met: many.idleCpuMs < 30,
    },
    {
      metric: `cron (gateway): job fires after its time, p50 / worst of ${FIRES} (${JOBS} jobs loaded)`,
      value: `${p50} / ${worst} ms`,
      target: "< 50 ms",
      met: lateness.length === FIRES && worst < 50 && (lateness[0] ?? -1) >= 0,
    },
  ];
}
