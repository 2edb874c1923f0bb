// Drives our gateway with the reference client library, @openclaw/gateway-client.
import { GatewayClient } from "@openclaw/gateway-client";

/** Options for {@link connectReference}. */
export interface ReferenceClientOptions {
  port: number;
  token?: string;
  password?: string;
  deviceToken?: string;
  scopes?: string[];
  mode?: "cli" | "backend" | "probe" | "test" | "ui" | "webchat" | "node";
  clientName?: "cli" | "gateway-client" | "test" | "openclaw-probe" | "webchat-ui" | "node-host";
  /** `node` to connect as a phone/Mac/headless node, with what it declares. */
  role?: "operator" | "node";
  caps?: string[];
  commands?: string[];
  permissions?: Record<string, boolean>;
  displayName?: string;
  deviceIdentity?: { deviceId: string; privateKeyPem: string; publicKeyPem: string };
  hostDeps?: Record<string, unknown>;
}

/** A connected reference client plus everything it received. */
export interface ReferenceSession {
  client: GatewayClient;
  hello: Record<string, unknown>;
  events: { event: string; payload: unknown; seq?: number }[];
  gaps: { expected: number; received: number }[];
  closes: { code: number; reason: string }[];
  request<T = unknown>(
    method: string,
    params?: unknown,
    options?: { expectFinal?: boolean; onAccepted?: (payload: unknown) => void; timeoutMs?: number },
  ): Promise<T>;
  waitForEvent(name: string, timeoutMs?: number): Promise<{ event: string; payload: unknown; seq?: number }>;
  stop(): void;
}

/** Connects with the reference client and resolves after `hello-ok`; rejects on a refused connect. */
export function connectReference(options: ReferenceClientOptions): Promise<ReferenceSession> {
  const events: ReferenceSession["events"] = [];
  const gaps: ReferenceSession["gaps"] = [];
  const closes: ReferenceSession["closes"] = [];
  const waiters: { name: string; resolve: (e: ReferenceSession["events"][number]) => void }[] = [];
  return new Promise((resolve, reject) => {
    const client = new GatewayClient({
      url: `ws://127.0.0.1:${options.port}`,
      token: options.token,
      password: options.password,
      deviceToken: options.deviceToken,
      scopes: options.scopes,
      clientName: options.clientName ?? "gateway-client",
      clientVersion: "test",
      mode: options.mode ?? "backend",
      platform: "linux",
      deviceIdentity: options.deviceIdentity ?? null,
      hostDeps: options.hostDeps,
      role: options.role,
      caps: options.caps,
      commands: options.commands,
      permissions: options.permissions,
      clientDisplayName: options.displayName,
      requestTimeoutMs: 10_000,
      onHelloOk: (hello) => {
        resolve({
          client,
          hello: hello as unknown as Record<string, unknown>,
          events,
          gaps,
          closes,
          request: <T>(
            method: string,
            params?: unknown,
            requestOptions?: { expectFinal?: boolean; onAccepted?: (payload: unknown) => void; timeoutMs?: number },
          ) => client.request(method, params ?? {}, requestOptions) as Promise<T>,
          waitForEvent: (name, timeoutMs = 10_000) => {
            const seen = events.find((e) => e.event === name);
            if (seen) return Promise.resolve(seen);
            return new Promise((res, rej) => {
              const timer = setTimeout(() => rej(new Error(`no ${name} event within ${timeoutMs}ms`)), timeoutMs);
              waiters.push({
                name,
                resolve: (e) => {
                  clearTimeout(timer);
                  res(e);
                },
              });
            });
          },
          stop: () => client.stop(),
        });
      },
      onConnectError: (error) => {
        // Reject first: stop() re-enters this callback with "gateway client stopped".
        reject(error);
        queueMicrotask(() => client.stop());
      },
      onEvent: (frame) => {
        const entry = { event: frame.event, payload: frame.payload, seq: frame.seq };
        events.push(entry);
        for (const waiter of waiters.filter((w) => w.name === frame.event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      },
      onGap: (info) => gaps.push(info),
      onClose: (code, reason) => closes.push({ code, reason }),
    });
    client.start();
  });
}
