import type { DeviceStore, NodeSurface, PairedDevice } from "../auth/device_store.ts";
import { RpcError } from "./errors.ts";
import { publicNodeCommands } from "./node_command_policy.ts";
import { type NodeSession, pendingEntry, sameSurface } from "./node_surface.ts";

/** What the registry needs from the gateway: the device records and a way to reach connections. */
export interface NodeRegistryDeps {
  devices: DeviceStore;
  /** Sends an event to one connection; false when it is gone. */
  sendTo(connId: string, event: string, payload: unknown): boolean;
  /** Sends an event to every operator allowed to see it. */
  broadcast(event: string, payload: unknown): void;
  now?: () => number;
}

/** What a node answered to `node.invoke.request`. */
export interface NodeInvokeOutcome {
  ok: boolean;
  payload?: unknown;
  payloadJSON?: string | null | undefined;
  error?: { code?: string; message?: string } | undefined;
}

interface Waiter {
  nodeId: string;
  connId: string;
  /** The operator connection waiting for the answer, when known. */
  callerConnId?: string | undefined;
  settle(outcome: NodeInvokeOutcome): void;
}

/** Default wait for a node's answer when the caller names none (the reference's 30 s). */
export const DEFAULT_NODE_INVOKE_TIMEOUT_MS = 30_000;

/** The longest wait a caller may ask for: the reference's timer ceiling (`MAX_TIMER_TIMEOUT_MS`). */
export const MAX_NODE_INVOKE_TIMEOUT_MS = 2_147_000_000;

/** The wait for one invocation: the caller's, whole milliseconds within the ceiling, else the default. */
export function invokeTimeoutMs(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested) || requested <= 0) return DEFAULT_NODE_INVOKE_TIMEOUT_MS;
  return Math.min(Math.max(Math.floor(requested), 1), MAX_NODE_INVOKE_TIMEOUT_MS);
}

/**
 * The connected nodes and the invocations waiting on them. A node joins when its `role: "node"`
 * connect is accepted and leaves when its socket closes; a declared surface that differs from the
 * approved one files a pending request on its paired-device record (`node.pair.requested`), and
 * until approval only approved commands that it still declares can be invoked.
 */
export class NodeRegistry {
  #deps: NodeRegistryDeps;
  /** Each node's live connections, newest last: invocations go to the newest. */
  #sessions = new Map<string, NodeSession[]>();
  #waiters = new Map<string, Waiter>();

