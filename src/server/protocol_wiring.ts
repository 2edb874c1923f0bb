import type { DeviceStore } from "../auth/device_store.ts";
import { listedRequest } from "../rpc/methods/devices.ts";
import type { NodeRegistry } from "../rpc/node_registry.ts";
import type { AuthRateLimiter } from "../auth/rate_limit.ts";
import type { SharedSecretConfig } from "../auth/shared_secret.ts";
import type { Logger } from "../log/logger.ts";
import { type ConnectionHandlers, DEFAULT_LIMITS } from "../protocol/connection.ts";
import { createProtocolHandlers, type ProtocolDeps } from "../protocol/handlers.ts";
import type { Hub } from "../protocol/hub.ts";
import type { PresenceTracker } from "../protocol/presence.ts";
import { ProtocolValidators } from "../rpc/validators.ts";
import type { HelloFacts } from "./hello_facts.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import { settleSetupHandoff } from "./setup_handoff.ts";
import { autoApproved } from "./auto_approval.ts";
import { SocketAdapter } from "./socket_adapter.ts";
import { rehearseConnect } from "./warm_connect.ts";

/** The services and live views the WebSocket protocol is wired to. */
export interface ProtocolWiring {
  hub: Hub;
  methods: ProtocolDeps["methods"];
  presence: PresenceTracker;
  /** The auth in force now (re-read on every connect). */
  auth(): SharedSecretConfig;
  limiter: AuthRateLimiter;
  devices: DeviceStore;
  nodes: NodeRegistry;
  /** How long a socket has to send `connect` (`gateway.protocol.handshakeTimeoutMs`). */
  handshakeTimeoutMs: number;
  tickIntervalMs: number;
  /** Caps on sockets that have not finished `connect`, in total and per client address. */
  preAuth: { total: number; perAddress: number };
  /** How long a peer has to answer our close frame. */
  closeTimeoutMs: number;
  /** The health snapshot now. */
  health(): unknown;
  /** The hello-ok snapshot fields the config in force decides. */
  helloFacts(): HelloFacts;
  uptimeMs(): number;
  log: Logger;
  /** A connection was served (its `hello-ok` sent and presence joined): deferred start-up work may begin. */
  served?(): void;
  /** The work admission fence a host suspension closes. */
  admission?: WorkAdmission | undefined;
  /** `gateway.nodes.pairing.autoApproveLocal` in force. */
  autoApproveLocal?: (() => boolean) | undefined;
}

/**
 * The WebSocket side of the gateway: the socket adapter that accepts upgrades, and the handshake
 * and request handling every connection uses, wired to presence: a client that connects gives
 * back its pre-auth slot and joins presence (everyone hears of it), one that leaves is dropped.
 */
export function wireWebSockets(
  w: ProtocolWiring,
): { sockets: SocketAdapter; handlers: ConnectionHandlers; warmed: Promise<void> } {
  const { hub, presence } = w;
  const limits = { ...DEFAULT_LIMITS, handshakeTimeoutMs: w.handshakeTimeoutMs };
  const sockets = new SocketAdapter({
    hub,
    limits,
    preAuth: w.preAuth,
    closeTimeoutMs: w.closeTimeoutMs,
    log: w.log,
  });
  // The package loads on the first request that needs it (docs/decisions/0004); the precompiled `connect`
  // check (a few KB) loads while the gateway starts (`warmed`, awaited before listening), so the first
  // client's hello-ok does not wait for it.
  const validators = new ProtocolValidators();
  // And one WebSocket served in memory (warm_connect.ts), so the first client does not compile the upgrade and frame
  // code while it waits. Begun with the prefetch and awaited with it, not in listen(): the rehearsal's one real async
  // op (the accept key's digest) and the chunk's load then overlap instead of waiting one after the other.
  const warmed = Promise.all([validators.prefetch("validateConnectParams"), rehearseConnect()]).then(() => {});
  const handlers = createProtocolHandlers({
    hub,
    methods: w.methods,
    validators,
    auth: w.auth,
    limiter: w.limiter,
    devices: w.devices,
    onPairingRequest: (filed) => {
      for (const old of filed.superseded) {
        hub.broadcast("device.pair.resolved", {
          requestId: old.requestId,
          deviceId: old.deviceId,
          decision: "rejected",
          ts: Date.now(),
        });
      }
      if (filed.created) hub.broadcast("device.pair.requested", listedRequest(filed.request));
    },
    onSetupHandoff: (handoff) =>
      void settleSetupHandoff(
        { devices: w.devices, broadcast: (event, payload) => hub.broadcast(event, payload), log: w.log },
        handoff,
      ),
    limits,
    tickIntervalMs: w.tickIntervalMs,
    snapshot: () => ({ ...w.helloFacts(), presence: presence.list(), health: w.health(), uptimeMs: w.uptimeMs() }),
    connected: (connection, params) => {
      sockets.authenticated(connection);
      const joined = presence.join(connection.connId, {
        id: params.client.id,
        mode: params.client.mode,
        version: params.client.version,
        platform: params.client.platform,
        ip: connection.remoteAddr,
        instanceId: params.client.instanceId,
        displayName: params.client.displayName,
      });
      if (joined) hub.broadcastPresence(presence.list());
      const identity = connection.identity;
      if (identity?.role === "node" && identity.deviceId) {
        w.nodes.attach({
          nodeId: identity.deviceId,
          connId: connection.connId,
          displayName: params.client.displayName,
          platform: params.client.platform,
          version: params.client.version,
          clientId: params.client.id,
          clientMode: params.client.mode,
          deviceFamily: params.client.deviceFamily,
          declared: { caps: params.caps ?? [], commands: params.commands ?? [], permissions: params.permissions },
          pathEnv: params.pathEnv,
          connectedAtMs: Date.now(),
        }).catch((error) => w.log.error(`node ${identity.deviceId} surface check failed: ${error}`));
      }
      // The reference refreshes health right after each connect.
      hub.broadcastHealth(w.health(), connection);
      w.served?.();
    },
    disconnected: (connection) => {
      w.nodes.detach(connection.connId);
      if (presence.leave(connection.connId)) hub.broadcastPresence(presence.list());
    },
    admission: w.admission,
    autoApproveLocal: w.autoApproveLocal,
    onAutoApproval: (approval) => void autoApproved({ hub, devices: w.devices, log: w.log }, approval),
    log: w.log,
  });
  return { sockets, handlers, warmed };
}
