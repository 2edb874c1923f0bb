// The `--request-json-base64` payload of `openclaw sessions export-trajectory`: the reference's
// `/export-trajectory` chat command runs the CLI with its request (session key, workspace, output, store,
// agent) as base64url JSON, so no chat text reaches a shell argument. Decoded strictly as the reference
// decodes it: canonical base64url only, a JSON object, each field taken only when it is a usable string.

/** The fields a request may set. */
export interface TrajectoryRequest {
  sessionKey?: string;
  output?: string;
  store?: string;
  agent?: string;
  workspace?: string;
}

const ENCODED = /^[A-Za-z0-9_-]{1,65536}$/u;

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value : undefined;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/u, "");
}

function fromBase64url(text: string): Uint8Array | undefined {
  try {
    const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - text.length % 4) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The request in `encoded`; throws an Error worded as the reference's when it is not a valid one. */
export function decodeTrajectoryRequest(encoded: string): TrajectoryRequest {
  const bytes = ENCODED.test(encoded) ? fromBase64url(encoded) : undefined;
  // Only the canonical spelling is accepted, so one request has one encoding.
  if (!bytes || base64url(bytes) !== encoded) throw new Error("Encoded trajectory export request is invalid");
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder("utf-8", { fatal: false }).decode(bytes));
  } catch {
    throw new Error("Encoded trajectory export request is invalid JSON");
  }
  if (!decoded || typeof decoded !== "object" || Array.isArray(decoded)) {
    throw new Error("Encoded trajectory export request must be a JSON object");
  }
  const request = decoded as Record<string, unknown>;
  const out: TrajectoryRequest = {};
  const sessionKey = nonBlank(request.sessionKey);
  if (sessionKey !== undefined) out.sessionKey = sessionKey;
  const output = nonBlank(request.output);
  if (output !== undefined) out.output = output;
  if (typeof request.store === "string") out.store = request.store;
  if (typeof request.agent === "string") out.agent = request.agent;
  const workspace = nonBlank(request.workspace);
  if (workspace !== undefined) out.workspace = workspace;
  return out;
}
