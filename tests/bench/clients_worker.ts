// One client process of the 10,000-client benchmark (clients_bench.ts): holds `count` WebSocket
// clients of a gateway and reports on stdout, one JSON line each: `{"held":n}` once all are
// connected, then `{"tick":ms}` per tick (the last of its clients' arrival, from the tick's `ts`).
// Clients live in a process apart from the bench so the measuring side does not slow the gateway's.
import { connectRequest } from "../support/raw_socket.ts";

const [portText, token, countText, batchText] = Deno.args;
const port = Number(portText);
const count = Number(countText);
const batch = Number(batchText);

function report(line: unknown): void {
  // deno-lint-ignore no-console -- the bench reads these lines from stdout.
  console.log(JSON.stringify(line));
}

/** Per tick `ts`: how many of this process's clients have it, and the latest arrival. */
const ticks = new Map<number, { seen: number; lastMs: number }>();

function onTick(ts: number, arrived: number): void {
  const entry = ticks.get(ts) ?? { seen: 0, lastMs: 0 };
  entry.seen++;
  entry.lastMs = Math.max(entry.lastMs, arrived - ts);
  ticks.set(ts, entry);
  if (entry.seen === count) {
    ticks.delete(ts);
    report({ tick: entry.lastMs, ts });
  }
}

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    ws.onerror = () => reject(new Error("socket error"));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") {
        const client = { id: "gateway-client", version: "bench", platform: "linux", mode: "backend" };
        ws.send(JSON.stringify(connectRequest({ token, scopes: ["operator.read"], client }, "c")));
      } else if (frame.type === "res" && frame.id === "c") {
        if (!frame.ok) return reject(new Error(JSON.stringify(frame.error)));
        ws.onmessage = (e) => {
          const arrived = Date.now();
          // Only ticks matter here; other events (presence, health) are skipped before parsing.
          if (!e.data.includes('"tick"')) return;
          const payload = JSON.parse(e.data).payload;
          if (typeof payload?.ts === "number") onTick(payload.ts, arrived);
        };
        ws.onerror = null;
        resolve(ws);
      }
    };
  });
}

const sockets: WebSocket[] = [];
for (let i = 0; i < count; i += batch) {
  sockets.push(...await Promise.all(Array.from({ length: Math.min(batch, count - i) }, connect)));
}
report({ held: sockets.length });
// Held until the bench stops this process by PID (a timer keeps the process alive if the gateway closes first).
setInterval(() => {}, 60_000);
