// A device identity (Ed25519 keys, id = SHA-256 of the raw public key) and the host functions the
// reference client library needs to sign with it and keep its device tokens, for tests.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";

/** What `connectReference` takes to connect as a signed device. */
export interface TestDevice {
  deviceIdentity: { deviceId: string; privateKeyPem: string; publicKeyPem: string };
  hostDeps: Record<string, unknown>;
  /** Device tokens the gateway issued, by role, as the client stored them. */
  tokens: Map<string, { token: string; scopes: string[] }>;
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function rawPublicKey(pem: string): Uint8Array {
  return new Uint8Array(createPublicKey(pem).export({ format: "der", type: "spki" }).subarray(-32));
}

/** A new device identity with in-memory token storage. */
export function newTestDevice(): TestDevice {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicKeyPem = publicKey.export({ format: "pem", type: "spki" }).toString();
  const deviceIdentity = {
    deviceId: createHash("sha256").update(rawPublicKey(publicKeyPem)).digest("hex"),
    publicKeyPem,
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
  const tokens = new Map<string, { token: string; scopes: string[] }>();
  const hostDeps = {
    signDevicePayload: (pem: string, payload: string) =>
      base64Url(new Uint8Array(sign(null, new TextEncoder().encode(payload), createPrivateKey(pem)))),
    publicKeyRawBase64UrlFromPem: (pem: string) => base64Url(rawPublicKey(pem)),
    loadDeviceAuthToken: (p: { role: string }) => {
      const stored = tokens.get(p.role);
      return stored ? { ...stored, role: p.role } : null;
    },
    storeDeviceAuthToken: (p: { role: string; token: string; scopes: string[] }) =>
      tokens.set(p.role, { token: p.token, scopes: p.scopes }),
    clearDeviceAuthToken: (p: { role: string }) => tokens.delete(p.role),
  };
  return { deviceIdentity, hostDeps, tokens };
}
