// A device connecting with a setup code's bootstrap token (or its own device token), as the
// reference's mobile apps do: a signed v3 device proof over the credential it presents, then the
// `connect` answer and, when refused, the close frame.

/** Who the device says it is in `connect.params.client`. */
export interface BootstrapClient {
  id: string;
  version: string;
  platform: string;
  mode: string;
  deviceFamily?: string;
  displayName?: string;
}

/** The iOS app as the reference's setup-code handoff expects it (node role, no scopes). */
export const IOS_CLIENT: BootstrapClient = {
  id: "openclaw-ios",
  version: "2026.9.6",
  platform: "iOS 18.0",
  mode: "node",
  deviceFamily: "iPhone",
  displayName: "Test iPhone",
};

/** What to present on one connect. */
export interface BootstrapConnectOptions {
  keys: CryptoKeyPair;
  client?: BootstrapClient;
  role?: string;
  scopes?: string[];
  auth: { bootstrapToken?: string; deviceToken?: string; token?: string };
}

/** The connect answer (`res` frame) and, when the server closed the socket, its close. */
export interface BootstrapConnectResult {
  response: Record<string, unknown>;
  connectFrame: Record<string, unknown>;
  close?: { code: number; reason: string } | undefined;
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function normalizeMeta(value: string | undefined): string {
  return (value ?? "").trim().toLowerCase();
}

/** A fresh Ed25519 device key pair. */
export async function newDeviceKeys(): Promise<CryptoKeyPair> {
  return await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"]) as CryptoKeyPair;
}

/** The device id of a key pair: SHA-256 (hex) of the raw public key. */
export async function deviceIdOf(keys: CryptoKeyPair): Promise<string> {
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", keys.publicKey));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Builds the signed `connect` request a device sends after the challenge `nonce`. */
export async function bootstrapConnectFrame(options: BootstrapConnectOptions, nonce: string) {
  const client = options.client ?? IOS_CLIENT;
  const role = options.role ?? "node";
  const scopes = options.scopes ?? [];
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", options.keys.publicKey));
  const id = await deviceIdOf(options.keys);
  const signedAt = Date.now();
  // The token the reference client signs: auth.token, else the device token, else the bootstrap token.
  const signed = options.auth.token ?? options.auth.deviceToken ?? options.auth.bootstrapToken ?? "";
  const payload = [
    "v3",
    id,
    client.id,
    client.mode,
    role,
    scopes.join(","),
    String(signedAt),
    signed,
    nonce,
    normalizeMeta(client.platform),
    normalizeMeta(client.deviceFamily),
  ].join("|");
  const signature = new Uint8Array(
    await crypto.subtle.sign("Ed25519", options.keys.privateKey, new TextEncoder().encode(payload)),
  );
  return {
    type: "req",
    id: "c1",
    method: "connect",
    params: {
      minProtocol: 4,
      maxProtocol: 4,
      client,
      role,
      scopes,
      caps: [],
      commands: [],
      auth: options.auth,
      device: { id, publicKey: toBase64Url(raw), signature: toBase64Url(signature), signedAt, nonce },
    },
  };
}

/** Connects to `ws://127.0.0.1:<port>/` and resolves with the connect answer (and close, if closed). */
export function bootstrapConnect(port: number, options: BootstrapConnectOptions): Promise<BootstrapConnectResult> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  let connectFrame: Record<string, unknown> = {};
  let response: Record<string, unknown> | undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error("no connect answer within 20 s"));
    }, 20_000);
    ws.onerror = () => {};
    ws.onclose = (event) => {
      clearTimeout(timer);
      if (response) resolve({ response, connectFrame, close: { code: event.code, reason: event.reason } });
      else reject(new Error(`socket closed before the connect answer: ${event.code} ${event.reason}`));
    };
    ws.onmessage = async (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") {
        connectFrame = await bootstrapConnectFrame(options, frame.payload.nonce);
        ws.send(JSON.stringify(connectFrame));
        return;
      }
      if (frame.type === "res" && frame.id === "c1") {
        response = frame as Record<string, unknown>;
        if (frame.ok) {
          clearTimeout(timer);
          ws.onclose = null;
          ws.close(1000, "done");
          resolve({ response: frame, connectFrame });
        }
      }
    };
  });
}
