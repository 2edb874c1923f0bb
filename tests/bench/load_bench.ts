// Load: four rounds of 1,000 WebSocket clients plus 200 concurrent streamed HTTP requests,
// counting errors. Memory is compared after the first round (the warmed working set: V8 grows
// its heap to a high-water mark before collecting) and after the last: a leak keeps climbing.
import { startChatGateway } from "../support/chat_gateway.ts";
import { connectAuthenticated } from "../support/raw_socket.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";

async function rssMb(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim()) / 1024;
}

const connect = (port: number) => connectAuthenticated(port, { token: TOKEN, scopes: ["operator.read"] });

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
  try {
    const warm = await connect(port);
    await stream(port);
    warm.close();
    await new Promise((r) => setTimeout(r, 500));
    start = await rssMb(proc.child.pid);
    for (let round = 0; round < 4; round++) {
      const sockets: WebSocket[] = [];
      for (let i = 0; i < 1000; i += 50) {
        const batch = await Promise.allSettled(Array.from({ length: 50 }, () => connect(port)));
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
      metric: "load: RSS idle → after round 1 → after round 4",
      value: `${start.toFixed(0)} → ${warmed.toFixed(0)} → ${end.toFixed(0)} MB`,
      target: "no growth past the warmed working set (< 1.5×)",
      met: end < warmed * 1.5,
    },
  ];
}
