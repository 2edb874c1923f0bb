import type { DeviceStore, PairedDevice } from "../../auth/device_store.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { scopeSatisfied } from "../scopes.ts";

/** Dependencies of the device-pairing methods. */
export interface DeviceMethodsDeps {
  devices: DeviceStore;
}

/** A paired device as `device.pair.list` shows it: token hashes never leave the store. */
function listed(device: PairedDevice): Record<string, unknown> {
  const { tokens, ...rest } = device;
  return {
    ...rest,
    roles: [device.role],
    tokens: tokens.map((t) => ({ role: t.role, scopes: t.scopes, createdAtMs: t.createdAtMs })),
  };
}

function missingScope(scope: string): RpcError {
  return new RpcError("FORBIDDEN", `missing scope: ${scope}`, {
    details: { code: "MISSING_SCOPE", missingScope: scope, requiredScopes: [scope] },
  });
}

function unknownRequest(requestId: string): RpcError {
  return new RpcError(
    "INVALID_REQUEST",
    `unknown requestId: ${requestId} (run openclaw devices list for the current id)`,
  );
}

/**
 * `device.pair.list/approve/reject/remove`: how an operator admits a browser or device that is
 * not on direct loopback. Approving needs `operator.pairing` and may grant only scopes the
 * approver holds itself, as in the reference; removing another device needs `operator.admin`.
 */
export function deviceMethods(deps: DeviceMethodsDeps): MethodTable {
  return {
    "device.pair.list": validated("operator.pairing", "validateDevicePairListParams", async () => ({
      pending: deps.devices.requests.list(),
      paired: (await deps.devices.list()).map(listed),
    })),
    "device.pair.approve": validated(
      "operator.pairing",
      "validateDevicePairApproveParams",
      async ({ params, caller }) => {
        const { requestId } = params;
        const pending = deps.devices.requests.list().find((r) => r.requestId === requestId);
        if (!pending) throw unknownRequest(requestId);
        const beyond = pending.scopes.find((scope) => !scopeSatisfied(caller.scopes, scope));
        if (beyond) throw missingScope(beyond);
        deps.devices.requests.take(requestId);
        const existing = await deps.devices.get(pending.deviceId);
        const device = await deps.devices.approve({
          deviceId: pending.deviceId,
          publicKey: pending.publicKey,
          clientId: pending.clientId,
          clientMode: pending.clientMode,
          platform: pending.platform,
          deviceFamily: pending.deviceFamily,
          scopes: [...new Set([...(existing?.scopes ?? []), ...pending.scopes])],
        });
        return { requestId, device: listed(device) };
      },
    ),
    "device.pair.reject": validated("operator.pairing", "validateDevicePairRejectParams", ({ params }) => {
      const { requestId } = params;
      const pending = deps.devices.requests.take(requestId);
      if (!pending) throw unknownRequest(requestId);
      return { requestId, deviceId: pending.deviceId };
    }),
    "device.pair.remove": validated(
      "operator.pairing",
      "validateDevicePairRemoveParams",
      async ({ params, caller }) => {
        if (!caller.scopes.includes("operator.admin")) throw missingScope("operator.admin");
        const { deviceId } = params;
        if (!(await deps.devices.remove(deviceId))) {
          throw new RpcError("INVALID_REQUEST", `unknown deviceId: ${deviceId}`);
        }
        return { deviceId, removedAtMs: Date.now() };
      },
    ),
  };
}
