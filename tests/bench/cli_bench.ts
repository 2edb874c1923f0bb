// Issue 23's CLI row: `openclaw health --json` end to end (process start → exit, as the binary runs
// the bundle) against a running gateway; the median of several runs after one warm-up.
import { freePort, runOpenclaw, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { realisticConfig } from "../support/realistic_config.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Times `runs` sequential `openclaw health --json` processes against one gateway: the bench's plain config, then a realistic one. */
export async function benchCli(runs = 11): Promise<BenchRow[]> {
  const port = freePort();
  return [
    ...await benchCliWith({ gateway: { mode: "local", auth: { token: TOKEN } } }, "", runs),
    ...await benchCliWith(realisticConfig(port, TOKEN), ", with models, agents and a channel configured", runs, port),
  ];
}

async function benchCliWith(config: unknown, label: string, runs: number, configPort?: number): Promise<BenchRow[]> {
  const home = await tempHome(config);
  const { proc, port } = await startGateway({ home: home.home, port: configPort });
  const times: number[] = [];
  try {
    const args = ["health", "--port", String(port), "--json"];
    // The warm-up writes Deno's code cache for the CLI's chunks, as a binary's first run does.
    const warm = await runOpenclaw(args, { home: home.home });
    if (warm.code !== 0) throw new Error(`health --json failed: ${warm.stderr}`);
    for (let i = 0; i < runs; i++) {
      const proc = await spawnOpenclaw(args, { home: home.home });
      const code = await proc.exited();
      // From the spawn to the exit and the output's end: the harness's check of the bundle before it is not the
      // command's.
      times.push(performance.now() - proc.spawnedAt);
      if (code !== 0 || JSON.parse(proc.stdout.join("\n")).ok !== true) {
        throw new Error(`health --json failed: ${proc.stderr.join("\n")}`);
      }
    }
  } finally {
    await proc.stop();
    await home.cleanup();
  }
  const p50 = median(times);
  const sorted = [...times].sort((a, b) => a - b);
  return [{
    metric: `CLI end to end: \`openclaw health --json\` against a running gateway${label} (median of ${runs})`,
    value: `${p50.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)})`,
    target: "≤ 100 ms",
    met: p50 <= 100,
  }];
}
