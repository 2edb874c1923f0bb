import type { SharedSecretConfig } from "../auth/shared_secret.ts";
import { AuthRateLimiter, type RateLimitPolicy } from "../auth/rate_limit.ts";
import type { Logger } from "../log/logger.ts";
import { PROTOCOL_VERSION, VERSION } from "../version.ts";
import { type Connection, type ConnectionHandlers, DEFAULT_LIMITS, type RequestFrame } from "./connection.ts";
import { type ConnectParams, decideConnect, refusalOutcome } from "./handshake.ts";
import type { Hub } from "./hub.ts";
import { CloseCode } from "./socket.ts";

/** Dependencies of the protocol handlers. */
export interface ProtocolDeps {
  hub: Hub;
  /** The auth in force now (re-read on every connect, so a rotated secret applies at once). */
  auth(): SharedSecretConfig;
  rateLimit: RateLimitPolicy;
  uptimeMs(): number;
  log: Logger;
}

/** Methods this gateway implements and advertises in `hello-ok.features.methods`. */
export const METHODS = ["health"] as const;
/** Events this gateway emits and advertises in `hello-ok.features.events`. */
export const EVENTS = ["connect.challenge", "shutdown"] as const;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Describes what is wrong with `connect` params, in the reference's wording, or undefined. */
export function connectParamsProblem(params: unknown): string | undefined {
  if (params === null || typeof params !== "object") return "must be object";
  const p = params as Record<string, unknown>;
  for (const key of ["minProtocol", "maxProtocol", "client"]) {
    if (!(key in p)) return `must have required property '${key}'`;
  }
  for (const key of ["minProtocol", "maxProtocol"]) {
    if (!Number.isInteger(p[key]) || (p[key] as number) < 1) return `at /${key}: must be integer >= 1`;
  }
  const client = p.client as Record<string, unknown> | null;
  if (client === null || typeof client !== "object") return "at /client: must be object";
  for (const key of ["id", "version", "platform", "mode"]) {
    if (typeof client[key] !== "string") return `at /client: must have required property '${key}'`;
  }
  return undefined;
}

/** Builds the handshake and request handling every connection of this gateway uses. */
export function createProtocolHandlers(deps: ProtocolDeps): ConnectionHandlers {
  const limiter = new AuthRateLimiter(deps.rateLimit);
  return {
    async connect(connection: Connection, frame: RequestFrame) {
      const problem = connectParamsProblem(frame.params);
      if (problem) {
        const message = `invalid connect params: ${problem}`;
        return {
          ok: false,
          error: { code: "INVALID_REQUEST", message },
          closeCode: CloseCode.policyViolation,
          closeReason: message,
        };
      }
      const params = frame.params as ConnectParams;
      const decision = decideConnect({ params, remoteAddr: connection.remoteAddr, auth: deps.auth(), limiter });
      if (!decision.ok) {
        if (decision.countsAsFailure) {
          const delay = limiter.recordFailure("shared-secret", connection.remoteAddr);
          deps.log.warn(`auth failed from ${connection.remoteAddr}: ${decision.error.message}`);
          if (delay > 0) await sleep(delay);
        }
        return refusalOutcome(decision);
      }
      limiter.recordSuccess("shared-secret", connection.remoteAddr);
      connection.session = { identity: decision.identity };
      deps.log.debug(
        `connect client=${params.client.id} version=${params.client.version} mode=${params.client.mode} conn=${connection.connId}`,
      );
      return {
        ok: true,
        payload: {
          type: "hello-ok",
          protocol: PROTOCOL_VERSION,
          server: { version: VERSION, connId: connection.connId },
          features: { methods: [...METHODS], events: [...EVENTS] },
          snapshot: {
            presence: [],
            health: healthSnapshot(),
            stateVersion: { presence: 1, health: 1 },
            uptimeMs: deps.uptimeMs(),
          },
          auth: { method: decision.identity.method, role: decision.identity.role, scopes: decision.identity.scopes },
          policy: {
            maxPayload: DEFAULT_LIMITS.maxPayload,
            maxBufferedBytes: DEFAULT_LIMITS.maxBufferedBytes,
            tickIntervalMs: 30_000,
          },
        },
      };
    },
    request(connection: Connection, frame: RequestFrame) {
      if (frame.method === "health") {
        connection.sendResponse(frame.id, healthSnapshot());
      } else {
        connection.sendResponseError(frame.id, { code: "INVALID_REQUEST", message: `unknown method: ${frame.method}` });
      }
      return Promise.resolve();
    },
    closed(connection: Connection) {
      deps.hub.remove(connection.connId);
    },
  };
}

function healthSnapshot() {
  return { ok: true, ts: Date.now(), durationMs: 0 };
}
