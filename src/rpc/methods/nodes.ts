import type { DeviceStore, NodeSurface, PairedDevice } from "../../auth/device_store.ts";
import { RpcError } from "../errors.ts";
import { NodeRegistry, notConnected } from "../node_registry.ts";
import {
  forbiddenInvoke,
  isAdminOnlyInvoke,
  type NodeCommandConfig,
  policyRefusal,
  requiredApproveScopes,
} from "../node_command_policy.ts";
import { effectiveCommands, nodeEntry, pairedNodeEntry, pendingEntry } from "../node_surface.ts";
import { afterResponseOf, type MethodTable, NODE_ROLE, validated } from "../registry.ts";
import { scopeSatisfied } from "../scopes.ts";

/** Dependencies of the node methods. */
export interface NodeMethodsDeps {
  devices: DeviceStore;
  nodes: NodeRegistry;
  broadcast(event: string, payload: unknown): void;
  /** Closes a device's connections of one role (a removed node). */
  closeDevice(deviceId: string, role: string): void;
  /** `gateway.nodes.commands` as the config holds it now (none: only the built-in policy). */
  commandConfig?: () => NodeCommandConfig;
}

function missingScope(scope: string, required: string[]): RpcError {
  return new RpcError("FORBIDDEN", `missing scope: ${scope}`, {
    details: { code: "MISSING_SCOPE", missingScope: scope, requiredScopes: required },
  });
}

function unknownNode(): RpcError {
  return new RpcError("INVALID_REQUEST", "unknown nodeId");
}

function unknownRequest(): RpcError {
  return new RpcError("INVALID_REQUEST", "unknown requestId");
}

async function nodeDevices(devices: DeviceStore): Promise<PairedDevice[]> {
  return (await devices.list()).filter((d) => d.roles.includes("node"));
}

/**
 * Stores an approved surface as the reference does: what the request declared (commands, caps,
 * permissions, version fields), what the earlier approval kept (display name, bins, host stats,
 * first approval time), and an approval time that always moves forward.
 */
function approveSurface(device: PairedDevice, pending: NodeSurface): void {
  const before = device.nodeSurface;
  const now = Math.max(Date.now(), (typeof before?.approvedAtMs === "number" ? before.approvedAtMs : -1) + 1);
  device.nodeSurface = {
    displayName: before?.displayName ?? pending.displayName,
    version: pending.version,
    coreVersion: pending.coreVersion,
    uiVersion: pending.uiVersion,
    modelIdentifier: pending.modelIdentifier,
    caps: pending.caps,
    commands: pending.commands,
    permissions: pending.permissions,
    bins: before?.bins,
    createdAtMs: before?.createdAtMs ?? now,
    approvedAtMs: now,
    lastConnectedAtMs: before?.lastConnectedAtMs,
    lastHostStats: before?.lastHostStats,
  };
  delete device.pendingNodeSurface;
}

async function findPending(devices: DeviceStore, requestId: string): Promise<PairedDevice | undefined> {
  return (await devices.list()).find((d) => d.pendingNodeSurface?.requestId === requestId);
}

/**
 * The `node.*` family: operators list, describe, approve and invoke paired nodes; a node answers
 * invocations (`node.invoke.result`) and reports events (`node.event`). Node identity is the
 * paired device id; a node's command surface needs its own approval (`node.pair.*`).
 */
