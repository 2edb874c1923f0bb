// The network side of web_fetch: SSRF checks before every hop (the host name, then every address
// it resolves to), redirects followed by hand so each target is checked again, one deadline over
// the whole exchange, and a byte cap on the body. Refusals keep the reference's messages.
//
// The request connects only to the addresses checked (pinned_fetch.ts), as the reference pins
// them, so a DNS answer that changes between check and connect (rebinding) is not followed.
import type { WebFetchSsrfPolicy } from "../config/resolve_web_fetch.ts";
import { blockedAddressReason, embeddedIpv4, isCloudMetadata, parseIpv4, parseIpv6 } from "./ssrf_address.ts";
import { type PinnedAddress, pinnedFetch } from "./pinned_fetch.ts";
import { ToolError } from "./tool.ts";

/** A refused target (the reference's `SsrFBlockedError`). */
export class SsrfBlockedError extends ToolError {
  override name = "SsrFBlockedError";
}

/** The reference's refusal for a blocked host name or IP literal. */
export const BLOCKED_HOST_OR_IP_MESSAGE = "Blocked hostname or private/internal/special-use IP address";
/** The reference's refusal for a name that resolves to a blocked address. */
export const BLOCKED_RESOLVED_IP_MESSAGE = "Blocked: resolves to private/internal/special-use IP address";

/** Resolves a host name to every address it has (node's `lookup(host, { all: true })`). */
export type LookupFn = (hostname: string) => Promise<{ address: string; family: number }[]>;

