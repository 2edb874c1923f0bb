// `device.pair.setupCode` and `device.pair.setupStatus`, as the reference answers them: a setup code
// (with its QR as a PNG data URL, or a single-use join URL for a node) issued into the shared state
// database, decided from the config in force as `openclaw qr` decides it; and the outcome of a code
// issued so, once a device used it. Admin-only and left out of hello-ok, as in the reference.
import type { DatabaseSync } from "node:sqlite";
import type { PairingSetupFacts } from "../../config/pairing_setup_facts.ts";
import { qrPngDataUrl } from "../../channels/whatsapp/qr.ts";
import {
  accessOf,
  type BootstrapProfile,
  LIMITED_SETUP_PROFILE,
  NODE_SETUP_PROFILE,
} from "../../state/bootstrap_profile.ts";
import { issueBootstrapToken } from "../../state/bootstrap_tokens.ts";
import { registerJoinCode } from "../../state/join_codes.ts";
import { encodeSetupCode, joinUrlBase, resolveQrSetup } from "../../state/pairing_setup.ts";
import { readSetupCompletion, setupOutcomePayload } from "../../state/setup_completions.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** The reference's refusal of a join URL for a profile other than node. */
export const JOIN_URL_NODE_ONLY = "Join URLs require bootstrapProfile=node.";

/**
 * The reference's refusal of a join URL for a plain ws:// URL off loopback. It throws it as an Error,
 * so it reaches the client as UNAVAILABLE with the "Error: " prefix of its log formatting.
 */
export const JOIN_URL_NEEDS_TLS =
  "Error: Join URLs require a TLS gateway endpoint, except for loopback. Use the setup code directly for plaintext LAN pairing.";

/** The reference drops a QR data URL longer than this (its result schema's bound). */
const MAX_QR_DATA_URL_LENGTH = 16_384;

/** Dependencies of the setup-code methods. */
export interface DevicePairSetupDeps {
  /** The global state database (bootstrap tokens, join codes, setup outcomes). */
  stateDb(): Promise<DatabaseSync>;
  /** What the config in force says a setup code is decided from. */
  facts(): PairingSetupFacts;
  /** The host's IPv4 addresses off loopback (`gateway.bind` `lan`/`tailnet`). */
  addresses(): string[];
  now(): number;
}

function requestedProfile(params: { bootstrapProfile?: string; joinUrl?: boolean }): BootstrapProfile | undefined {
  if (params.joinUrl === true || params.bootstrapProfile === "node") return NODE_SETUP_PROFILE;
  return params.bootstrapProfile === "limited" ? LIMITED_SETUP_PROFILE : undefined;
}

/** Builds `device.pair.setupCode` and `device.pair.setupStatus`. */
export function devicePairSetupMethods(deps: DevicePairSetupDeps): MethodTable {
  return {
    "device.pair.setupCode": {
      ...validated("operator.admin", "validateDevicePairSetupCodeParams", async ({ params }) => {
        if (params.joinUrl === true && params.bootstrapProfile !== undefined && params.bootstrapProfile !== "node") {
          throw new RpcError("INVALID_REQUEST", JOIN_URL_NODE_ONLY);
        }
        const facts = deps.facts();
        const preferRemoteUrl = params.preferRemoteUrl === true;
        const { configuredPublicUrl, remoteMode, ...config } = facts;
        const setup = resolveQrSetup({
          ...config,
          addresses: deps.addresses(),
          remoteUrl: remoteMode && !preferRemoteUrl ? undefined : config.remoteUrl,
          publicUrl: params.publicUrl ?? (preferRemoteUrl ? undefined : configuredPublicUrl),
          preferRemoteUrl,
          profile: requestedProfile(params),
        });
        if (!setup.ok) throw new RpcError("INVALID_REQUEST", setup.error);
        const db = await deps.stateDb();
        const now = deps.now();
        // As in the reference, the token is issued before a join URL is refused.
        const issued = issueBootstrapToken(db, setup.profile, now);
        const payload = { url: setup.url, bootstrapToken: issued.token, expiresAtMs: issued.expiresAtMs };
        const setupCode = encodeSetupCode(payload);
        let joinUrl: string | undefined;
        if (params.joinUrl === true) {
          const base = joinUrlBase(setup.url);
          if (!base) throw new RpcError("UNAVAILABLE", JOIN_URL_NEEDS_TLS);
          joinUrl = `${base}/j/${registerJoinCode(db, payload, now)}`;
        }
        const qr = params.includeQr !== false ? await qrPngDataUrl(setupCode).catch(() => undefined) : undefined;
        const qrDataUrl = qr && qr.length <= MAX_QR_DATA_URL_LENGTH ? qr : undefined;
        return {
          setupId: issued.setupId,
          expiresAtMs: issued.expiresAtMs,
          setupCode,
          ...(joinUrl ? { joinUrl } : {}),
          ...(qrDataUrl ? { qrDataUrl } : {}),
          gatewayUrl: setup.url,
          auth: setup.authLabel,
          urlSource: params.publicUrl ? "request.publicUrl" : setup.urlSource,
          access: accessOf(setup.profile),
          ...(setup.accessDowngraded ? { accessDowngraded: true } : {}),
        };
      }),
      advertise: false,
    },
    "device.pair.setupStatus": {
      ...validated("operator.admin", "validateDevicePairSetupStatusParams", async ({ params }) => {
        const completion = readSetupCompletion(await deps.stateDb(), params.setupId, deps.now());
        if (!completion) return {};
        const outcome = setupOutcomePayload(completion);
        return completion.deliveryState === "confirmed" ? { completion: outcome } : { deliveryUncertain: outcome };
      }),
      advertise: false,
    },
  };
}
