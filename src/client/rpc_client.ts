import { timerSafeMs } from "../async/timer_ms.ts";
import { redactUrlSecrets } from "../config/sensitive_url.ts";
import { messageOf } from "../log/error_text.ts";
import { isJsonObject } from "../log/json_object.ts";
import { CoreTimers, coreWithin } from "./core_timer.ts";
import { PROTOCOL_VERSION, VERSION } from "../version.ts";

/** The gateway could not be reached or went away: nothing answered at the protocol level. */
export class GatewayTransportError extends Error {
  /** `unreachable` (refused, no route), `timeout`, or `closed` (closed before an answer). */
  readonly kind: "unreachable" | "timeout" | "closed";
  /** The low-level reason, e.g. `connect ECONNREFUSED 127.0.0.1:18789`. */
  readonly reason: string;

  constructor(kind: "unreachable" | "timeout" | "closed", message: string, reason: string) {
    super(message);
    this.name = "GatewayTransportError";
    this.kind = kind;
    this.reason = reason;
  }
}

/** The gateway answered with an error (`res ok:false`), during connect or for a request. */
export class GatewayRequestError extends Error {
  /** The protocol's `error.code`. */
  readonly code: string;
  readonly details: unknown;
  readonly retryable: boolean;

  constructor(error: { code: string; message: string; details?: unknown; retryable?: boolean }) {
    super(error.message);
    this.name = "GatewayRequestError";
    this.code = error.code;
    this.details = error.details;
    this.retryable = error.retryable ?? false;
  }

  /** One field of `error.details` (`code`, `requiredScopes`, …); undefined when the error has no such detail. */
  detail(name: string): unknown {
    return isJsonObject(this.details) ? this.details[name] : undefined;
  }
}