export function nodeMethods(deps: NodeMethodsDeps): MethodTable {
  const { devices, nodes } = deps;
  return {
    "node.list": validated("operator.read", "validateNodeListParams", async () => {
      const paired = await nodeDevices(devices);
      const known = new Set(paired.map((d) => d.deviceId));
      const entries = paired.map((d) => nodeEntry(d, nodes.get(d.deviceId)));
      for (const session of nodes.list()) if (!known.has(session.nodeId)) entries.push(nodeEntry(undefined, session));
      return { ts: Date.now(), nodes: entries };
    }),
    "node.describe": validated("operator.read", "validateNodeDescribeParams", async ({ params }) => {
      const device = await devices.get(params.nodeId);
      const session = nodes.get(params.nodeId);
      if (!session && !device?.roles.includes("node")) throw unknownNode();
      return { ts: Date.now(), ...nodeEntry(device, session) };
    }),
    "node.pair.list": validated("operator.pairing", "validateNodePairListParams", async () => {
      const paired = await nodeDevices(devices);
      return {
        pending: paired.flatMap((d) => d.pendingNodeSurface ? [pendingEntry(d, d.pendingNodeSurface)] : []),
        paired: paired.filter((d) => d.nodeSurface).map(pairedNodeEntry),
      };
    }),
    "node.pair.approve": validated("operator.pairing", "validateNodePairApproveParams", async ({ params, caller }) => {
      const found = await findPending(devices, params.requestId);
      if (!found) throw unknownRequest();
      // Read, check and write in one transaction: a request replaced meanwhile is not approved.
      const approved = await devices.update(found.deviceId, (device) => {
        const pending = device.pendingNodeSurface;
        if (pending?.requestId !== params.requestId) return undefined;
        const required = requiredApproveScopes(pending.commands);
        const lacking = required.find((scope) => !scopeSatisfied(caller.scopes, scope));
        if (lacking) throw missingScope(lacking, required);
        approveSurface(device, pending);
        return device;
      });
      if (!approved) throw unknownRequest();
      const resolved = {
        requestId: params.requestId,
        nodeId: approved.deviceId,
        decision: "approved",
        ts: approved.nodeSurface?.approvedAtMs ?? Date.now(),
      };
      deps.broadcast("node.pair.resolved", resolved);
      // The node hears it too, so it can republish its surface (it holds no operator scope).
      nodes.notify(approved.deviceId, "node.pair.resolved", resolved);
      return { requestId: params.requestId, node: pairedNodeEntry(approved) };
    }),
    "node.pair.reject": validated("operator.pairing", "validateNodePairRejectParams", async ({ params }) => {
      const found = await findPending(devices, params.requestId);
      const rejected = found && await devices.update(found.deviceId, (device) => {
        if (device.pendingNodeSurface?.requestId !== params.requestId) return undefined;
        device.pendingNodeSurface = undefined;
        return { requestId: params.requestId, nodeId: device.deviceId };
      });
      if (!rejected) throw unknownRequest();
      deps.broadcast("node.pair.resolved", { ...rejected, decision: "rejected", ts: Date.now() });
      return rejected;
    }),
    "node.pair.remove": validated(
      "operator.pairing",
      "validateNodePairRemoveParams",
      async ({ params, afterResponse }) => {
        // A mixed-role device keeps its row and loses only the node role, as in the reference.
        const outcome = await devices.update(params.nodeId, (device) => {
          if (!device.roles.includes("node")) return undefined;
          const roles = device.roles.filter((r) => r !== "node");
          if (roles.length === 0) return "delete";
          const { node: _dropped, ...tokens } = device.tokens;
          Object.assign(device, { roles, role: roles[0], tokens });
          delete device.nodeSurface;
          delete device.pendingNodeSurface;
          return "kept";
        });
        if (!outcome) throw unknownNode();
        if (outcome === "delete") await devices.remove(params.nodeId);
        deps.broadcast("node.pair.resolved", {
          requestId: "",
          nodeId: params.nodeId,
          decision: "removed",
          ts: Date.now(),
        });
        afterResponseOf(afterResponse)(() => deps.closeDevice(params.nodeId, "node"));
        return { nodeId: params.nodeId };
      },
    ),
    "node.rename": validated("operator.pairing", "validateNodeRenameParams", async ({ params }) => {
      const displayName = params.displayName.trim();
      if (!displayName) throw new RpcError("INVALID_REQUEST", "displayName required");
      const renamed = await devices.update(params.nodeId, (device) => {
        if (!device.roles.includes("node")) return undefined;
        Object.assign(device, { displayName, operatorLabel: displayName });
        return { nodeId: device.deviceId, displayName };
      });
      if (!renamed) throw unknownNode();
      return renamed;
    }),
    "node.invoke": validated("operator.write", "validateNodeInvokeParams", async ({ params, caller }) => {
      const nodeId = params.nodeId.trim();
      const command = params.command.trim();
      if (!nodeId || !command) throw new RpcError("INVALID_REQUEST", "nodeId and command required");
      const forbidden = forbiddenInvoke(command);
      if (forbidden) throw forbidden;
      if (isAdminOnlyInvoke(command) && !scopeSatisfied(caller.scopes, "operator.admin")) {
        throw missingScope("operator.admin", ["operator.admin"]);
      }
      const session = nodes.get(nodeId);
      if (!session) throw notConnected();
      const refused = policyRefusal(command, deps.commandConfig?.() ?? { allow: [], deny: [] });
      if (refused) throw refused;
      const device = await devices.get(nodeId);
      if (!effectiveCommands(device, session).includes(command)) {
        const message = device?.pendingNodeSurface?.commands.includes(command)
          ? "node command not allowed: the node's declared command surface is pending approval; run `openclaw nodes pending`, then `openclaw nodes approve <requestId>`"
          : `node command not allowed: "${command}" is not declared or approved for this node`;
        throw new RpcError("INVALID_REQUEST", message, { details: { reason: "command not allowlisted", command } });
      }
      const outcome = await nodes.invoke({
        nodeId,
        command,
        params: params.params,
        timeoutMs: params.timeoutMs,
        idempotencyKey: params.idempotencyKey,
        callerConnId: caller.connId,
      });
      if (!outcome.ok) {
        const code = outcome.error?.code ?? "UNAVAILABLE";
        const message = outcome.error?.message ?? "node invoke failed";
        throw new RpcError("UNAVAILABLE", message, { details: { nodeError: { code, message } } });
      }
      return {
        ok: true,
        nodeId,
        command,
        payload: outcome.payloadJSON ? JSON.parse(outcome.payloadJSON) : outcome.payload,
        payloadJSON: outcome.payloadJSON ?? null,
      };
    }),
    "node.invoke.result": validated(NODE_ROLE, "validateNodeInvokeResultParams", ({ params, caller }) => {
      // A node answers only for itself: the id it signs in with, not the one it names.
      const nodeId = caller.deviceId ?? params.nodeId;
      if (nodeId !== params.nodeId) throw new RpcError("INVALID_REQUEST", "nodeId mismatch");
      const delivered = nodes.result(nodeId, params.id, {
        ok: params.ok,
        payload: params.payload,
        payloadJSON: params.payloadJSON,
        error: params.error,
      });
      // A late answer (after the timeout) is accepted and ignored, as in the reference.
      return delivered ? { ok: true } : { ok: true, ignored: true };
    }),
    "node.event": validated(NODE_ROLE, "validateNodeEventParams", () => ({ ok: true })),
  };
}
