// The 10,000-client row's yardstick: what Deno itself costs to fan a tick out to every socket, with
// no gateway. It speaks just enough of the protocol for clients_worker.ts (a 101, a challenge, an
// `ok` answer to whatever connect arrives), holds each socket in one pending 512-byte read as the
// gateway does, and every second writes each socket its own tick frame (its own `seq`) with one
// `conn.write` each, as the gateway's spliced broadcast does. Run by clients_bench.ts with the
// gateway's V8 flags, on the same machine at the same moment, so the two figures pair.
const [portText] = Deno.args;
const encoder = new TextEncoder();
/** A held socket: its seq, and the frames queued while a write to it is in flight (never interleaved). */
interface Held {
  conn: Deno.Conn;
  seq: number;
  writing: boolean;
  queued: Uint8Array[];
}
const held = new Set<Held>();

/** An unmasked text frame of a short message (< 126 bytes, all this server sends). */
function shortTextFrame(text: string): Uint8Array {
  const payload = encoder.encode(text);
  const out = new Uint8Array(2 + payload.length);
  out[0] = 0x81;
  out[1] = payload.length;
  out.set(payload, 2);
  return out;
}

async function serve(conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(4096);
  let head = "";
  while (!head.includes("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) return;
    head += new TextDecoder().decode(buffer.subarray(0, n));
  }
  await conn.write(encoder.encode(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
  ));
  await conn.write(shortTextFrame(`{"type":"event","event":"connect.challenge","payload":{"nonce":"n"}}`));
  if (await conn.read(buffer) === null) return; // the connect request (the worker sends it in one write)
  await conn.write(shortTextFrame(`{"type":"res","id":"c","ok":true,"payload":{}}`));
  const client: Held = { conn, seq: 0, writing: false, queued: [] };
  held.add(client);
  const wait = new Uint8Array(512);
  while (await conn.read(wait).catch(() => null) !== null);
  held.delete(client);
}

/**
 * Writes a frame whole, then whatever was queued meanwhile, in order, so a partial write is never
 * interleaved with the next tick's frame (the gateway's socket does the same). One `conn.write` and
 * its reaction per frame, no async function: the floor must not cost more than the gateway's path.
 */
function send(client: Held, frame: Uint8Array): void {
  client.writing = true;
  client.conn.write(frame).then((n) => {
    if (n < frame.length) return send(client, frame.subarray(n));
    const next = client.queued.shift();
    if (next) send(client, next);
    else client.writing = false;
  }, () => {
    // The client went away; its read loop ends and drops it.
    client.queued.length = 0;
  });
}

function tick(): void {
  const head = encoder.encode(`{"type":"event","event":"tick","payload":{"ts":${Date.now()}},"seq":`);
  for (const client of held) {
    const digits = String(++client.seq);
    const out = new Uint8Array(2 + head.length + digits.length + 1);
    out[0] = 0x81;
    out[1] = head.length + digits.length + 1;
    out.set(head, 2);
    for (let i = 0; i < digits.length; i++) out[2 + head.length + i] = digits.charCodeAt(i);
    out[out.length - 1] = 0x7d; // }
    if (client.writing) client.queued.push(out);
    else send(client, out);
  }
}

const listener = Deno.listen({ hostname: "127.0.0.1", port: Number(portText) });
// deno-lint-ignore no-console -- the bench waits for this line.
console.log("listening on", portText);
setInterval(tick, 1000);
for await (const conn of listener) void serve(conn);
