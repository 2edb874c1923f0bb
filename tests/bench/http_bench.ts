// /v1/chat/completions overhead: the same request straight to the fake upstream and through the
// gateway, interleaved, p50 of each, in three rounds; then 100 concurrent streams through the gateway.
import { startChatGateway } from "../support/chat_gateway.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(url: string, body: unknown, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - started;
}

/** Runs the HTTP benchmarks and returns their rows. */
export async function benchHttp(): Promise<BenchRow[]> {
  const { port, upstream, stop } = await startChatGateway(TOKEN);
  const rows: BenchRow[] = [];
  try {
    const request = { messages: [{ role: "user", content: "hi" }] };
    const auth = { authorization: `Bearer ${TOKEN}` };
    const gatewayUrl = `http://127.0.0.1:${port}/v1/chat/completions`;
    for (let i = 0; i < 20; i++) {
      await timed(`${upstream.url}/chat/completions`, { ...request, model: "m1" }, {});
      await timed(gatewayUrl, request, auth);
    }
    // Three rounds, the median round reported: on this 2-core machine one round's figure moves by
    // ±0.2 ms from run to run (scheduling), which is a fifth of the target.
    const rounds: { overhead: number; via: number; direct: number }[] = [];
    for (let round = 0; round < 3; round++) {
      const direct: number[] = [];
      const via: number[] = [];
      for (let i = 0; i < 200; i++) {
        direct.push(await timed(`${upstream.url}/chat/completions`, { ...request, model: "m1", stream: true }, {}));
        via.push(await timed(gatewayUrl, { ...request, stream: true }, auth));
      }
      rounds.push({ overhead: p50(via) - p50(direct), via: p50(via), direct: p50(direct) });
    }
    rounds.sort((a, b) => a.overhead - b.overhead);
    const median = rounds[1]!;
    rows.push({
      metric: "/v1/chat/completions overhead vs upstream (p50, streamed)",
      value: `${median.overhead.toFixed(2)} ms (${median.via.toFixed(2)} vs ${median.direct.toFixed(2)}; rounds ${
        rounds.map((r) => r.overhead.toFixed(2)).join(", ")
      })`,
      target: "< 1 ms",
      met: median.overhead < 1,
    });
    // Issue 23's rows: ≤ 0.5 ms added at 10 and at 200 chunks. Per request, the upstream's own time
    // (its handler reached → its last event written, stamped by the fake on this process's clock) is
    // taken off the client's total, so the upstream's timer jitter (1 ms gaps) cancels out; the same
    // request sent straight to the upstream gives the transport's share, which is taken off too.
    const added = async (url: string, body: unknown, headers: Record<string, string>) => {
      const total = await timed(url, body, headers);
      const own = upstream.streams.at(-1)!;
      return total - (own.finished - own.arrived);
    };
    for (
      const [model, perRound, label] of [
        ["chunks-10", 60, "10 chunks 1 ms apart"],
        ["chunks-200", 20, "200 chunks 1 ms apart"],
        ["burst-200", 60, "200 chunks back to back"],
      ] as const
    ) {
      const headers = { ...auth, "x-openclaw-model": `fake/${model}` };
      for (let i = 0; i < 5; i++) await timed(gatewayUrl, { ...request, stream: true }, headers);
      const counted: { overhead: number; via: number; direct: number }[] = [];
      for (let round = 0; round < 3; round++) {
        const direct: number[] = [];
        const via: number[] = [];
        for (let i = 0; i < perRound; i++) {
          direct.push(await added(`${upstream.url}/chat/completions`, { ...request, model, stream: true }, {}));
          via.push(await added(gatewayUrl, { ...request, stream: true }, headers));
        }
        counted.push({ overhead: p50(via) - p50(direct), via: p50(via), direct: p50(direct) });
      }
      counted.sort((a, b) => a.overhead - b.overhead);
      const mid = counted[1]!;
      const issueRow = model !== "burst-200";
      rows.push({
        metric: `/v1/chat/completions streamed, added beyond the upstream, ${label} (p50, median of 3 rounds)`,
        value: `${mid.overhead.toFixed(2)} ms (beyond the upstream's own time: ${
          mid.via.toFixed(2)
        } through the gateway, ${mid.direct.toFixed(2)} direct; rounds ${
          counted.map((r) => r.overhead.toFixed(2)).join(", ")
        }; load ${Deno.loadavg()[0]!.toFixed(1)})`,
        target: issueRow ? "≤ 0.5 ms" : "(reported)",
        met: issueRow ? mid.overhead <= 0.5 : true,
      });
    }
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => timed(gatewayUrl, { ...request, stream: true }, auth)),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    rows.push({
      metric: "100 concurrent streams",
      value: `${ok}/100 ok in ${(performance.now() - started).toFixed(0)} ms`,
      target: "all complete",
      met: ok === 100,
    });
  } finally {
    await stop();
  }
  return rows;
}
