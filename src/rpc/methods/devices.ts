import type { DeviceRole, DeviceStore, PairedDevice } from "../../auth/device_store.ts";
import type { PairingRequest } from "../../auth/pairing_requests.ts";
import { RpcError } from "../errors.ts";
import { afterResponseOf, type CallerIdentity, type MethodTable, validated } from "../registry.ts";
import { scopeSatisfied } from "../scopes.ts";

/** Dependencies of the device-pairing methods. */
export interface DeviceMethodsDeps {
  devices: DeviceStore;
  /** Sends an event to the operators allowed to see it (`operator.pairing` for these). */
  broadcast(event: string, payload: unknown): void;
  /** Closes a device's connections (all roles, or one): removed devices and revoked tokens. */
  closeDevice(deviceId: string, role?: string): void;
  /** Whether the device has a live connection now (`paired[].connected`). */
  connected(deviceId: string): boolean;
}

/** A paired device as `device.pair.list` shows it: token values never leave the store. */
export function listedDevice(device: PairedDevice, connected: boolean): Record<string, unknown> {
  const { tokens, approvedScopes: _approved, ...rest } = device;
  return {
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    connected,
    tokens: Object.values(tokens).map((t) => ({
      role: t.role,
      scopes: t.scopes,
      createdAtMs: t.createdAtMs,
      ...(t.rotatedAtMs !== undefined ? { rotatedAtMs: t.rotatedAtMs } : {}),
      ...(t.revokedAtMs !== undefined ? { revokedAtMs: t.revokedAtMs } : {}),
      ...(t.lastUsedAtMs !== undefined ? { lastUsedAtMs: t.lastUsedAtMs } : {}),
    })),
  };
}

