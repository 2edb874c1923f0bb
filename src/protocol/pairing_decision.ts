import type { DeviceRole } from "../auth/device_store.ts";
import { scopeSatisfied } from "../rpc/scopes.ts";
import type { HandshakeDecision, HandshakeInput } from "./handshake.ts";
import { CloseCode } from "./socket.ts";

/** The reference's words for a device that must be approved first. */
const PAIRING_REQUIRED: Record<
  "not-paired" | "role-upgrade" | "scope-upgrade",
  { requirement: string; hint: string }
> = {
  "not-paired": {
    requirement: "device is not approved yet",
    hint: "Approve this device from the pending pairing requests.",
  },
  "role-upgrade": {
    requirement: "device is asking for a higher role than currently approved",
    hint: "Review the requested role upgrade, then approve the pending request.",
  },
  "scope-upgrade": {
    requirement: "device is asking for more scopes than currently approved",
    hint: "Review the requested scopes, then approve the pending upgrade.",
  },
};

/** What the device store records of a connecting device: its key, its client, and (unless direct) its address. */
export function connectingDevice(input: HandshakeInput, device: { deviceId: string; publicKey: string }) {
  const { client } = input.params;
  return {
    deviceId: device.deviceId,
    publicKey: device.publicKey,
    clientId: client.id,
    clientMode: client.mode,
    platform: client.platform,
    deviceFamily: client.deviceFamily,
    displayName: client.displayName,
    remoteIp: input.direct ? undefined : input.remoteAddr,
  };
}

/**
 * A device presented with a valid shared secret (or a node under auth mode "none"). Already approved for what it asks: it gets a
 * fresh device token. Otherwise a direct loopback peer is approved silently (the reference's
 * local auto-approval, never a token bypass: the secret was checked first) unless
 * `gateway.nodes.pairing.autoApproveLocal` is false; anyone else files a
 * pending request and is refused with `PAIRING_REQUIRED` until `openclaw devices approve <id>`.
 */
export async function pairedDecision(
  input: HandshakeInput,
  device: {
    deviceId: string;
    publicKey: string;
    wanted: string[];
    method: "token" | "password" | "none" | "bootstrap-token";
    role: DeviceRole;
  },
): Promise<HandshakeDecision> {
  const { role } = device;
  const paired = await input.devices.get(device.deviceId);
  const sameKey = paired?.publicKey === device.publicKey;
  const approved = sameKey ? paired.approvedScopes : [];
  const covered = sameKey && paired.roles.includes(role) &&
    device.wanted.every((scope) => scopeSatisfied(approved, scope));
  const meta = connectingDevice(input, device);
  if (covered || (input.direct && input.autoApproveLocal !== false)) {
    const baseline = covered ? approved : [...new Set([...approved, ...device.wanted])];
    const deviceToken = await input.devices.pair(meta, {
      role,
      scopes: role === "node" ? [] : baseline,
      approvedVia: covered ? undefined : "silent",
    });
    return {
      ok: true,
      identity: {
        role,
        scopes: device.wanted,
        method: device.method,
        deviceId: device.deviceId,
        deviceToken,
        ...(covered ? {} : { autoApproved: "silent" as const }),
      },
    };
  }
  const reason = !paired ? "not-paired" : sameKey && !paired.roles.includes(role) ? "role-upgrade" : "scope-upgrade";
  const filed = await input.devices.requests.file({
    ...meta,
    browserOrigin: input.origin,
    role,
    scopes: device.wanted,
    remoteIp: input.remoteAddr,
    isRepair: paired !== undefined,
  });
  const request = filed.request;
  input.onPairingRequest?.(filed);
  const message = `pairing required: ${PAIRING_REQUIRED[reason].requirement}`;
  return {
    ok: false,
    closeCode: CloseCode.policyViolation,
    closeReason: `${message} (requestId: ${request.requestId})`,
    countsAsFailure: false,
    error: {
      code: "NOT_PAIRED",
      message,
      details: {
        code: "PAIRING_REQUIRED",
        reason,
        requestId: request.requestId,
        remediationHint: PAIRING_REQUIRED[reason].hint,
        recommendedNextStep: "wait_then_retry",
        retryable: true,
        pauseReconnect: false,
        deviceId: device.deviceId,
        requestedRole: role,
        requestedScopes: device.wanted,
        ...(paired ? { approvedRoles: paired.roles, approvedScopes: approved } : {}),
      },
    },
  };
}
