// Paired first-client measurement (docs/performance.md, "the first client"):
// `deno run -A tests/bench/first_client_pair.ts [--rounds N] [--delay MS] [--settle S] [--rpc] <bundle dir>...`.
// Alternates the bundles: spawn → port accepting (CPU of every thread and of the main thread from schedstat, VmRSS),
// then one client connects (after --delay ms, 0: at once) and the main thread's CPU until its hello-ok is read; with
// --rpc its first health, status and sessions.list and the RSS after them; with --settle the RSS that many seconds
// after it left. Prints one JSON line per start and the medians per bundle (the first start of each, which writes
// Deno's code cache, left out). Loopback only; each gateway is stopped by its PID.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { benchArgs } from "./bench_args.ts";
import { benchClient, benchHome, operatorConnect, spawnBundleGateway, stopProcess } from "./bench_gateway.ts";

const { option, flag, rest: args } = benchArgs(Deno.args);
const ROUNDS = Number(option("--rounds", "6"));
const DELAY_MS = Number(option("--delay", "0"));
const SETTLE_S = Number(option("--settle", "0"));
const RPC = flag("--rpc");
// `--realistic`: the config most hosts run with (models, agents, a channel: tests/support/realistic_config.ts).
const realistic = flag("--realistic");
const DIRS = args.map((dir) => Deno.realPathSync(dir));

function cpuOf(pid: number): { all: number; main: number } {
  let all = 0, main = 0;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/schedstat`).split(" ")[0]);
      all += ns;
      if (task.name === String(pid)) main = ns;
    } catch {
      // a thread that ended meanwhile
    }
  }
  return { all: all / 1e6, main: main / 1e6 };
}
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1]) / 1024;

async function waitPort(port: number, t0: number): Promise<number> {
  while (performance.now() - t0 < 10_000) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return performance.now() - t0;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  throw new Error(`port ${port} did not accept within 10 s`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const rows = new Map<string, Record<string, number>[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const dir of round % 2 ? [...DIRS].reverse() : DIRS) {
    const { home, port } = benchHome("fcpair-", realistic);
    const t0 = performance.now();
    const child = spawnBundleGateway(dir, home);
    try {
      const row: Record<string, number> = { accept: await waitPort(port, t0) };
      let before = cpuOf(child.pid);
      Object.assign(row, { cpuAccept: before.all, mainAccept: before.main, rssAccept: rssOf(child.pid) });
      if (DELAY_MS > 0) {
        await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
        before = cpuOf(child.pid);
        row.mainAtDelay = before.main;
      }
      const started = performance.now();
      const session = benchClient(port);
      await session.challenged;
      const hello = await session.request("connect", operatorConnect());
      if (!hello.ok) throw new Error(`connect refused: ${JSON.stringify(hello)}`);
      Object.assign(row, {
        hello: performance.now() - started,
        helloMainCpu: cpuOf(child.pid).main - before.main,
        rssHello: rssOf(child.pid),
      });
      if (RPC) {
        for (const method of ["health", "status", "sessions.list"]) {
          const sent = performance.now();
          await session.request(method, {});
          row[method] = performance.now() - sent;
        }
        row.rssRpc = rssOf(child.pid);
      }
      session.ws.close();
      if (SETTLE_S > 0) {
        await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
        row.rssSettled = rssOf(child.pid);
      }
      console.log(JSON.stringify({ dir, ...row }));
      rows.set(dir, [...rows.get(dir) ?? [], row]);
    } finally {
      await stopProcess(child);
      Deno.removeSync(home, { recursive: true });
    }
  }
}
for (const [dir, all] of rows) {
  const kept = all.length > 1 ? all.slice(1) : all;
  const medians = Object.keys(kept[0] ?? {}).map((key) => `${key} ${median(kept.map((row) => row[key]!)).toFixed(1)}`);
  console.log(`${dir} (median of ${kept.length}): ${medians.join(", ")}`);
}