  constructor(deps: NodeRegistryDeps) {
    this.#deps = deps;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  /** The live session of a node, if connected. */
  get(nodeId: string): NodeSession | undefined {
    return this.#sessions.get(nodeId)?.at(-1);
  }

  /** Every connected node. */
  list(): NodeSession[] {
    return [...this.#sessions.values()].flatMap((sessions) => sessions.slice(-1));
  }

  /** A node connected: record it and compare its declared surface with the approved one. */
  async attach(connected: NodeSession): Promise<void> {
    // Private worker controls are never part of a surface an operator sees or approves.
    const session = {
      ...connected,
      declared: { ...connected.declared, commands: publicNodeCommands(connected.declared.commands) },
    };
    const live = (this.#sessions.get(session.nodeId) ?? []).filter((s) => s.connId !== session.connId);
    this.#sessions.set(session.nodeId, [...live, session]);
    // One transaction from read to write: the events go out once the row is committed.
    const events = await this.#deps.devices.update(session.nodeId, (device) => this.#compare(device, session)) ?? [];
    for (const [event, payload] of events) this.#deps.broadcast(event, payload);
  }

  /**
   * Compares a node's declared surface with its paired-device row and edits the row (clears a
   * request the node no longer asks for, files a new one); returns the events to send, or
   * undefined when the row stays as it is.
   */
  #compare(device: PairedDevice, session: NodeSession): [string, unknown][] | undefined {
    const declared = session.declared;
    const resolved = (requestId: string | undefined): [string, unknown] => [
      "node.pair.resolved",
      { requestId, nodeId: session.nodeId, decision: "rejected", ts: this.#now() },
    ];
    if (device.nodeSurface && sameSurface(device.nodeSurface, declared)) {
      // The node went back to what was approved: the widened request no longer applies.
      const stale = device.pendingNodeSurface;
      if (!stale) return undefined;
      device.pendingNodeSurface = undefined;
      return [resolved(stale.requestId)];
    }
    const waiting = device.pendingNodeSurface;
    if (waiting && sameSurface(waiting, declared)) return undefined;
    const pending: NodeSurface = {
      requestId: crypto.randomUUID(),
      revision: crypto.randomUUID(),
      displayName: session.displayName,
      platform: session.platform,
      version: session.version,
      deviceFamily: session.deviceFamily,
      caps: declared.caps,
      commands: declared.commands,
      permissions: declared.permissions,
      silent: false,
      ts: this.#now(),
    };
    device.pendingNodeSurface = pending;
    // A changed surface supersedes the request still waiting: operators see it rejected.
    return [
      ...(waiting ? [resolved(waiting.requestId)] : []),
      ["node.pair.requested", pendingEntry(device, pending)],
    ];
  }

  /** Records what a node connection published about itself; undefined when that connection is not a live node. */
  publish(
    nodeId: string,
    connId: string,
    update: Pick<NodeSession, "pluginTools" | "skills">,
  ): NodeSession | undefined {
    const session = this.#sessions.get(nodeId)?.find((s) => s.connId === connId);
    if (session) Object.assign(session, update);
    return session;
  }

  /** Sends an event to every live connection of a node (its own `node.pair.resolved`). */
  notify(nodeId: string, event: string, payload: unknown): void {
    for (const session of this.#sessions.get(nodeId) ?? []) this.#deps.sendTo(session.connId, event, payload);
  }

  /** True when an invocation of this node waits under this id (progress for it is not ignored). */
  waiting(nodeId: string, id: string): boolean {
    return this.#waiters.get(id)?.nodeId === nodeId;
  }

  /** A connection closed: drop its node, fail what was waiting on it and end the waits it made. */
  detach(connId: string): void {
    for (const [nodeId, sessions] of this.#sessions) {
      const left = sessions.filter((s) => s.connId !== connId);
      if (left.length === 0) this.#sessions.delete(nodeId);
      else if (left.length !== sessions.length) this.#sessions.set(nodeId, left);
    }
    for (const waiter of [...this.#waiters.values()]) {
      if (waiter.connId === connId) {
        waiter.settle({ ok: false, error: { code: "UNAVAILABLE", message: "node disconnected" } });
      } else if (waiter.callerConnId === connId) {
        // Nobody is left to hear the answer: the wait ends rather than lingering until its timeout.
        waiter.settle({ ok: false, error: { code: "UNAVAILABLE", message: "caller disconnected" } });
      }
    }
  }

  /**
   * Sends `node.invoke.request` to a connected node and waits for its `node.invoke.result`, at
   * most `timeoutMs` (see {@link invokeTimeoutMs}); a node that is not connected fails at once,
   * and the wait ends when the caller's connection (`callerConnId`) closes.
   */
  invoke(request: {
    nodeId: string;
    command: string;
    params?: unknown;
    timeoutMs?: number | undefined;
    idempotencyKey?: string | undefined;
    callerConnId?: string | undefined;
  }): Promise<NodeInvokeOutcome> {
    const session = this.get(request.nodeId);
    if (!session) throw notConnected();
    const id = crypto.randomUUID();
    const timeoutMs = invokeTimeoutMs(request.timeoutMs);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        resolve({ ok: false, error: { code: "TIMEOUT", message: "node invoke timed out" } });
      }, timeoutMs);
      this.#waiters.set(id, {
        nodeId: request.nodeId,
        connId: session.connId,
        callerConnId: request.callerConnId,
        settle: (outcome) => {
          clearTimeout(timer);
          this.#waiters.delete(id);
          resolve(outcome);
        },
      });
      const sent = this.#deps.sendTo(session.connId, "node.invoke.request", {
        id,
        nodeId: request.nodeId,
        command: request.command,
        paramsJSON: request.params === undefined ? null : JSON.stringify(request.params),
        timeoutMs,
        ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
      });
      if (!sent) {
        this.#waiters.get(id)?.settle({ ok: false, error: { code: "UNAVAILABLE", message: "node not connected" } });
      }
    });
  }

  /** A node answered an invocation; false when nothing from that node waits under that id. */
  result(nodeId: string, id: string, outcome: NodeInvokeOutcome): boolean {
    const waiter = this.#waiters.get(id);
    if (!waiter || waiter.nodeId !== nodeId) return false;
    waiter.settle(outcome);
    return true;
  }

  /** Ends every wait (gateway shutdown). */
  close(): void {
    for (const waiter of [...this.#waiters.values()]) {
      waiter.settle({ ok: false, error: { code: "UNAVAILABLE", message: "gateway shutting down" } });
    }
  }
}

/** The reference's answer for a node that is not connected. */
export function notConnected(): RpcError {
  return new RpcError("UNAVAILABLE", "node not connected", {
    details: {
      code: "NOT_CONNECTED",
      nodeError: { code: "NOT_CONNECTED", message: "node not connected" },
      nodeCommandDispatched: false,
    },
  });
}
