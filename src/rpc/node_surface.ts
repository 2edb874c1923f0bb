// How a node's declared surface (caps, commands, permissions) compares with what an operator
// approved on its paired-device record, and the shapes node.list / node.pair.list show, key for
// key as the reference's.
import type { NodeSurface, PairedDevice } from "../auth/device_store.ts";
import { requiredApproveScopes } from "./node_command_policy.ts";

/** A connected node as the registry holds it. */
export interface NodeSession {
  nodeId: string;
  connId: string;
  displayName?: string | undefined;
  platform?: string | undefined;
  version?: string | undefined;
  clientId: string;
  clientMode: string;
  deviceFamily?: string | undefined;
  /** What it declared at connect. */
  declared: { caps: string[]; commands: string[]; permissions?: Record<string, boolean> | undefined };
  pathEnv?: string | undefined;
  connectedAtMs: number;
  /** What the node published after connecting (`node.pluginTools.update`, `node.skills.update`). */
  pluginTools?: unknown[] | undefined;
  skills?: unknown[] | undefined;
}

function sameSet(a: readonly string[] = [], b: readonly string[] = []): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function samePermissions(a: Record<string, boolean> = {}, b: Record<string, boolean> = {}): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}

/** True when two surfaces declare the same caps, commands and permissions. */
export function sameSurface(a: Pick<NodeSurface, "caps" | "commands" | "permissions">, b: typeof a): boolean {
  return sameSet(a.caps, b.caps) && sameSet(a.commands, b.commands) && samePermissions(a.permissions, b.permissions);
}

/** The commands a node may be invoked with: approved and still declared (none before approval). */
export function effectiveCommands(device: PairedDevice | undefined, session: NodeSession | undefined): string[] {
  const approved = device?.nodeSurface?.commands ?? [];
  if (!session) return approved;
  return approved.filter((c) => session.declared.commands.includes(c));
}

function effectiveCaps(device: PairedDevice | undefined, session: NodeSession | undefined): string[] {
  const approved = device?.nodeSurface?.caps ?? [];
  return session ? approved.filter((c) => session.declared.caps.includes(c)) : approved;
}

/** A node as `node.list` and `node.describe` show it. */
export function nodeEntry(device: PairedDevice | undefined, session: NodeSession | undefined): Record<string, unknown> {
  const nodeId = device?.deviceId ?? session?.nodeId ?? "";
  const pending = device?.pendingNodeSurface;
  const approved = device?.nodeSurface !== undefined;
  return {
    nodeId,
    displayName: device?.operatorLabel ?? session?.displayName ?? device?.displayName,
    platform: session?.platform ?? device?.platform,
    version: session?.version ?? device?.nodeSurface?.version ?? pending?.version,
    clientId: session?.clientId ?? device?.clientId,
    clientMode: session?.clientMode ?? device?.clientMode,
    deviceFamily: session?.deviceFamily ?? device?.deviceFamily,
    caps: effectiveCaps(device, session),
    commands: effectiveCommands(device, session),
    sessionHost: false,
    ...(approved
      ? { nodePluginTools: session?.pluginTools ?? [], permissions: device?.nodeSurface?.permissions ?? {} }
      : {}),
    approvalState: pending ? "pending-approval" : approved ? "approved" : "unapproved",
    ...(pending
      ? {
        pendingRequestId: pending.requestId,
        pendingDeclaredCaps: pending.caps,
        pendingDeclaredCommands: pending.commands,
        pendingDeclaredPermissions: pending.permissions ?? {},
      }
      : {}),
    ...(session ? { connectedAtMs: session.connectedAtMs, lastConnectedAtMs: session.connectedAtMs } : {}),
    lastSeenAtMs: session?.connectedAtMs ?? device?.lastSeenAtMs,
    lastSeenReason: device?.lastSeenReason ?? "connect",
    approvedAtMs: device?.approvedAtMs,
    paired: device?.roles.includes("node") ?? false,
    connected: session !== undefined,
  };
}

/** A pending surface request as `node.pair.list` shows it. */
export function pendingEntry(device: PairedDevice, pending: NodeSurface): Record<string, unknown> {
  return {
    requestId: pending.requestId,
    nodeId: device.deviceId,
    clientId: device.clientId,
    clientMode: device.clientMode,
    displayName: pending.displayName ?? device.displayName,
    platform: pending.platform ?? device.platform,
    version: pending.version,
    deviceFamily: pending.deviceFamily ?? device.deviceFamily,
    caps: pending.caps,
    commands: pending.commands,
    requiredApproveScopes: requiredApproveScopes(pending.commands),
    permissions: pending.permissions ?? {},
    silent: pending.silent ?? false,
    ts: pending.ts,
  };
}

/** An approved node as `node.pair.list` → `paired[]` and `node.pair.approve` → `node` show it. */
export function pairedNodeEntry(device: PairedDevice): Record<string, unknown> {
  const surface = device.nodeSurface;
  return {
    nodeId: device.deviceId,
    clientId: device.clientId,
    clientMode: device.clientMode,
    displayName: device.operatorLabel ?? surface?.displayName ?? device.displayName,
    platform: surface?.platform ?? device.platform,
    version: surface?.version,
    deviceFamily: surface?.deviceFamily ?? device.deviceFamily,
    caps: surface?.caps ?? [],
    commands: surface?.commands ?? [],
    permissions: surface?.permissions ?? {},
    createdAtMs: surface?.createdAtMs ?? device.createdAtMs,
    approvedAtMs: surface?.approvedAtMs ?? device.approvedAtMs,
    lastSeenAtMs: device.lastSeenAtMs,
    lastSeenReason: device.lastSeenReason,
  };
}
