// A bare WebSocket speaking the protocol by hand, for the cases a well-behaved client never sends.

const CLIENT = { id: "cli", version: "test", platform: "linux", mode: "cli" } as const;

/** A device proof as `connect.params.device` carries it. */
export interface DeviceProofFrame {
  id: string;
  publicKey: string;
  signature: string;
  signedAt: number;
  nonce: string;
}

/** Credentials and protocol range for a `connect` request. */
export interface ConnectOptions {
  token?: string;
  password?: string;
  deviceToken?: string;
  device?: DeviceProofFrame;
  minProtocol?: number;
  maxProtocol?: number;
  scopes?: string[];
  client?: { id: string; version: string; platform: string; mode: string };
}

/** Builds the `connect` request frame a client sends after the challenge. */
export function connectRequest(o: ConnectOptions, id = "c1"): Record<string, unknown> {
  const auth = {
    ...(o.token ? { token: o.token } : {}),
    ...(o.password ? { password: o.password } : {}),
    ...(o.deviceToken ? { deviceToken: o.deviceToken } : {}),
  };
  return {
    type: "req",
    id,
    method: "connect",
    params: {
      minProtocol: o.minProtocol ?? 4,
      maxProtocol: o.maxProtocol ?? 4,
      client: o.client ?? CLIENT,
      role: "operator",
      scopes: o.scopes ?? [],
      ...(Object.keys(auth).length > 0 ? { auth } : {}),
      ...(o.device ? { device: o.device } : {}),
    },
  };
}

/** An open socket past the challenge. */
export interface RawSocket {
  nonce: string;
  send(frame: unknown): void;
  sendText(text: string): void;
  /** Sends `connect` with the given credentials (and optional protocol range). */
  connect(options: ConnectOptions): void;
  nextResponse(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Calls `listener` with every event frame after the challenge, including ones already received. */
  onEvent(listener: (frame: Record<string, unknown>) => void): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Signs a v3 device payload for the fixed test client, as a real device would. */
export async function signDevice(
  keys: CryptoKeyPair,
  nonce: string,
  options: { token: string; scopes?: string[] },
): Promise<DeviceProofFrame> {
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", keys.publicKey));
  const id = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", raw)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
  const signedAt = Date.now();
  const payload = [
    "v3",
    id,
    CLIENT.id,
    CLIENT.mode,
    "operator",
    (options.scopes ?? []).join(","),
    String(signedAt),
    options.token,
    nonce,
    CLIENT.platform,
    "",
  ].join("|");
  const signature = new Uint8Array(
    await crypto.subtle.sign("Ed25519", keys.privateKey, new TextEncoder().encode(payload)),
  );
  return { id, publicKey: toBase64Url(raw), signature: toBase64Url(signature), signedAt, nonce };
}

/**
 * Opens a WebSocket and resolves once `connect.challenge` arrived; `headers` go on the upgrade
 * (an `x-forwarded-for` through a trusted proxy makes the client look remote).
 */
export function rawConnect(port: number, options: { headers?: Record<string, string> } = {}): Promise<RawSocket> {
  // Deno's WebSocket takes upgrade headers as a non-standard second argument.
  const ws = options.headers
    ? new WebSocket(`ws://127.0.0.1:${port}/`, { headers: options.headers } as unknown as string[])
    : new WebSocket(`ws://127.0.0.1:${port}/`);
  const responses: Record<string, unknown>[] = [];
  const waiting: ((frame: Record<string, unknown>) => void)[] = [];
  const events: Record<string, unknown>[] = [];
  let eventListener: ((frame: Record<string, unknown>) => void) | undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.onclose = (event) => resolve({ code: event.code, reason: event.reason });
  });
  return new Promise((resolve, reject) => {
    ws.onerror = () => reject(new Error("websocket error"));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") {
        const nonce = frame.payload.nonce as string;
        resolve({
          nonce,
          send: (f) => ws.send(JSON.stringify(f)),
          sendText: (text) => ws.send(text),
          connect: (o) => ws.send(JSON.stringify(connectRequest(o))),
          nextResponse: (timeoutMs = 5000) => {
            const ready = responses.shift();
            if (ready) return Promise.resolve(ready);
            return new Promise((res, rej) => {
              const timer = setTimeout(() => rej(new Error("no response")), timeoutMs);
              waiting.push((f) => {
                clearTimeout(timer);
                res(f);
              });
            });
          },
          onEvent: (listener) => {
            eventListener = listener;
            events.splice(0).forEach(listener);
          },
          closed,
          close: () => ws.close(1000, "bye"),
        });
        return;
      }
      if (frame.type === "event") {
        if (eventListener) eventListener(frame);
        else events.push(frame);
        return;
      }
      if (frame.type === "res") {
        const waiter = waiting.shift();
        if (waiter) waiter(frame);
        else responses.push(frame);
      }
    };
  });
}

/** A browser-style WebSocket past `connect` with a shared token; rejects with the error frame when refused. */
export function connectAuthenticated(port: number, options: { token: string; scopes: string[] }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    ws.onerror = () => reject(new Error("socket error"));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") {
        ws.send(JSON.stringify(connectRequest({ token: options.token, scopes: options.scopes })));
      } else if (frame.type === "res" && frame.id === "c1") {
        ws.onmessage = null;
        frame.ok ? resolve(ws) : reject(new Error(JSON.stringify(frame.error)));
      }
    };
  });
}

/**
 * Sends raw request bytes on a new TCP connection and returns the response head (up to the blank
 * line, or what came before the server closed); the connection is closed afterwards.
 */
export async function rawResponseHead(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(request));
    let text = "";
    const buffer = new Uint8Array(4096);
    while (!text.includes("\r\n\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    const end = text.indexOf("\r\n\r\n");
    return end === -1 ? text : text.slice(0, end + 2);
  } finally {
    conn.close();
  }
}
