// Config edit → applied latency: the time from writing the file to the hot reload being in
// force, read from `health.configReload.lastAppliedAt` on the gateway's own clock.
import { connectReference } from "../support/reference_client.ts";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";
const DEBOUNCE_MS = 300;

/** Edits the config five times and reports the median and worst edit-to-applied latency. */
export async function benchReload(): Promise<BenchRow[]> {
  const config = (level: string) => ({ gateway: { mode: "local", auth: { token: TOKEN } }, logging: { level } });
  const home = await tempHome(config("info"));
  const port = freePort();
  const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port)], { home: home.home });
  const latencies: number[] = [];
  try {
    await proc.waitForLine(/listening on/);
    const session = await connectReference({ port, token: TOKEN });
    const applied = async () =>
      (await session.request<{ configReload: { lastAppliedAt: number | null } }>("health")).configReload.lastAppliedAt;
    await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 200));
    for (let i = 0; i < 5; i++) {
      const before = await applied();
      const wrote = Date.now();
      await Deno.writeTextFile(home.configPath, JSON.stringify(config(i % 2 === 0 ? "debug" : "info")));
      let now = before;
      while (now === before) {
        if (Date.now() - wrote > 5000) throw new Error("reload not applied within 5 s");
        await new Promise((r) => setTimeout(r, 5));
        now = await applied();
      }
      latencies.push(now! - wrote);
    }
    session.stop();
  } finally {
    await proc.stop();
    await home.cleanup();
  }
  const sorted = latencies.sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const target = DEBOUNCE_MS + 50;
  return [
    { metric: "config edit → applied (median)", value: `${median} ms`, target: `< ${target} ms`, met: median < target },
    {
      metric: "config edit → applied (worst of 5)",
      value: `${sorted.at(-1)} ms`,
      target: `< ${target} ms`,
      met: sorted.at(-1)! < target,
    },
  ];
}