/** A pending request as `device.pair.list` → `pending[]` and `device.pair.requested` show it. */
export function listedRequest(request: PairingRequest): Record<string, unknown> {
  const { refreshedAtMs: _refreshed, ...rest } = request;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

function missingScope(scope: string): RpcError {
  return new RpcError("FORBIDDEN", `missing scope: ${scope}`, {
    details: { code: "MISSING_SCOPE", missingScope: scope, requiredScopes: [scope] },
  });
}

// The reference's words, verbatim (a client may match on them); `openclaw devices list` shows current ids.
function unknownRequest(_requestId: string): RpcError {
  return new RpcError("INVALID_REQUEST", "unknown requestId");
}

function unknownDevice(_deviceId: string): RpcError {
  return new RpcError("INVALID_REQUEST", "unknown deviceId");
}

/** Managing another device's tokens needs admin; a device may manage its own with pairing alone. */
function requireDeviceAdmin(caller: CallerIdentity, deviceId: string): void {
  if (caller.deviceId !== deviceId && !caller.scopes.includes("operator.admin")) throw missingScope("operator.admin");
}

/**
 * The reference's rule for removing a pairing: a caller that is itself a paired device and no admin may remove only
 * itself, and only while it holds nothing but the operator role; a caller with no device identity (the shared token or
 * password: the gateway's operator, as `openclaw devices remove` connects) may remove any device.
 */
function removalDenied(caller: CallerIdentity, deviceId: string, target: { roles: readonly string[] } | undefined) {
  if (!caller.deviceId || caller.scopes.includes("operator.admin")) return false;
  if (caller.deviceId !== deviceId) return true;
  return target?.roles.some((role) => role !== "operator") ?? false;
}

/**
 * `device.pair.*` and `device.token.*`: how an operator admits, labels and removes a browser,
 * phone or node, and rotates or revokes its device tokens. Approving needs `operator.pairing`
 * and may grant only scopes the approver holds, as in the reference; removing or revoking closes
 * the device's connections.
 */
export function deviceMethods(deps: DeviceMethodsDeps): MethodTable {
  const resolved = (requestId: string, deviceId: string, decision: string) =>
    deps.broadcast("device.pair.resolved", { requestId, deviceId, decision, ts: Date.now() });
  return {
    "device.pair.list": validated("operator.pairing", "validateDevicePairListParams", async () => ({
      pending: (await deps.devices.requests.list()).map(listedRequest),
      paired: (await deps.devices.list()).map((d) => listedDevice(d, deps.connected(d.deviceId))),
    })),
    "device.pair.approve": validated(
      "operator.pairing",
      "validateDevicePairApproveParams",
      async ({ params, caller }) => {
        const { requestId } = params;
        const pending = (await deps.devices.requests.list()).find((r) => r.requestId === requestId);
        if (!pending) throw unknownRequest(requestId);
        const beyond = pending.scopes.find((scope) => !scopeSatisfied(caller.scopes, scope));
        if (beyond) throw missingScope(beyond);
        await deps.devices.requests.take(requestId);
        const role: DeviceRole = pending.role === "node" ? "node" : "operator";
        const device = await deps.devices.approve({
          deviceId: pending.deviceId,
          publicKey: pending.publicKey,
          clientId: pending.clientId ?? "",
          clientMode: pending.clientMode ?? "",
          platform: pending.platform ?? "",
          deviceFamily: pending.deviceFamily,
          displayName: pending.displayName,
          remoteIp: pending.remoteIp,
        }, { role, roles: pending.roles, scopes: pending.scopes, browserOrigin: pending.browserOrigin });
        resolved(requestId, pending.deviceId, "approved");
        return { requestId, device: listedDevice(device, deps.connected(device.deviceId)) };
      },
    ),
    "device.pair.reject": validated("operator.pairing", "validateDevicePairRejectParams", async ({ params }) => {
      const { requestId } = params;
      const pending = await deps.devices.requests.take(requestId);
      if (!pending) throw unknownRequest(requestId);
      resolved(requestId, pending.deviceId, "rejected");
      return { requestId, deviceId: pending.deviceId };
    }),
    "device.pair.remove": validated(
      "operator.pairing",
      "validateDevicePairRemoveParams",
      async ({ params, caller, afterResponse }) => {
        const { deviceId } = params;
        if (removalDenied(caller, deviceId, await deps.devices.get(deviceId))) {
          throw new RpcError("INVALID_REQUEST", "device pairing removal denied");
        }
        if (!(await deps.devices.remove(deviceId))) throw unknownDevice(deviceId);
        // After the answer is written: a device removing itself still hears the result.
        afterResponseOf(afterResponse)(() => deps.closeDevice(deviceId));
        return { deviceId, removedAtMs: Date.now() };
      },
    ),
    "device.pair.rename": validated("operator.pairing", "validateDevicePairRenameParams", async ({ params }) => {
      const label = params.label.trim();
      if (!label) throw new RpcError("INVALID_REQUEST", "label required");
      const device = await deps.devices.rename(params.deviceId, label);
      if (!device) throw unknownDevice(params.deviceId);
      deps.broadcast("device.pair.changed", {});
      return { deviceId: device.deviceId, label };
    }),
    "device.token.rotate": validated(
      "operator.pairing",
      "validateDeviceTokenRotateParams",
      async ({ params, caller }) => {
        requireDeviceAdmin(caller, params.deviceId);
        const device = await deps.devices.get(params.deviceId);
        if (!device?.roles.includes(params.role)) throw unknownDevice(params.deviceId);
        // A rotated token stays within what the device was approved for and what the caller holds.
        const wanted = params.scopes ?? device.tokens[params.role]?.scopes ?? [];
        const outside = wanted.find((s) =>
          !scopeSatisfied(device.approvedScopes, s) || !scopeSatisfied(caller.scopes, s)
        );
        if (outside) throw missingScope(outside);
        const record = await deps.devices.rotateToken(params.deviceId, params.role, wanted);
        if (!record) throw unknownDevice(params.deviceId);
        const own = caller.deviceId === params.deviceId;
        return {
          deviceId: params.deviceId,
          role: params.role,
          ...(own ? { token: record.token } : {}),
          scopes: record.scopes,
          rotatedAtMs: record.rotatedAtMs ?? Date.now(),
          tokenDelivery: own ? "in-band" : "withheld-cross-device",
        };
      },
    ),
    "device.token.revoke": validated(
      "operator.pairing",
      "validateDeviceTokenRevokeParams",
      async ({ params, caller, afterResponse }) => {
        requireDeviceAdmin(caller, params.deviceId);
        const record = await deps.devices.revokeToken(params.deviceId, params.role);
        if (!record) throw unknownDevice(params.deviceId);
        afterResponseOf(afterResponse)(() => deps.closeDevice(params.deviceId, params.role));
        return { deviceId: params.deviceId, role: params.role, revokedAtMs: record.revokedAtMs };
      },
    ),
  };
}
