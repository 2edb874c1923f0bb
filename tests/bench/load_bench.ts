// Load: four rounds of 1,000 WebSocket clients plus 200 concurrent streamed HTTP requests,
// counting errors. Memory is read idle, after the first round (the warmed working set), after the
// last, and once the gateway has idled long enough for V8's memory reducer to collect (it defers
// major collections while a process is busy, so right after the rounds RSS still holds garbage):
// a leak shows as a V8 heap that stays above its idle size once collected.
import { startChatGateway } from "../support/chat_gateway.ts";
import { connectAuthenticated } from "../support/raw_socket.ts";
import { connectReference } from "../support/reference_client.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";

async function rssMb(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim()) / 1024;
}

const connect = (port: number) => connectAuthenticated(port, { token: TOKEN, scopes: ["operator.read"] });

/** The gateway's V8 heap in use, from `status` (its `processMemory` block needs the admin scope). */
async function heapUsedMb(port: number): Promise<number> {
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    const status = await session.request<{ processMemory?: { heapUsedBytes: number } }>("status");
    if (!status.processMemory) throw new Error("status had no processMemory (admin scope missing?)");
    return status.processMemory.heapUsedBytes / 1024 / 1024;
  } finally {
    session.stop();
  }
}

async function stream(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ stream: true, messages: [{ role: "user", content: "hi" }] }),
  });
  const text = await res.text();
  if (!res.ok || !text.endsWith("data: [DONE]\n\n")) throw new Error(`stream failed: ${res.status}`);
}

/** Runs the load rounds and reports errors and RSS growth. */
export async function benchLoad(): Promise<BenchRow[]> {
  const { proc, port, stop } = await startChatGateway(TOKEN);
  let errors = 0;
  let start = 0;
  let warmed = 0;
  let end = 0;
  let settled = 0;
  let settledAfter = 0;
  let heapIdle = 0;
  let heapSettled = 0;
  try {
    const warm = await connect(port);
    await stream(port);
    warm.close();
    await new Promise((r) => setTimeout(r, 500));
    start = await rssMb(proc.child.pid);
    heapIdle = await heapUsedMb(port);
    for (let round = 0; round < 4; round++) {
      const sockets: WebSocket[] = [];
      // Batches stay under the 32 unauthenticated sockets one address may hold (gateway.limits).
      for (let i = 0; i < 1000; i += 25) {
        const batch = await Promise.allSettled(Array.from({ length: 25 }, () => connect(port)));
        for (const r of batch) r.status === "fulfilled" ? sockets.push(r.value) : errors++;
      }
      const streams = await Promise.allSettled(Array.from({ length: 200 }, () => stream(port)));
      errors += streams.filter((r) => r.status === "rejected").length;
      await Promise.all(sockets.map((ws) =>
        new Promise<void>((resolve) => {
          ws.onclose = () => resolve();
          ws.close();
        })
      ));
      if (round === 0) {
        await new Promise((r) => setTimeout(r, 1000));
        warmed = await rssMb(proc.child.pid);
      }
    }
    await new Promise((r) => setTimeout(r, 1500));
    end = await rssMb(proc.child.pid);
    // V8's memory reducer runs after some seconds without allocation (about 20 s here).
    const idleFrom = performance.now();
    settled = end;
    while (settled >= warmed && performance.now() - idleFrom < 60_000) {
      await new Promise((r) => setTimeout(r, 2000));
      settled = await rssMb(proc.child.pid);
    }
    settledAfter = (performance.now() - idleFrom) / 1000;
    heapSettled = await heapUsedMb(port);
  } finally {
    await stop();
  }
  return [
    {
      metric: "load: 4 × (1,000 WS clients + 200 streams), errors",
      value: String(errors),
      target: "0",
      met: errors === 0,
    },
    {
      metric: "load: RSS idle → after round 1 → after round 4 → idle again",
      value: `${start.toFixed(0)} → ${warmed.toFixed(0)} → ${end.toFixed(0)} → ${settled.toFixed(0)} MB (after ${
        settledAfter.toFixed(0)
      } s)`,
      target: "back under the warmed working set within 60 s",
      met: settled < warmed,
    },
    {
      metric: "load: V8 heap used idle → idle after the load",
      value: `${heapIdle.toFixed(1)} → ${heapSettled.toFixed(1)} MB`,
      target: "no leak (< idle + 5 MB)",
      met: heapSettled < heapIdle + 5,
    },
  ];
}
