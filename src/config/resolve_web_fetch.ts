// `tools.web.fetch.*` after the reference's defaults and clamps (its docs: tools/web-fetch.md).
import { objectOrEmpty } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** The reference's Chrome-like default User-Agent for web_fetch. */
export const DEFAULT_FETCH_USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36";

/** `tools.web.fetch.ssrfPolicy`: which private or internal targets web_fetch may reach anyway. */
export interface WebFetchSsrfPolicy {
  dangerouslyAllowPrivateNetwork: boolean;
  allowedHostnames: string[];
  blockedHostnames: string[];
  allowRfc2544BenchmarkRange: boolean;
  allowIpv6UniqueLocalRange: boolean;
}

/** `tools.web.fetch` after defaults. */
export interface ResolvedWebFetch {
  enabled: boolean;
  /** Default output characters (`maxChars`, 20000), clamped to `maxCharsCap`. */
  maxChars: number;
  maxCharsCap: number;
  /** Body bytes read before truncation (750000, clamped to 32000..10000000). */
  maxResponseBytes: number;
  timeoutSeconds: number;
  maxRedirects: number;
  userAgent: string;
  /** Operator headers sent with the first request (`tools.web.fetch.headers`). */
  headers: Record<string, string>;
  ssrfPolicy: WebFetchSsrfPolicy;
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

/** `tools.web.fetch` as the reference resolves it: defaults, then its clamps. */
export function resolveWebFetch(config: RawConfig): ResolvedWebFetch {
  const fetch = objectOrEmpty(objectOrEmpty(objectOrEmpty(config.tools).web).fetch);
  const ssrf = objectOrEmpty(fetch.ssrfPolicy);
  const maxCharsCap = Math.max(100, Math.floor(finite(fetch.maxCharsCap) ?? 20_000));
  const bytes = finite(fetch.maxResponseBytes);
  const timeout = finite(fetch.timeoutSeconds);
  return {
    enabled: fetch.enabled !== false,
    maxChars: clampChars(finite(fetch.maxChars), maxCharsCap),
    maxCharsCap,
    maxResponseBytes: bytes === undefined || bytes <= 0
      ? 750_000
      : Math.min(10_000_000, Math.max(32_000, Math.floor(bytes))),
    timeoutSeconds: timeout === undefined || timeout <= 0 ? 30 : Math.max(1, Math.floor(timeout)),
    maxRedirects: Math.max(0, Math.floor(finite(fetch.maxRedirects) ?? 3)),
    userAgent: typeof fetch.userAgent === "string" && fetch.userAgent ? fetch.userAgent : DEFAULT_FETCH_USER_AGENT,
    headers: usableHeaders(objectOrEmpty(fetch.headers)),
    ssrfPolicy: {
      dangerouslyAllowPrivateNetwork: ssrf.dangerouslyAllowPrivateNetwork === true,
      allowedHostnames: strings(ssrf.allowedHostnames),
      blockedHostnames: strings(ssrf.blockedHostnames),
      allowRfc2544BenchmarkRange: ssrf.allowRfc2544BenchmarkRange === true,
      allowIpv6UniqueLocalRange: ssrf.allowIpv6UniqueLocalRange === true,
    },
  };
}

/** Headers web_fetch owns or a request cannot frame: an operator entry naming one is dropped, as the reference drops it. */
const RESERVED_HEADERS = new Set([
  "accept",
  "accept-language",
  "user-agent",
  "sec-fetch-mode",
  "connection",
  "content-length",
  "expect",
  "host",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** A header value a request can carry: no CR, LF or NUL, nothing above U+00FF. */
function carriable(value: string): boolean {
  return [...value].every((char) => char !== "\r" && char !== "\n" && char !== "\0" && char.charCodeAt(0) <= 0xff);
}

/** `tools.web.fetch.headers` minus reserved names, names that are not HTTP tokens and values a request cannot carry. */
function usableHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out = new Map<string, [string, string]>();
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.trim();
    // Two names differing only in case collapse to the later entry.
    out.delete(name.toLowerCase());
    if (typeof value !== "string" || RESERVED_HEADERS.has(name.toLowerCase())) continue;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || !carriable(value)) continue;
    out.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries([...out.values()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** A maxChars request (the call's or the config's) clamped as the reference clamps it: 100..cap. */
export function clampChars(value: number | undefined, cap: number): number {
  return Math.min(Math.max(100, Math.floor(value ?? 20_000)), cap);
}