/** An error body as a response frame carries it; a malformed one still becomes a readable error. */
function errorBodyOf(value: unknown): { code: string; message: string; details?: unknown; retryable?: boolean } {
  if (!isJsonObject(value) || typeof value.code !== "string" || typeof value.message !== "string") {
    return { code: "INVALID_RESPONSE", message: "the gateway answered with an error frame without code or message" };
  }
  const body = { code: value.code, message: value.message, details: value.details };
  return typeof value.retryable === "boolean" ? { ...body, retryable: value.retryable } : body;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Reads `hello-ok` into the fields this client uses; a field the gateway left out reads as empty. */
function helloOf(payload: unknown): GatewayConnection["hello"] {
  const hello = isJsonObject(payload) ? payload : {};
  const server = isJsonObject(hello.server) ? hello.server : {};
  const auth = isJsonObject(hello.auth) ? hello.auth : {};
  const features = isJsonObject(hello.features) ? hello.features : {};
  return {
    server: { version: String(server.version ?? ""), connId: String(server.connId ?? "") },
    auth: {
      role: String(auth.role ?? ""),
      scopes: stringsOf(auth.scopes),
      ...(typeof auth.method === "string" ? { method: auth.method } : {}),
    },
    features: { methods: stringsOf(features.methods), events: stringsOf(features.events) },
    snapshot: isJsonObject(hello.snapshot) ? hello.snapshot : {},
    ...(isJsonObject(hello.policy) && typeof hello.policy.tickIntervalMs === "number" &&
        hello.policy.tickIntervalMs > 0
      ? { tickIntervalMs: hello.policy.tickIntervalMs }
      : {}),
  };
}

/** How to reach and authenticate to a gateway. */
export interface ClientTarget {
  url: string;
  token?: string | undefined;
  password?: string | undefined;
}

/** Options of {@link connectGateway}. */
export interface ConnectOptions {
  clientId?: "cli" | "gateway-client";
  mode?: "cli" | "backend" | "probe";
  displayName?: string;
  scopes?: string[];
  /** Client capabilities announced in `connect` (`approvals` for a client that resolves approvals). */
  caps?: string[];
  timeoutMs?: number;
  /** Each event frame after `hello-ok` (the gateway's broadcasts and the subscriptions this client asked for). */
  onEvent?: (event: string, payload: unknown) => void;
  /** The connection closed after `hello-ok` without {@link GatewayConnection.close} (the gateway went away). */
  onClose?: (reason: string) => void;
}

/** An open, authenticated connection. */
export interface GatewayConnection {
  hello: {
    server: { version: string; connId: string };
    auth: { role: string; scopes: string[]; method?: string };
    features: { methods: string[]; events: string[] };
    snapshot: Record<string, unknown>;
    /** `policy.tickIntervalMs`: how often the gateway sends `tick` (absent when it did not say). */
    tickIntervalMs?: number;
  };
  /** Milliseconds from opening the socket to `hello-ok`. */
  connectLatencyMs: number;
  /**
   * One request. With `expectFinal`, an interim `status: "accepted"` answer (a two-stage method such as
   * `agent`) is passed to `onAccepted` and the call waits for the final answer of the same id.
   */
  request<T = unknown>(
    method: string,
    params?: unknown,
    timeoutMs?: number,
    options?: { expectFinal?: boolean; onAccepted?: (payload: Record<string, unknown>) => void },
  ): Promise<T>;
  close(): void;
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname.replace(/^\[|\]$/g, "")}:${parsed.port || (parsed.protocol === "wss:" ? 443 : 80)}`;
  } catch {
    return url;
  }
}

/** First-hand check: is anything listening? Distinguishes "refused" from a protocol failure. */
async function reachable(url: string, timeoutMs: number): Promise<string | undefined> {
  const [hostname, port] = hostOf(url).split(/:(?=\d+$)/);
  const connecting = Deno.connect({ hostname: hostname!, port: Number(port) });
  try {
    const conn = await coreWithin(connecting, timeoutMs);
    if (!conn) {
      // A connect that completes after the deadline is closed, never left open.
      void connecting.then((late) => late.close(), () => {});
      return `connect timeout ${hostOf(url)}`;
    }
    conn.close();
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) return `connect ECONNREFUSED ${hostOf(url)}`;
    return `connect ${messageOf(error)} ${hostOf(url)}`;
  }
}

/**
 * Connects with the OpenClaw handshake (wait for `connect.challenge`, send `connect`, await
 * `hello-ok`) and fails fast: a refused port is reported at once, everything else within
 * `timeoutMs`. Never falls back to anything silently.
 */
export async function connectGateway(target: ClientTarget, options: ConnectOptions = {}): Promise<GatewayConnection> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const refused = await reachable(target.url, Math.min(timeoutMs, 3000));
  if (refused) {
    throw new GatewayTransportError(
      "unreachable",
      `Gateway not reachable at ${redactUrlSecrets(target.url)} (ECONNREFUSED).`,
      refused,
    );
  }
  const started = performance.now();
  // The connection's timers on one queue: an answered request's deadline is dropped, not left armed.
  const timers = new CoreTimers();
  const ws = new WebSocket(target.url);
  const pending = new Map<
    string,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; accepted?: (payload: Record<string, unknown>) => void }
  >();
  let counter = 0;
  let closedReason: string | undefined;

  const failAll = (error: Error) => {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };

  const hello = await new Promise<GatewayConnection["hello"]>((resolve, reject) => {
    const cancelTimer = timers.after(timeoutMs, () => {
      ws.close();
      reject(
        new GatewayTransportError(
          "timeout",
          `Gateway did not answer within ${timeoutMs}ms at ${redactUrlSecrets(target.url)}.`,
          "timeout",
        ),
      );
    });
    ws.onerror = () => {};
    ws.onclose = (event) => {
      cancelTimer();
      closedReason = `${event.code}${event.reason ? ` ${event.reason}` : ""}`;
      const error = new GatewayTransportError(
        "closed",
        `Gateway closed the connection (${closedReason}).`,
        closedReason,
      );
      reject(error);
      failAll(error);
    };
    ws.onmessage = (event) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!isJsonObject(frame)) return;
      if (frame.type === "event" && frame.event === "connect.challenge") {
        const auth = {
          ...(target.token ? { token: target.token } : {}),
          ...(target.password ? { password: target.password } : {}),
        };
        ws.send(JSON.stringify({
          type: "req",
          id: "1:connect",
          method: "connect",
          params: {
            minProtocol: options.mode === "probe" ? 3 : PROTOCOL_VERSION,
            maxProtocol: PROTOCOL_VERSION,
            client: {
              id: options.clientId ?? "cli",
              version: VERSION,
              platform: Deno.build.os,
              mode: options.mode ?? "cli",
              ...(options.displayName ? { displayName: options.displayName } : {}),
            },
            role: "operator",
            scopes: options.scopes ?? ["operator.read"],
            caps: options.caps ?? [],
            ...(Object.keys(auth).length > 0 ? { auth } : {}),
          },
        }));
        return;
      }
      if (frame.type === "event" && typeof frame.event === "string") {
        options.onEvent?.(frame.event, frame.payload);
        return;
      }
      if (frame.type !== "res") return;
      if (frame.id === "1:connect") {
        cancelTimer();
        if (frame.ok) resolve(helloOf(frame.payload));
        else reject(new GatewayRequestError(errorBodyOf(frame.error)));
        return;
      }
      const entry = pending.get(String(frame.id));
      if (!entry) return;
      if (entry.accepted && frame.ok && isJsonObject(frame.payload) && frame.payload.status === "accepted") {
        entry.accepted(frame.payload);
        return;
      }
      pending.delete(String(frame.id));
      if (frame.ok) entry.resolve(frame.payload);
      else entry.reject(new GatewayRequestError(errorBodyOf(frame.error)));
    };
  });
  const connectLatencyMs = Math.round(performance.now() - started);
  if (options.onClose) {
    const closed = ws.onclose;
    const onClose = options.onClose;
    ws.onclose = (event) => {
      closed?.call(ws, event);
      onClose(closedReason ?? String(event.code));
    };
  }

  return {
    hello,
    connectLatencyMs,
    request<T>(
      method: string,
      params: unknown = {},
      requestTimeoutMs = timeoutMs,
      options: { expectFinal?: boolean; onAccepted?: (payload: Record<string, unknown>) => void } = {},
    ): Promise<T> {
      if (closedReason !== undefined) {
        return Promise.reject(
          new GatewayTransportError("closed", `Gateway closed the connection (${closedReason}).`, closedReason),
        );
      }
      const id = `${++counter + 1}:${crypto.randomUUID()}`;
      return new Promise<T>((resolve, reject) => {
        const cancelTimer = timers.after(timerSafeMs(requestTimeoutMs), () => {
          pending.delete(id);
          reject(
            new GatewayTransportError("timeout", `${method} did not answer within ${requestTimeoutMs}ms.`, "timeout"),
          );
        });
        pending.set(id, {
          resolve: (v) => {
            cancelTimer();
            // The caller names the result type of its method; the protocol defines it, nothing here checks it.
            resolve(v as T);
          },
          reject: (e) => {
            cancelTimer();
            reject(e);
          },
          ...(options.expectFinal ? { accepted: (payload) => options.onAccepted?.(payload) } : {}),
        });
        ws.send(JSON.stringify({ type: "req", id, method, params }));
      });
    },
    close() {
      ws.onclose = null;
      try {
        ws.close(1000, "bye");
      } catch {
        // already closed
      }
    },
  };
}
