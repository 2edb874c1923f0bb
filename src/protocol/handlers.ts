import { delay } from "../async/delay.ts";
import type { DeviceStore, IssuedDeviceToken, SetupCompletion } from "../auth/device_store.ts";
import type { FiledRequest } from "../auth/pairing_requests.ts";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import type { SharedSecretConfig } from "../auth/shared_secret.ts";
import { stackOf } from "../log/error_text.ts";
import { isJsonObject } from "../log/json_object.ts";
import type { Logger } from "../log/logger.ts";
import { dispatch } from "../rpc/dispatch.ts";
import { advertisedMethods, type MethodTable } from "../rpc/registry.ts";
import {
  admissionClosedError,
  type AdmissionPhase,
  admitRequest,
  type AdmittedRequest,
  type WorkAdmission,
} from "../rpc/work_admission.ts";
import type { ProtocolValidators } from "../rpc/validators.ts";
import { PROTOCOL_VERSION, VERSION } from "../version.ts";
import type { Connection, ConnectionHandlers, HandshakeOutcome } from "./connection.ts";
import type { RequestFrame } from "./frames.ts";
import { serverCapabilities } from "./capabilities.ts";
import { type ConnectParams, decideConnect } from "./handshake.ts";
import type { Hub } from "./hub.ts";
import { coreDispatch, methodsAhead, type MethodTableLoader } from "./methods_ahead.ts";
import type { ConnectionLimits } from "./limits.ts";
import { CloseCode } from "./socket.ts";

/** Events this gateway emits; `hello-ok.features.events` lists exactly these. */
export const EVENTS = [
  "connect.challenge",
  "agent",
  "chat",
  "tick",
  "health",
  "presence",
  "heartbeat",
  "shutdown",
  "config.changed",
  "sessions.changed",
  "session.message",
  "device.pair.changed",
  "device.pair.requested",
  "device.pair.resolved",
  "device.pair.setup.completed",
  "device.pair.setup.deliveryUncertain",
  "node.pair.requested",
  "node.pair.resolved",
  "node.invoke.request",
  "exec.approval.requested",
  "exec.approval.resolved",
  "cron",
  "gateway.suspension",
];

/** The default agent's main session as `hello-ok.snapshot.sessionDefaults` reports it. */
export interface SessionDefaults {
  defaultAgentId: string;
  modelConfigured: boolean;
  ownership: "sole";
  selectionRequired: boolean;
  mainKey: string;
  mainSessionKey: string;
  scope: string;
}

/** What the server knows that `hello-ok.snapshot` reports. */
export interface HelloSnapshot {
  presence: unknown[];
  health: unknown;
  uptimeMs: number;
  /** The hash of the config file in force (what `config.get` calls `hash`), or null without a file. */
  appliedConfigHash: string | null;
  sessionDefaults: SessionDefaults;
  /** Update channel and auto-update; shown to callers with read access. */
  updateSchedule: { channel: string; autoEnabled: boolean };
  /** Shown to admins only, as in the reference. */
  configPath: string;
  stateDir: string;
  authMode: string;
}

/** Dependencies of the protocol handlers. */
export interface ProtocolDeps {
  hub: Hub;
  /**
   * The method table, or its loader: the gateway completes its table with the first connect, off the
   * start path (decision 0004 does the same for the validators).
   */
  methods: MethodTable | MethodTableLoader;
  validators: ProtocolValidators;
  /** The auth in force now (re-read on every connect, so a rotated secret applies at once). */
  auth(): SharedSecretConfig;
  /** The failed-auth limiter; owned by the gateway so a reload can change its policy. */
  limiter: AuthRateLimiter;
  devices: DeviceStore;
  limits: ConnectionLimits;
  tickIntervalMs: number;
  snapshot(): HelloSnapshot;
  /** A client finished `connect` (presence, post-connect health). */
  connected(connection: Connection, params: ConnectParams): void;
  /** A device-pairing request was filed at connect (operators hear of it). */
  onPairingRequest?: ((filed: FiledRequest) => void) | undefined;
  /** A connect used up a setup code issued with a setup id; `delivered`: its hello-ok was written. */
  onSetupHandoff?: ((handoff: { completion: SetupCompletion; delivered: boolean }) => void) | undefined;
  /** A client went away, authenticated or not. */
  disconnected(connection: Connection): void;
  /** The fence a host suspension closes (rpc/work_admission.ts); without it every request is admitted. */
  admission?: WorkAdmission | undefined;
  /** `gateway.nodes.pairing.autoApproveLocal` in force (read per connect; default true). */
  autoApproveLocal?: (() => boolean) | undefined;
  /**
   * A connect paired its device without an operator (hello-ok sent): operators hear of it; a silent local
   * pairing also retires the rows it supersedes.
   */
  onAutoApproval?: ((approval: { deviceId: string; role: string; via: "silent" | "bootstrap" }) => void) | undefined;
  log: Logger;
}