const BLOCKED_HOSTNAMES = new Set(["localhost", "localhost.localdomain", "metadata.google.internal"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers web_fetch itself sends; operator headers are dropped when a redirect changes origin. */
const FETCH_OWNED_HEADERS = new Set(["accept", "user-agent", "accept-language", "accept-encoding"]);

/** A URL host as policies compare it: lower case, no brackets, no trailing dot. */
export function normalizeHostname(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.+$/, "");
}

function matchesPattern(hostname: string, pattern: string): boolean {
  const normalized = normalizeHostname(pattern);
  if (normalized.startsWith("*.")) {
    const suffix = normalized.slice(2);
    return suffix !== "" && hostname !== suffix && hostname.endsWith(`.${suffix}`);
  }
  return hostname === normalized;
}

function isBlockedName(hostname: string): boolean {
  return BLOCKED_HOSTNAMES.has(hostname) || hostname.endsWith(".localhost") || hostname.endsWith(".local") ||
    hostname.endsWith(".internal");
}

function isLoopback(address: string): boolean {
  const v6 = parseIpv6(address);
  const v4 = parseIpv4(address) ?? (v6 ? embeddedIpv4(v6) : undefined);
  if (v6 && v6.every((word, i) => word === (i === 7 ? 1 : 0))) return true;
  return v4 !== undefined && v4[0] === 127;
}

/**
 * Checks one host before any connection: blocklist, name and literal rules, then each resolved
 * address. Returns the addresses the connection may use.
 */
export async function checkHost(
  rawHostname: string,
  policy: WebFetchSsrfPolicy,
  lookup: LookupFn,
): Promise<PinnedAddress[]> {
  const hostname = normalizeHostname(rawHostname);
  if (!hostname) throw new ToolError("Invalid hostname");
  if (policy.blockedHostnames.some((pattern) => matchesPattern(hostname, pattern))) {
    throw new SsrfBlockedError(
      `Domain policy: Blocked hostname (configured blocklist): ${rawHostname}. Try a URL on a different domain or ask the operator to review blockedHostnames.`,
    );
  }
  const privateAllowed = policy.dangerouslyAllowPrivateNetwork;
  const skip = privateAllowed || policy.allowedHostnames.some((name) => normalizeHostname(name) === hostname);
  if (!skip && (isBlockedName(hostname) || blockedAddressReason(hostname, policy))) {
    throw new SsrfBlockedError(BLOCKED_HOST_OR_IP_MESSAGE);
  }
  const literal = parseIpv4(hostname) || parseIpv6(hostname);
  const results: PinnedAddress[] = literal
    ? [{ address: hostname, family: hostname.includes(":") ? 6 : 4 }]
    : await lookup(hostname);
  if (results.length === 0) throw new ToolError(`Unable to resolve hostname: ${rawHostname}`);
  if (!skip) {
    if (results.some(({ address }) => blockedAddressReason(address, policy))) {
      throw new SsrfBlockedError(BLOCKED_RESOLVED_IP_MESSAGE);
    }
    return results;
  }
  if (privateAllowed) return results;
  // An exact allowedHostnames entry lifts the private-range check, but never onto metadata,
  // link-local or unspecified addresses, nor loopback unless the name itself says loopback.
  const explicitLoopback = hostname === "localhost" || hostname.endsWith(".localhost") || isLoopback(hostname);
  for (const { address } of results) {
    const reason = blockedAddressReason(address);
    if (
      reason === "unspecified" || reason === "linkLocal" || isCloudMetadata(address) ||
      (!explicitLoopback && isLoopback(address))
    ) {
      throw new SsrfBlockedError(BLOCKED_RESOLVED_IP_MESSAGE);
    }
  }
  return results;
}

/** What {@link guardedFetch} needs. */
export interface GuardedFetchOptions {
  url: string;
  policy: WebFetchSsrfPolicy;
  maxRedirects: number;
  headers: Record<string, string>;
  /** Aborts the exchange (the call's signal combined with the deadline). */
  signal: AbortSignal;
  lookup: LookupFn;
  /** A caller's host allowlist, checked on every hop: a redirect cannot leave it. */
  hostAllowed?: ((hostname: string) => boolean) | undefined;
}

/** GETs `url`, following redirects by hand and checking every hop; the caller reads the body. */
export async function guardedFetch(options: GuardedFetchOptions): Promise<{ response: Response; finalUrl: string }> {
  let current = new URL(options.url);
  let headers = { ...options.headers };
  const visited = new Set([current.href]);
  for (let redirects = 0;; redirects++) {
    if (current.protocol !== "http:" && current.protocol !== "https:") {
      throw new ToolError("Invalid URL: must be http or https");
    }
    // user:password@ would go out as Basic auth and come back in finalUrl: refused, as fetch's
    // Request refuses it (on a redirect hop too).
    if (current.username || current.password) {
      throw new ToolError("Invalid URL: credentials (user:password@) are not allowed");
    }
    if (options.hostAllowed && !options.hostAllowed(current.hostname)) {
      throw new SsrfBlockedError(`Domain policy: Blocked hostname (not in allowlist): ${current.hostname}`);
    }
    const addresses = await checkHost(current.hostname, options.policy, options.lookup);
    options.signal.throwIfAborted();
    const response = await pinnedFetch(current, { headers, signal: options.signal, addresses });
    if (!REDIRECT_STATUSES.has(response.status)) return { response, finalUrl: current.href };
    await response.body?.cancel();
    if (redirects + 1 > options.maxRedirects) {
      throw new ToolError(`Too many redirects (limit: ${options.maxRedirects})`);
    }
    const location = response.headers.get("location");
    if (!location) throw new ToolError(`Redirect missing location header (${response.status})`);
    const next = new URL(location, current);
    if (visited.has(next.href)) throw new ToolError("Redirect loop detected");
    visited.add(next.href);
    if (next.origin !== current.origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) => FETCH_OWNED_HEADERS.has(name.toLowerCase())),
      );
    }
    current = next;
  }
}

/** Reads at most `maxBytes` of a body as text (the response's charset, else UTF-8). */
export async function readBounded(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean; bytesRead: number }> {
  const charset = /charset=([^;]+)/i.exec(response.headers.get("content-type") ?? "")?.[1]?.trim().replace(/"/g, "");
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset || "utf-8");
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  if (!response.body) return { text: "", truncated: false, bytesRead: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytesRead = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytesRead;
    chunks.push(value.length > room ? value.subarray(0, room) : value);
    bytesRead += Math.min(value.length, room);
    if (value.length >= room && (value.length > room || bytesRead >= maxBytes)) {
      truncated = value.length > room || !(await reader.read()).done;
      break;
    }
  }
  await reader.cancel().catch(() => {});
  const all = new Uint8Array(bytesRead);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return { text: decoder.decode(all), truncated, bytesRead };
}
