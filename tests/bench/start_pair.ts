// Paired start measurement (docs/performance.md): `deno run -A tests/bench/start_pair.ts <bundle dir> <bundle dir>`.
// Alternates the bundles, spawn → port accepting; CPU from every thread's schedstat at that moment and the main
// thread's; VmRSS then. Then both side by side, settled idle RSS after 40 s. Loopback only; each process is killed by PID.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { realisticConfig } from "../support/realistic_config.ts";
import { freePort } from "../support/spawn_gateway.ts";

const FLAGS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
  "--v8-flags=--max-semi-space-size=1",
  "--unstable-no-legacy-abort",
];
// `--realistic`: the config most hosts run with (models, agents, a channel: tests/support/realistic_config.ts).
const realistic = Deno.args.includes("--realistic");
const dirs = Deno.args.filter((arg) => arg !== "--realistic");
const ROUNDS = Number(Deno.env.get("ROUNDS") ?? 16);
const IDLE_ROUNDS = Number(Deno.env.get("IDLE_ROUNDS") ?? 3);
type Row = { wall: number; cpu: number; main: number; rss: number };
const rows: Record<string, Row[]> = {};
function setup() {
  const home = Deno.makeTempDirSync({ prefix: "pn-" });
  Deno.mkdirSync(`${home}/.openclaw`);
  const port = freePort();
  Deno.writeTextFileSync(
    `${home}/.openclaw/openclaw.json`,
    JSON.stringify(
      realistic ? realisticConfig(port, "abcdefghijklmnopqrstuvwxyz012345") : {
        gateway: { mode: "local", port, auth: { mode: "token", token: "abcdefghijklmnopqrstuvwxyz012345" } },
      },
    ),
  );
  return { home, port };
}
function spawn(dir: string, home: string) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...FLAGS, "--quiet", "--no-config", `${dir}/main.js`, "gateway", "run"],
    cwd: home,
    env: { HOME: home, PATH: "/usr/bin:/bin", DENO_DIR: "/root/.cache/deno" },
    stdout: "null",
    stderr: "null",
  }).spawn();
}
function cpuOf(pid: number) {
  let all = 0, main = 0;
  for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
    const ns = Number(Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/schedstat`).split(" ")[0]);
    all += ns;
    if (t.name === String(pid)) main = ns;
  }
  return { all: all / 1e6, main: main / 1e6 };
}
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1]) / 1024;
async function waitPort(port: number, t0: number) {
  while (performance.now() - t0 < 10000) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return performance.now() - t0;
    } catch {
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  return -1;
}
// warm-up: one start each (code cache)
for (const dir of dirs) {
  const { home, port } = setup();
  const c = spawn(dir, home);
  await waitPort(port, performance.now());
  c.kill("SIGKILL");
  await c.status;
  Deno.removeSync(home, { recursive: true });
}
for (let round = 0; round < ROUNDS; round++) {
  for (const dir of round % 2 ? [...dirs].reverse() : dirs) {
    const { home, port } = setup();
    const t0 = performance.now();
    const child = spawn(dir, home);
    const wall = await waitPort(port, t0);
    let all = 0, main = 0, rss = 0;
    try {
      ({ all, main } = cpuOf(child.pid));
      rss = rssOf(child.pid);
    } catch {
      console.error("lost", dir);
    }
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.status;
    if (rss && wall > 0) (rows[dir] ??= []).push({ wall, cpu: all, main, rss });
    Deno.removeSync(home, { recursive: true });
  }
}
const p50 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const min = (v: number[]) => Math.min(...v);
for (const [dir, r] of Object.entries(rows)) {
  console.log(
    `${dir}: n=${r.length} cpu p50 ${p50(r.map((x) => x.cpu)).toFixed(0)} min ${
      min(r.map((x) => x.cpu)).toFixed(0)
    } | main p50 ${p50(r.map((x) => x.main)).toFixed(0)} min ${min(r.map((x) => x.main)).toFixed(0)} | rss p50 ${
      p50(r.map((x) => x.rss)).toFixed(1)
    } | wall p50 ${p50(r.map((x) => x.wall)).toFixed(0)} min ${min(r.map((x) => x.wall)).toFixed(0)}`,
  );
}
for (let round = 0; round < IDLE_ROUNDS; round++) {
  const running = dirs.map((dir) => {
    const s = setup();
    return { dir, ...s, child: spawn(dir, s.home) };
  });
  for (const r of running) await waitPort(r.port, performance.now());
  await new Promise((res) => setTimeout(res, 40_000));
  console.log(`idle round ${round}: ` + running.map((r) => `${r.dir} ${rssOf(r.child.pid).toFixed(1)} MB`).join("; "));
  for (const r of running) {
    r.child.kill("SIGKILL");
    await r.child.status;
    Deno.removeSync(r.home, { recursive: true });
  }
}
console.log("load", Deno.readTextFileSync("/proc/loadavg").trim());