/** One `hello-ok.auth.deviceTokens` entry, as the reference shapes it. */
function deviceTokenEntry(issued: IssuedDeviceToken) {
  return { deviceToken: issued.token, role: issued.role, scopes: issued.scopes, issuedAtMs: issued.issuedAtMs };
}

/**
 * `hello-ok.snapshot` for a caller with `scopes`: update details need read access, the config
 * path, state dir and auth mode need admin, as in the reference; `suspension.phase` is the admission
 * phase now (`accepting` unless a host suspension is under way).
 */
export function helloSnapshot(
  snapshot: HelloSnapshot,
  stateVersion: unknown,
  scopes: readonly string[],
  phase: AdmissionPhase = "accepting",
) {
  const admin = scopes.includes("operator.admin");
  const read = admin || scopes.includes("operator.read") || scopes.includes("operator.write");
  return {
    suspension: { phase },
    presence: snapshot.presence,
    health: snapshot.health,
    stateVersion,
    uptimeMs: snapshot.uptimeMs,
    appliedConfigHash: snapshot.appliedConfigHash,
    sessionDefaults: snapshot.sessionDefaults,
    ...read ? { updateSchedule: snapshot.updateSchedule } : {},
    ...admin ? { configPath: snapshot.configPath, stateDir: snapshot.stateDir, authMode: snapshot.authMode } : {},
  };
}

