// Paired CLI measurement (docs/performance.md, issue 23's CLI row):
// `deno run -A tests/bench/cli_pair.ts [--realistic] [--runs N] <bundle dir>...`. One gateway (the first bundle's)
// serves; `openclaw health --json` processes of each bundle alternate against it (the order flips every round), each
// timed end to end (spawn → exit) and its CPU (user + system, /usr/bin/time, 10 ms resolution). `--realistic`: the
// config most hosts run with (models, agents, a channel: tests/support/realistic_config.ts). Prints the medians per
// bundle and the load. Loopback only; the gateway is stopped by its PID.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { benchArgs } from "./bench_args.ts";
import { benchHome, bundleProgram, spawnBundleGateway, stopProcess } from "./bench_gateway.ts";

const { option, flag, rest } = benchArgs(Deno.args);
const realistic = flag("--realistic");
const RUNS = Number(option("--runs", "21"));
// Absolute: the gateway and the CLI run from the bench home.
const DIRS = rest.map((dir) => Deno.realPathSync(dir));

const { home, port } = benchHome("clipair-", realistic);
const env = { HOME: home, PATH: "/usr/bin:/bin", DENO_DIR: `${Deno.env.get("HOME") ?? "/root"}/.cache/deno` };
const gateway = spawnBundleGateway(DIRS[0]!, home, env.DENO_DIR);

async function waitPort(): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  throw new Error("the gateway did not listen");
}

async function health(dir: string): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%U %S", ...bundleProgram(dir), "health", "--json"],
    cwd: home,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wall = performance.now() - started;
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success || JSON.parse(stdout).ok !== true) throw new Error(`health failed: ${stdout}`);
  const [user, sys] = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)!.split(" ").map(Number);
  return { wall, cpu: (user! + sys!) * 1000 };
}

const rows: Record<string, { wall: number; cpu: number }[]> = {};
try {
  await waitPort();
  for (const dir of DIRS) await health(dir); // warm-up: Deno's code cache for the CLI's chunks
  for (let round = 0; round < RUNS; round++) {
    for (const dir of round % 2 ? [...DIRS].reverse() : DIRS) (rows[dir] ??= []).push(await health(dir));
  }
} finally {
  await stopProcess(gateway);
  Deno.removeSync(home, { recursive: true });
}
const p50 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
for (const [dir, r] of Object.entries(rows)) {
  console.log(
    `${dir}: n=${r.length} wall p50 ${p50(r.map((x) => x.wall)).toFixed(0)} min ${
      Math.min(...r.map((x) => x.wall)).toFixed(0)
    } ms | cpu p50 ${p50(r.map((x) => x.cpu)).toFixed(0)} ms`,
  );
}
console.log(`config ${realistic ? "realistic" : "plain"}; load ${Deno.readTextFileSync("/proc/loadavg").trim()}`);
