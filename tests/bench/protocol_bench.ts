// Protocol benchmarks against a real gateway process on loopback: handshake latency, RPC
// throughput, and 1,000 concurrent clients receiving a tick fan-out.
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { connectRequest } from "../support/raw_socket.ts";
import type { BenchRow } from "./startup_bench.ts";

const TOKEN = "bench-token-0123456789abcdef";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function rssMb(pid: number): Promise<number> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(out.stdout).trim()) / 1024;
}

interface Client {
  ws: WebSocket;
  onFrame: (frame: Record<string, unknown>) => void;
}

/** Opens a socket, completes connect, resolves with the client and its hello-ok latency. */
function connect(port: number): Promise<{ client: Client; helloMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    const client: Client = { ws, onFrame: () => {} };
    ws.onerror = () => reject(new Error("socket error"));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") {
        const identity = { id: "gateway-client", version: "bench", platform: "linux", mode: "backend" };
        ws.send(JSON.stringify(connectRequest({ token: TOKEN, scopes: ["operator.read"], client: identity }, "c")));
      } else if (frame.type === "res" && frame.id === "c") {
        if (!frame.ok) return reject(new Error(JSON.stringify(frame.error)));
        ws.onmessage = (e) => client.onFrame(JSON.parse(e.data));
        resolve({ client, helloMs: performance.now() - started });
      }
    };
  });
}

function closeAll(clients: Client[]): Promise<void> {
  return Promise.all(clients.map((c) =>
    new Promise<void>((resolve) => {
      if (c.ws.readyState === WebSocket.CLOSED) return resolve();
      c.ws.onclose = () => resolve();
      c.ws.close();
    })
  )).then(() => {});
}

/** Runs the protocol benchmarks and returns their rows. */
export async function benchProtocol(): Promise<BenchRow[]> {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const port = freePort();
  const proc = await spawnOpenclaw(["gateway", "run", "--port", String(port)], {
    home: home.home,
    env: { OPENCLAW_TICK_INTERVAL_MS: "1000" },
  });
  const rows: BenchRow[] = [];
  try {
    await proc.waitForLine(/listening on/);
    // The first connect loads the protocol validators; it is not what the target is about.
    const warm = await connect(port);
    await closeAll([warm.client]);

    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const { client, helloMs } = await connect(port);
      latencies.push(helloMs);
      await closeAll([client]);
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    rows.push({ metric: "connect → hello-ok p50", value: `${p50.toFixed(2)} ms`, target: "< 2 ms", met: p50 < 2 });
    rows.push({ metric: "connect → hello-ok p99", value: `${p99.toFixed(2)} ms`, target: "(reported)", met: true });

    const { client } = await connect(port);
    const total = 5000;
    let answered = 0;
    const done = new Promise<void>((resolve) => {
      client.onFrame = (frame) => {
        if (frame.type === "res" && ++answered === total) resolve();
      };
    });
    const started = performance.now();
    for (let i = 0; i < total; i++) client.ws.send(JSON.stringify({ type: "req", id: `h${i}`, method: "health" }));
    await done;
    const perSecond = total / ((performance.now() - started) / 1000);
    rows.push({
      metric: "health RPC throughput (1 connection)",
      value: `${perSecond.toFixed(0)} req/s`,
      target: "(reported)",
      met: true,
    });
    await closeAll([client]);

    const clients: Client[] = [];
    // Batches stay under the 32 unauthenticated sockets one address may hold (gateway.limits).
    for (let i = 0; i < 1000; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, () => connect(port)));
      clients.push(...batch.map((b) => b.client));
    }
    await new Promise((r) => setTimeout(r, 500));
    const rss = await rssMb(proc.child.pid);
    rows.push({
      metric: "RSS with 1,000 connected clients",
      value: `${rss.toFixed(1)} MB`,
      target: "(reported)",
      met: true,
    });
    const arrivals: number[] = [];
    const tick = new Promise<void>((resolve) => {
      for (const c of clients) {
        c.onFrame = (frame) => {
          if (frame.event !== "tick") return;
          arrivals.push(Date.now() - (frame.payload as { ts: number }).ts);
          c.onFrame = () => {};
          if (arrivals.length === clients.length) resolve();
        };
      }
    });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5000));
    await Promise.race([tick, timeout]);
    const all = arrivals.length === clients.length;
    rows.push({
      metric: "tick fan-out to 1,000 clients (last arrival)",
      value: all ? `${Math.max(...arrivals)} ms` : `${arrivals.length}/1000 received`,
      target: "all 1,000 held and served",
      met: all,
    });
    await closeAll(clients);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
  return rows;
}
