// Issue 23's channel row: one Telegram DM answered by a 0 ms model, at 100 messages/s, through the
// real gateway (the bundle) and the fake Bot API's long polling. Per message: the update queued at
// the fake Telegram → the answer's sendMessage arriving there, minus the upstream's own time (the
// same streamed request sent straight to the fake model, p50).
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";
/** The fake bot's token in the channel bench's config. */
export const BOT_TOKEN = "123456:bench-bot-token";

/** The value at `p` % of the sorted `values` (nearest rank, rounded down). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function upstreamMs(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "instant", stream: true, messages: [{ role: "user", content: "hi" }] }),
  });
  await res.text();
  return performance.now() - started;
}

/** The process's CPU time (user + system) in ms, from /proc (10 ms ticks). */
async function cpuMs(pid: number): Promise<number> {
  // Through `cat`: Deno asks for --allow-all to read another process's /proc entry directly.
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`], stdout: "piped" }).output();
  const fields = new TextDecoder().decode(out.stdout).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * The channel bench's config: a Telegram bot on the fake Bot API at `apiRoot` open to every DM, answered by the fake
 * model at `upstreamUrl`, the gateway on `port` with the bench's token.
 */
export function channelBenchConfig(port: number, upstreamUrl: string, apiRoot: string) {
  return {
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstreamUrl, api: "openai-completions", models: ["instant"] } } },
    agents: { defaults: { model: { primary: "fake/instant" } } },
    // Each sender its own session (the reference's advice for a bot many people DM): with the default
    // `main` scope all 300 senders would share one session, its runs queued one after another and
    // each run reading and sending the whole growing conversation.
    session: { dmScope: "per-channel-peer" },
    channels: { telegram: { botToken: BOT_TOKEN, apiRoot, dmPolicy: "open", allowFrom: ["*"] } },
  };
}

/** Sends `count` DMs from distinct users, `rate` a second, and waits for every answer. */
async function burst(
  telegram: ReturnType<typeof startFakeTelegram>,
  firstUser: number,
  count: number,
  rate: number,
): Promise<number[]> {
  const pushedAt = new Map<number, number>();
  const startIndex = telegram.sent.length;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    // Paced against the start, not by fixed sleeps between sends, so a late timer does not slow the rate.
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const user = firstUser + i;
    pushedAt.set(user, performance.now());
    telegram.push(telegram.text(user, `question ${i}`));
  }
  await telegram.waitForSent((sent) => sent.length - startIndex >= count, 60_000);
  const out: number[] = [];
  const seen = new Set<number>();
  for (let i = startIndex; i < telegram.sent.length; i++) {
    const chat = Number(telegram.sent[i]!.chatId);
    if (seen.has(chat) || !pushedAt.has(chat)) continue;
    seen.add(chat);
    out.push(telegram.sentAt[i]! - pushedAt.get(chat)!);
  }
  return out;
}

/** Runs the channel benchmark: 300 DMs at 100/s after 20 sequential warm-ups. */
export async function benchChannel(count = 300, rate = 100): Promise<BenchRow[]> {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(channelBenchConfig(port, upstream.url, telegram.url));
  const { proc } = await startGateway({ home: home.home, port });
  try {
    for (let i = 0; i < 20; i++) await burst(telegram, 100 + i, 1, 1000);
    const direct: number[] = [];
    for (let i = 0; i < 50; i++) direct.push(await upstreamMs(upstream.url));
    const model = percentile(direct, 50);
    const cpuBefore = await cpuMs(proc.child.pid);
    const latencies = await burst(telegram, 10_000, count, rate);
    // CPU per message holds under a loaded machine where wall time does not.
    const cpuPerMessage = (await cpuMs(proc.child.pid) - cpuBefore) / count;
    const added = latencies.map((ms) => ms - model);
    const p50 = percentile(added, 50);
    const p99 = percentile(added, 99);
    return [{
      metric:
        `channel DM (Telegram, long polling) answered by a 0 ms model, added by the gateway at ${rate} msg/s (p50 / p99 of ${count})`,
      value: `${p50.toFixed(1)} / ${p99.toFixed(1)} ms (in → out ${percentile(latencies, 50).toFixed(1)} ms; upstream ${
        model.toFixed(2)
      } ms; gateway CPU ${cpuPerMessage.toFixed(2)} ms a message; load ${Deno.loadavg()[0]!.toFixed(1)})`,
      target: "≤ 5 ms",
      met: p50 <= 5,
    }];
  } finally {
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
}
