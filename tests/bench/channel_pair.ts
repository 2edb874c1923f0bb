// Paired channel-DM measurement (docs/performance.md, "the channel DM, part 2"):
// `deno run -A tests/bench/channel_pair.ts [--count N] [--rate R] [--rounds K] <bundle dir | channel-side>...`.
// Alternates the targets (the order swapped every round), each against a fresh fake Bot API and fake model: a
// gateway bundle (`gateway run`, as the `channel` bench row runs it), or `channel-side` (tests/bench/
// channel_side_server.ts: the channel manager, Telegram account and ingress queue with a run that answers at once,
// from source). Per run: 20 sequential warm-ups, then N DMs from N users at R a second; the process's CPU per DM
// (all threads, and the main thread alone, from /proc), p50/p99 of update queued → answer's sendMessage received, and
// the load average. Prints one JSON line per run and the medians per target. Loopback only; each process stopped by
// its PID.
// deno-lint-ignore-file no-console -- a measuring script prints its figures; it is not part of src/.
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, RUNTIME_ENV, tempHome } from "../support/spawn_gateway.ts";
import { compileRunFlags } from "../../tools/compile_flags.ts";
import { benchArgs } from "./bench_args.ts";
import { BOT_TOKEN, channelBenchConfig, percentile } from "./channel_bench.ts";

const { option, rest: args } = benchArgs(Deno.args);
const COUNT = Number(option("--count", "300"));
const RATE = Number(option("--rate", "100"));
const ROUNDS = Number(option("--rounds", "3"));
const TARGETS = args.map((target) => target === "channel-side" ? target : Deno.realPathSync(target));
const SIDE = new URL("./channel_side_server.ts", import.meta.url).pathname;
const DENO_JSON = new URL("../../deno.json", import.meta.url).pathname;

const median = (values: number[]): number => percentile(values, 50);

/** CPU ms (user + system, 10 ms ticks) of a /proc stat file. */
function ticksMs(path: string): number {
  const fields = Deno.readTextFileSync(path).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Run {
  target: string;
  cpuPerDmMs: number;
  mainThreadPerDmMs: number;
  p50: number;
  p99: number;
  load: number;
}

async function measure(target: string): Promise<Run> {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(channelBenchConfig(port, upstream.url, telegram.url));
  const cwd = await Deno.makeTempDir({ prefix: "oc-channel-pair-" });
  const program = target === "channel-side"
    ? ["run", ...compileRunFlags(), "--quiet", "--config", DENO_JSON, SIDE, telegram.url, BOT_TOKEN]
    : [
      "run",
      ...compileRunFlags(),
      "--quiet",
      "--no-config",
      `${target}/main.js`,
      "gateway",
      "run",
      "--port",
      `${port}`,
    ];
  const child = new Deno.Command(Deno.execPath(), {
    args: program,
    cwd,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home.home,
      // Deno's caches stay the machine's: the code cache, and the npm packages channel-side runs from source.
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`,
      NO_COLOR: "1",
      ...RUNTIME_ENV,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const burst = async (first: number, count: number, rate: number): Promise<number[]> => {
    const pushedAt = new Map<number, number>();
    const from = telegram.sent.length;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pushedAt.set(first + i, performance.now());
      telegram.push(telegram.text(first + i, `question ${i}`));
    }
    await telegram.waitForSent((sent) => sent.length - from >= count, 120_000);
    return telegram.sent.slice(from).map((sent, i) => telegram.sentAt[from + i]! - pushedAt.get(Number(sent.chatId))!);
  };
  try {
    await burst(100, 1, 1000);
    for (let i = 0; i < 20; i++) await burst(200 + i, 1, 1000);
    const stat = `/proc/${child.pid}/stat`;
    const mainStat = `/proc/${child.pid}/task/${child.pid}/stat`;
    const cpu0 = ticksMs(stat);
    const main0 = ticksMs(mainStat);
    const latencies = await burst(10_000, COUNT, RATE);
    return {
      target,
      cpuPerDmMs: (ticksMs(stat) - cpu0) / COUNT,
      mainThreadPerDmMs: (ticksMs(mainStat) - main0) / COUNT,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      load: Deno.loadavg()[0]!,
    };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(cwd, { recursive: true }).catch(() => {});
  }
}

const runs: Run[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? TARGETS : [...TARGETS].reverse();
  for (const target of order) {
    const run = await measure(target);
    runs.push(run);
    console.log(JSON.stringify(run));
  }
}
for (const target of TARGETS) {
  const mine = runs.filter((run) => run.target === target);
  console.log(
    `${target}: CPU a DM median ${median(mine.map((r) => r.cpuPerDmMs)).toFixed(2)} ms (main thread ${
      median(mine.map((r) => r.mainThreadPerDmMs)).toFixed(2)
    }), p50 ${median(mine.map((r) => r.p50)).toFixed(1)} ms, p99 ${
      median(mine.map((r) => r.p99)).toFixed(1)
    } ms, load ${median(mine.map((r) => r.load)).toFixed(1)} (${mine.length} runs of ${COUNT} DMs at ${RATE}/s)`,
  );
}