/** Builds the handshake and request handling every connection of this gateway uses. */
export function createProtocolHandlers(deps: ProtocolDeps): ConnectionHandlers {
  const limiter = deps.limiter;
  const onUnexpected = (method: string, error: unknown) => deps.log.error(`${method} failed: ${stackOf(error)}`);
  const complete = (methods: MethodTable) => {
    const advertised = advertisedMethods(methods);
    return {
      advertised,
      capabilities: serverCapabilities(advertised),
      dispatch: { methods, validators: deps.validators, onUnexpected },
    };
  };
  const given = deps.methods;
  let table = typeof given === "function" ? undefined : complete(given);
  let loading: Promise<NonNullable<typeof table>> | undefined;
  // A failed load is not kept: the next request that needs the table tries again.
  const loaded = () =>
    table ?? (loading ??= (given as () => Promise<MethodTable>)().then((m) => (table = complete(m)), (error) => {
      loading = undefined;
      throw error;
    }));
  const admission = deps.admission;
  const admit = admission ? (request: AdmittedRequest) => admitRequest(admission, request) : undefined;
  // A loader that names its methods ahead (loadMethodTable, src/server/method_table.ts): connect and its core families need not wait for it.
  const ahead = typeof given === "function" ? methodsAhead(given, onUnexpected, deps.validators) : undefined;

  return {
    async connect(connection: Connection, frame: RequestFrame): Promise<HandshakeOutcome> {
      const [checked, { advertised: methods, capabilities }] = await Promise.all([
        deps.validators.check("validateConnectParams", frame.params ?? {}),
        table ?? ahead ?? loaded(),
      ]);
      if (!checked.ok) {
        const message = `invalid connect params: ${checked.problem}`;
        return {
          ok: false,
          error: { code: "INVALID_REQUEST", message },
          closeCode: CloseCode.policyViolation,
          closeReason: message,
        };
      }
      const params: ConnectParams = checked.value;
      // While a suspension is being prepared nobody connects; while it drains or holds, operators may (to
      // check or resume it) and nodes may not, as in the reference. Decided before auth, as there.
      if (admission && !admission.open && (admission.phase === "preparing" || params.role === "node")) {
        return {
          ok: false,
          error: admissionClosedError("connect", admission.phase),
          closeCode: CloseCode.tryAgainLater,
          closeReason: "gateway suspension in progress",
        };
      }
      const decision = await decideConnect({
        params,
        remoteAddr: connection.remoteAddr,
        nonce: connection.nonce,
        auth: deps.auth(),
        limiter,
        devices: deps.devices,
        origin: connection.peer.origin,
        direct: connection.peer.direct,
        autoApproveLocal: deps.autoApproveLocal?.(),
        onPairingRequest: deps.onPairingRequest,
      });
      if (!decision.ok) {
        if (decision.countsAsFailure) {
          // decideConnect recorded it with the limiter HTTP bearer checks use: one budget per
          // address, and while a loopback caller's backoff runs, its other sockets are refused.
          deps.log.warn(`auth failed from ${connection.remoteAddr}: ${decision.error.message}`);
          if (decision.delayMs) await delay(decision.delayMs);
        } else if (decision.error.code === "NOT_PAIRED" && decision.error.message.startsWith("pairing required")) {
          const details = decision.error.details;
          const requestId = isJsonObject(details) ? details.requestId : undefined;
          deps.log.info(
            `device pairing requested from ${connection.remoteAddr} (${params.client.id}); approve with: openclaw devices approve ${requestId}`,
          );
        }
        return { ok: false, error: decision.error, closeCode: decision.closeCode, closeReason: decision.closeReason };
      }
      limiter.recordSuccess("shared-secret", connection.remoteAddr);
      const { identity } = decision;
      connection.authorize({
        role: identity.role,
        deviceId: identity.deviceId,
        method: identity.method,
        scopes: identity.scopes,
        clientId: params.client.id,
        clientMode: params.client.mode,
        caps: params.caps,
      });
      deps.log.debug(
        `connect client=${params.client.id} version=${params.client.version} mode=${params.client.mode} auth=${identity.method} conn=${connection.connId}`,
      );
      const completion = identity.setupCompletion;
      const onSetupHandoff = deps.onSetupHandoff;
      let snapshot: ReturnType<typeof deps.snapshot>;
      try {
        snapshot = deps.snapshot();
      } catch (error) {
        // The setup code is used up already: its operator hears that the handoff's delivery is unknown.
        if (completion && onSetupHandoff) onSetupHandoff({ completion, delivered: false });
        throw error;
      }
      const auth: Record<string, unknown> = { method: identity.method, role: identity.role, scopes: identity.scopes };
      if (identity.deviceToken) {
        auth.deviceToken = identity.deviceToken.token;
        auth.issuedAtMs = identity.deviceToken.issuedAtMs;
        if (identity.deviceTokens?.length) auth.deviceTokens = identity.deviceTokens.map(deviceTokenEntry);
      }
      return {
        ok: true,
        payload: {
          type: "hello-ok",
          protocol: PROTOCOL_VERSION,
          server: { version: VERSION, connId: connection.connId },
          features: { methods, events: EVENTS, capabilities },
          snapshot: helloSnapshot(snapshot, deps.hub.stateVersion, identity.scopes, deps.admission?.phase),
          auth,
          policy: {
            maxPayload: deps.limits.maxPayload,
            maxBufferedBytes: deps.limits.maxBufferedBytes,
            tickIntervalMs: deps.tickIntervalMs,
          },
        },
        onAccepted: () => {
          deps.connected(connection, params);
          if (identity.autoApproved && identity.deviceId) {
            deps.onAutoApproval?.({ deviceId: identity.deviceId, role: identity.role, via: identity.autoApproved });
          }
        },
        onDelivered: completion && onSetupHandoff
          ? (delivered) => onSetupHandoff({ completion, delivered })
          : undefined,
      };
    },

    async request(connection: Connection, frame: RequestFrame): Promise<void> {
      const identity = connection.identity;
      if (!identity) return;
      const after: (() => void)[] = [];
      const core = coreDispatch(ahead, frame.method);
      const result = await dispatch(table?.dispatch ?? core ?? (await loaded()).dispatch, {
        method: frame.method,
        params: frame.params,
        caller: { connId: connection.connId, remoteAddr: connection.remoteAddr, ...identity },
        accept: (payload) => connection.sendResponse(frame.id, payload),
        afterResponse: (task) => after.push(task),
        admit,
      });
      if (result.ok) connection.sendResponse(frame.id, result.payload);
      else connection.sendResponseError(frame.id, result.error, result.payload);
      for (const task of after) task();
    },

    closed(connection: Connection): void {
      deps.hub.remove(connection.connId);
      deps.disconnected(connection);
    },
  };
}
