/** A signed device identity, as sent in `connect.params.device`. */
export interface DeviceProof {
  id: string;
  publicKey: string;
  signature: string;
  signedAt: number;
  nonce: string;
}

/** What the signature must cover, taken from the same `connect` request. */
export interface DeviceContext {
  nonce: string;
  clientId: string;
  clientMode: string;
  role: string;
  scopes: readonly string[];
  /** `auth.token`, else `auth.deviceToken`, else `auth.bootstrapToken`, else "". */
  token: string;
  platform: string | undefined;
  deviceFamily: string | undefined;
  now: number;
}

/** The outcome of checking a device proof; failures carry the reference's code and words. */
export type DeviceCheck =
  | { ok: true; deviceId: string; publicKey: string }
  | { ok: false; code: string; message: string; reason: string };

/** How far `signedAt` may drift from the server clock. */
export const DEVICE_SIGNATURE_SKEW_MS = 120_000;

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const normal = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = normal + "=".repeat((4 - (normal.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/** Base64url without padding, the protocol's encoding for keys, signatures and tokens. */
export function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes a raw 32-byte Ed25519 public key from base64url, base64 or SPKI PEM. */
export function decodePublicKey(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const trimmed = text.trim();
    const body = trimmed.startsWith("-----BEGIN")
      ? trimmed.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")
      : trimmed;
    const bytes = fromBase64(body);
    // SPKI DER for Ed25519 is a 12-byte header followed by the raw key.
    if (bytes.length === 44) return bytes.slice(12);
    return bytes.length === 32 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function normalizeMeta(value: string | undefined): string {
  return (value ?? "").trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The v3 and v2 strings a device signs; the server accepts either, v3 first. */
export function devicePayloads(deviceId: string, ctx: DeviceContext, signedAt: number): [string, string] {
  const common = [
    deviceId,
    ctx.clientId,
    ctx.clientMode,
    ctx.role,
    ctx.scopes.join(","),
    String(signedAt),
    ctx.token,
    ctx.nonce,
  ];
  return [
    ["v3", ...common, normalizeMeta(ctx.platform), normalizeMeta(ctx.deviceFamily)].join("|"),
    ["v2", ...common].join("|"),
  ];
}

function fail(code: string, message: string, reason: string): DeviceCheck {
  return { ok: false, code, message, reason };
}

/**
 * Verifies a device proof as the reference does: the id is the SHA-256 of the raw public key,
 * the nonce is this connection's challenge, the signature is fresh (±120 s) and is a valid
 * Ed25519 signature over the v3 (or legacy v2) payload.
 */
export async function verifyDeviceProof(device: DeviceProof, ctx: DeviceContext): Promise<DeviceCheck> {
  const raw = decodePublicKey(device.publicKey);
  if (!raw) return fail("DEVICE_AUTH_PUBLIC_KEY_INVALID", "device public key invalid", "device-public-key");
  const deviceId = await sha256Hex(raw);
  if (deviceId !== device.id) {
    return fail("DEVICE_AUTH_DEVICE_ID_MISMATCH", "device identity mismatch", "device-id-mismatch");
  }
  if (!device.nonce) return fail("DEVICE_AUTH_NONCE_REQUIRED", "device nonce required", "device-nonce-missing");
  if (device.nonce !== ctx.nonce) {
    return fail("DEVICE_AUTH_NONCE_MISMATCH", "device nonce mismatch", "device-nonce-mismatch");
  }
  if (Math.abs(ctx.now - device.signedAt) > DEVICE_SIGNATURE_SKEW_MS) {
    return fail("DEVICE_AUTH_SIGNATURE_EXPIRED", "device signature expired", "device-signature-stale");
  }
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = fromBase64(device.signature);
  } catch {
    return fail("DEVICE_AUTH_SIGNATURE_INVALID", "device signature invalid", "device-signature");
  }
  const key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  for (const payload of devicePayloads(deviceId, ctx, device.signedAt)) {
    if (await crypto.subtle.verify("Ed25519", key, signature, new TextEncoder().encode(payload))) {
      return { ok: true, deviceId, publicKey: toBase64Url(raw) };
    }
  }
  return fail("DEVICE_AUTH_SIGNATURE_INVALID", "device signature invalid", "device-signature");
}
