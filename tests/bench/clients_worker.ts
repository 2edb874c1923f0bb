// One client process of the 10,000-client benchmark (clients_bench.ts): holds `count` WebSocket
// clients of a gateway and reports on stdout, one JSON line each: `{"held":n}` once all are
// connected, then `{"tick":ms,"first":ms}` per tick (its clients' last and first arrival, from the tick's `ts`).
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
const ticks = new Map<number, { seen: number; firstMs: number; lastMs: number }>();

function onTick(ts: number, arrived: number): void {
  const entry = ticks.get(ts) ?? { seen: 0, firstMs: arrived - ts, lastMs: 0 };
  entry.seen++;
  entry.lastMs = Math.max(entry.lastMs, arrived - ts);
  ticks.set(ts, entry);
  if (entry.seen === count) {
    ticks.delete(ts);
    report({ tick: entry.lastMs, first: entry.firstMs, ts });
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const UPGRADE = encoder.encode(
  `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
);

/** A masked client text frame; the mask key is zero (RFC 6455 allows any key), so the payload goes as is. */
function clientFrame(text: string): Uint8Array {
  const payload = encoder.encode(text);
  const header = payload.length < 126
    ? [0x81, 0x80 | payload.length]
    : [0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff];
  const out = new Uint8Array(header.length + 4 + payload.length);
  out.set(header);
  out.set(payload, header.length + 4);
  return out;
}

/**
 * One client on a raw TCP socket with just enough RFC 6455 to connect and read server frames:
 * Deno's `WebSocket` costs the client process far more per message, and with 5,000 clients a
 * process that cost, not the gateway's, was most of the fan-out time measured.
 */
async function connect(): Promise<Deno.Conn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(UPGRADE);
  let buffer = new Uint8Array(0);
  let headDone = false;
  let authenticated = false;
  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const onText = (text: string, arrived: number) => {
    if (authenticated) {
      if (!text.includes('"tick"')) return;
      const payload = JSON.parse(text).payload;
      if (typeof payload?.ts === "number") onTick(payload.ts, arrived);
      return;
    }
    const frame = JSON.parse(text);
    if (frame.event === "connect.challenge") {
      const client = { id: "gateway-client", version: "bench", platform: "linux", mode: "backend" };
      void conn.write(clientFrame(JSON.stringify(connectRequest({ token, scopes: ["operator.read"], client }, "c"))));
    } else if (frame.type === "res" && frame.id === "c") {
      if (!frame.ok) return rejectReady(new Error(JSON.stringify(frame.error)));
      authenticated = true;
      resolveReady();
    }
  };
  void (async () => {
    const chunk = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(chunk).catch(() => null);
      if (n === null) return rejectReady(new Error("connection closed"));
      const arrived = Date.now();
      const next = new Uint8Array(buffer.length + n);
      next.set(buffer);
      next.set(chunk.subarray(0, n), buffer.length);
      buffer = next;
      if (!headDone) {
        const end = decoder.decode(buffer).indexOf("\r\n\r\n");
        if (end === -1) continue;
        headDone = true;
        buffer = buffer.slice(end + 4);
      }
      for (;;) {
        if (buffer.length < 2) break;
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) break;
          length = (buffer[2]! << 8) | buffer[3]!;
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) break;
          length = new DataView(buffer.buffer, buffer.byteOffset).getUint32(6);
          offset = 10;
        }
        if (buffer.length < offset + length) break;
        const opcode = buffer[0]! & 0x0f;
        if (opcode === 0x1) onText(decoder.decode(buffer.subarray(offset, offset + length)), arrived);
        buffer = buffer.slice(offset + length);
      }
    }
  })();
  await ready;
  return conn;
}

const sockets: Deno.Conn[] = [];
for (let i = 0; i < count; i += batch) {
  sockets.push(...await Promise.all(Array.from({ length: Math.min(batch, count - i) }, connect)));
}
report({ held: sockets.length });
// Held until the bench stops this process by PID (a timer keeps the process alive if the gateway closes first).
setInterval(() => {}, 60_000);
