// A `connect` presenting a setup code's bootstrap token, decided as the reference decides it: the
// token rules live in auth/bootstrap_redeem.ts; this file turns their outcome into the handshake's
// verdict (silent handoff pairing, ordinary pairing, or the reference's refusal).
import { SETUP_CODE_REJECTED_MESSAGE } from "../auth/bootstrap_redeem.ts";
import type { DeviceRole } from "../auth/device_store.ts";
import type { HandshakeDecision, HandshakeInput } from "./handshake.ts";
import { connectingDevice, pairedDecision } from "./pairing_decision.ts";
import { CloseCode } from "./socket.ts";

/** The reference's refusal of a setup code (unknown, expired, bound to another device, or used). */
export function setupCodeRefusal(): HandshakeDecision {
  return {
    ok: false,
    error: {
      code: "INVALID_REQUEST",
      message: SETUP_CODE_REJECTED_MESSAGE,
      details: {
        code: "AUTH_BOOTSTRAP_TOKEN_INVALID",
        authReason: "bootstrap_token_invalid",
        canRetryWithDeviceToken: false,
        recommendedNextStep: "review_auth_configuration",
      },
    },
    closeCode: CloseCode.policyViolation,
    closeReason: SETUP_CODE_REJECTED_MESSAGE,
    countsAsFailure: false,
  };
}

/**
 * A device presenting a setup code's bootstrap token (and no other credential). A phone's handoff
 * connect is paired silently for every role the code grants and gets a device token per role;
 * any other accepted client goes through ordinary pairing, and the role it connected with is
 * recorded against the token, which is used up once every role it grants was redeemed. A token used
 * up with a setup id carries the setup's outcome in the identity, for the handshake to confirm.
 */
export async function bootstrapDecision(
  input: HandshakeInput,
  device: { deviceId: string; publicKey: string; role: DeviceRole; wanted: string[] },
  counted: (decision: HandshakeDecision) => HandshakeDecision,
): Promise<HandshakeDecision> {
  const { params } = input;
  const now = input.now ?? Date.now();
  const meta = connectingDevice(input, device);
  const redeemed = await input.devices.redeemBootstrap(meta, {
    token: input.params.auth?.bootstrapToken ?? "",
    deviceId: device.deviceId,
    publicKey: device.publicKey,
    role: device.role,
    scopes: params.scopes ?? [],
    client: params.client,
    now,
  });
  if (!redeemed.ok) return counted(setupCodeRefusal());
  if (redeemed.paired) {
    const [own, ...others] = redeemed.tokens;
    return {
      ok: true,
      identity: {
        role: device.role,
        scopes: device.role === "node" ? [] : device.wanted,
        method: "bootstrap-token",
        deviceId: device.deviceId,
        deviceToken: own ? { token: own.token, issuedAtMs: own.issuedAtMs } : undefined,
        deviceTokens: others,
        setupCompletion: redeemed.completion,
        autoApproved: "bootstrap",
      },
    };
  }
  const decision = await pairedDecision(input, { ...device, method: "bootstrap-token" });
  if (!decision.ok) return decision;
  const setupCompletion = await redeemed.redeem();
  return setupCompletion ? { ...decision, identity: { ...decision.identity, setupCompletion } } : decision;
}
