// Slack's request signing (v0): `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">` keyed by
// the app's signing secret, with `X-Slack-Request-Timestamp` within five minutes of now (replays refused).

/** How far a request's timestamp may be from now, as Slack and the reference's receiver allow. */
export const SIGNATURE_WINDOW_S = 5 * 60;

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that depends only on their length, so a guess leaks nothing about the secret. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The `v0=<hex>` signature of a body sent at `timestampS` (what Slack computes; tests sign with it too). */
export async function slackSignature(secret: string, timestampS: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return `v0=${hex(await crypto.subtle.sign("HMAC", key, encoder.encode(`v0:${timestampS}:${body}`)))}`;
}

/**
 * Why a request's signature is refused (the reference receiver's words), or undefined when it is Slack's.
 * A timestamp more than five minutes off either way is refused (the reference refuses only old ones; one from the
 * future is no less a replay).
 */
export async function signatureProblem(
  secret: string,
  headers: Headers,
  body: string,
  nowMs: number,
): Promise<string | undefined> {
  const prefix = "Failed to verify authenticity";
  const timestamp = headers.get("x-slack-request-timestamp") ?? "";
  const signature = headers.get("x-slack-signature") ?? "";
  if (!/^\d+$/.test(timestamp)) {
    return `${prefix}: header x-slack-request-timestamp did not have the expected type (${timestamp || "missing"})`;
  }
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SIGNATURE_WINDOW_S) {
    return `${prefix}: x-slack-request-timestamp must differ from system time by no more than 5 minutes or request is stale`;
  }
  if (!signature.startsWith("v0=")) return `${prefix}: unknown signature version`;
  if (!sameText(signature, await slackSignature(secret, timestamp, body))) return `${prefix}: signature mismatch`;
  return undefined;
}
