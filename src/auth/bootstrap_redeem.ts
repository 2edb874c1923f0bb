// The rules for a `connect` presenting a setup code's bootstrap token, as the reference applies
// them: the token must exist, be younger than ten minutes, allow the role and scopes asked for, and
// be unbound or bound to this same device. A phone app connecting as a node with the closed mobile
// profile (or an ESP32 node with the voice profile) is paired silently for every role the code
// grants; the token is then deleted, so it works once. Pure: the caller holds the transaction.
import type { DatabaseSync } from "node:sqlite";
import {
  accessOf,
  type BootstrapProfile,
  FULL_SETUP_PROFILE,
  LIMITED_SETUP_PROFILE,
  normalizeProfile,
  profileAllows,
  profilesEqual,
  roleScopes,
  VOICE_NODE_SETUP_PROFILE,
} from "../state/bootstrap_profile.ts";
import {
  bootstrapTokenCurrent,
  type BootstrapTokenRow,
  deleteBootstrapToken,
  getBootstrapToken,
  putBootstrapToken,
} from "../state/bootstrap_tokens.ts";
import { recordSetupCompletion, type SetupCompletion } from "../state/setup_completions.ts";
import { safeEqualSecret } from "./secret_compare.ts";

/** The reference's refusal for an unknown, expired, revoked or already used setup code. */
export const SETUP_CODE_REJECTED_MESSAGE =
  "unauthorized: setup code invalid, expired, revoked, or already used (create a new code; review `openclaw devices list`)";

/** The `connect` facts the rules look at. */
export interface BootstrapPresentation {
  token: string;
  deviceId: string;
  publicKey: string;
  role: string;
  scopes: readonly string[];
  client: { id: string; mode: string; platform: string; deviceFamily?: string | undefined };
  now: number;
}

/** What the token allows: a silent handoff pairing (with the roles and scopes to grant), or nothing. */
export type BootstrapVerdict =
  | { ok: true; row: BootstrapTokenRow; handoff: { roles: string[]; scopes: string[] } | undefined }
  | { ok: false };

function meta(value: string | undefined): string {
  return (value ?? "").trim().toLowerCase();
}

/** The phone apps' metadata the reference requires before a mobile code pairs silently. */
export function isMobileSetupClient(client: BootstrapPresentation["client"]): boolean {
  const platform = meta(client.platform);
  const family = meta(client.deviceFamily);
  if (client.id === "openclaw-android") return /^android(?:\s|$)/u.test(platform) && family === "android";
  if (client.id === "openclaw-ios") {
    return /^(?:ios|ipados)(?:\s|$)/u.test(platform) && /^(?:iphone|ipad|ios)$/u.test(family);
  }
  return false;
}

function isHandoffClient(profile: BootstrapProfile, input: BootstrapPresentation): boolean {
  const mobile = profilesEqual(profile, FULL_SETUP_PROFILE) || profilesEqual(profile, LIMITED_SETUP_PROFILE);
  if (mobile && isMobileSetupClient(input.client)) return true;
  if (accessOf(profile) === "node" && input.client.id === "node-host") return true;
  return profilesEqual(profile, VOICE_NODE_SETUP_PROFILE) && input.client.id === "node-host" &&
    /^esp32(?:\s|$)/u.test(meta(input.client.platform)) && meta(input.client.deviceFamily) === "esp32";
}

/**
 * Checks a presented bootstrap token and binds it to the presenting device (first use wins); call
 * inside an IMMEDIATE transaction. A refused token leaves the table as it was.
 */
export function verifyBootstrapToken(db: DatabaseSync, input: BootstrapPresentation): BootstrapVerdict {
  const token = input.token.trim();
  if (!token) return { ok: false };
  const row = getBootstrapToken(db, token);
  if (!row || !safeEqualSecret(token, row.token)) return { ok: false };
  if (!bootstrapTokenCurrent(row.issuedAtMs, input.now)) return { ok: false };
  const profile = row.profile;
  if (profile.roles.length === 0 || !profileAllows(profile, input.role, input.scopes)) return { ok: false };
  if ((row.deviceId || row.publicKey) && (row.deviceId !== input.deviceId || row.publicKey !== input.publicKey)) {
    return { ok: false };
  }
  const requested: BootstrapProfile = {
    roles: [input.role],
    scopes: roleScopes(input.role, input.scopes, profile.purpose),
    ...(profile.purpose ? { purpose: profile.purpose } : {}),
  };
  const bound: BootstrapTokenRow = {
    ...row,
    deviceId: input.deviceId,
    publicKey: input.publicKey,
    pendingProfile: row.pendingProfile ?? requested,
    lastUsedAtMs: input.now,
  };
  putBootstrapToken(db, bound);
  const nodeConnect = input.role === "node" && input.scopes.length === 0 && input.client.mode === "node";
  const handoff = nodeConnect && isHandoffClient(profile, input)
    ? {
      roles: [...new Set([input.role, ...profile.roles])],
      scopes: [...new Set(profile.roles.flatMap((role) => roleScopes(role, profile.scopes, profile.purpose)))].sort(),
    }
    : undefined;
  return { ok: true, row: bound, handoff };
}

/** Whether the roles and scopes redeemed so far cover everything the token was issued for. */
export function fullyRedeemed(redeemed: BootstrapProfile, issued: BootstrapProfile): boolean {
  return issued.roles.every((role) => {
    if (!redeemed.roles.includes(role)) return false;
    const required = roleScopes(role, issued.scopes, issued.purpose);
    return required.length === 0 || profileAllows(redeemed, role, required);
  });
}

/**
 * Records one role's leg of a token a non-handoff client redeemed (after it connected). The token is
 * consumed once every role it grants was redeemed (returning the setup's outcome, when it has a setup
 * id); until then it stays bound to that device.
 */
export function redeemBootstrapLeg(
  db: DatabaseSync,
  row: BootstrapTokenRow,
  leg: { role: string; scopes: readonly string[]; now: number; deviceName?: string | undefined },
): SetupCompletion | undefined {
  const current = getBootstrapToken(db, row.tokenKey);
  if (!current) return undefined;
  const purpose = current.profile.purpose;
  const redeemed = normalizeProfile({
    roles: [...current.redeemedProfile.roles, leg.role],
    scopes: [...current.redeemedProfile.scopes, ...roleScopes(leg.role, leg.scopes, purpose)],
    purpose,
  });
  if (fullyRedeemed(redeemed, current.profile)) {
    return consumeBootstrapToken(db, current, {
      deviceId: current.deviceId ?? "",
      deviceName: leg.deviceName,
      now: leg.now,
    });
  }
  const pending = current.pendingProfile && !fullyRedeemed(redeemed, current.pendingProfile)
    ? current.pendingProfile
    : undefined;
  putBootstrapToken(db, { ...current, redeemedProfile: redeemed, pendingProfile: pending });
  return undefined;
}

/**
 * Deletes a redeemed token and, for a token issued with a setup id, records the setup's outcome
 * (non-secret: setup id, device, access) as the reference does: `uncertain` until the device's
 * hello-ok went out, when the caller confirms it (state/setup_completions.ts).
 */
export function consumeBootstrapToken(
  db: DatabaseSync,
  row: BootstrapTokenRow,
  completion: { deviceId: string; deviceName?: string | undefined; now: number },
): SetupCompletion | undefined {
  deleteBootstrapToken(db, row.tokenKey);
  if (!row.setupId) return undefined;
  return recordSetupCompletion(db, {
    setupId: row.setupId,
    deviceId: completion.deviceId,
    deviceName: completion.deviceName,
    access: accessOf(row.profile),
    now: completion.now,
  });
}
