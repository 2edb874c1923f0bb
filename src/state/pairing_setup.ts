// What a setup code carries, decided as the reference decides it for `openclaw qr` and the gateway's
// `device.pair.setupCode`: the auth label, the gateway URL a phone should dial (and where it came
// from), and whether a full-access code must be downgraded because the URL is plain ws:// off
// loopback; and the code's encoding both ways. Pure: the caller issues the token.
import {
  type BootstrapProfile,
  FULL_SETUP_PROFILE,
  LIMITED_SETUP_PROFILE,
  profilesEqual,
} from "./bootstrap_profile.ts";

/** The config facts the setup code depends on (credentials already resolved). */
export interface QrSetupInput {
  authMode?: string | undefined;
  token?: string | undefined;
  password?: string | undefined;
  bind?: string | undefined;
  customBindHost?: string | undefined;
  tlsEnabled?: boolean | undefined;
  port: number;
  remoteUrl?: string | undefined;
  tailscaleMode?: string | undefined;
  /** `--url`, `--public-url`, the request's `publicUrl` or `plugins.entries.device-pair.config.publicUrl`. */
  publicUrl?: string | undefined;
  /** `--remote` (`preferRemoteUrl` of `device.pair.setupCode`). */
  preferRemoteUrl: boolean;
  /** The profile asked for (`--limited`, `--voice-node`, `bootstrapProfile`), else the full one. */
  profile?: BootstrapProfile | undefined;
  /** The host's external IPv4 addresses, for `gateway.bind=lan`/`tailnet`. */
  addresses: readonly string[];
}

/** The setup decided, or the reference's one-line refusal. */
export type QrSetup =
  | {
    ok: true;
    url: string;
    urlSource: string;
    authLabel: string;
    profile: BootstrapProfile;
    accessDowngraded: boolean;
  }
  | { ok: false; error: string };

function authLabel(input: QrSetupInput): { label: string } | { error: string } {
  const { authMode: mode, token, password } = input;
  if (mode === "password") {
    return password
      ? { label: "password" }
      : { error: "Gateway auth is set to password, but no password is configured." };
  }
  if (mode === "token") {
    return token ? { label: "token" } : { error: "Gateway auth is set to token, but no token is configured." };
  }
  if (token) return { label: "token" };
  if (password) return { label: "password" };
  if (mode === "trusted-proxy") return { label: "trusted-proxy" };
  if (mode === "none") {
    return { error: `Pairing setup requires gateway.auth.mode "token" or "password"; current mode is "${mode}".` };
  }
  return { error: "Gateway auth is not configured (no token or password)." };
}

function hostOf(hostname: string): string {
  let host = hostname.toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  if (host.endsWith(".")) host = host.slice(0, -1);
  const zone = host.indexOf("%");
  return zone >= 0 ? host.slice(0, zone) : host;
}

function ipv4(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = hostOf(host);
  if (h === "localhost" || h === "::1") return true;
  return ipv4(h)?.[0] === 127;
}

/** RFC 1918, link-local, `.local`, and IPv6 link-local/ULA: where cleartext ws:// is still allowed. */
export function isPrivateLanHost(host: string): boolean {
  const h = hostOf(host);
  if (h.endsWith(".local")) return true;
  const v4 = ipv4(h);
  if (v4) {
    const [a, b] = v4 as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  return h.includes(":") && (h.startsWith("fe80:") || h.startsWith("fc") || h.startsWith("fd"));
}

function isCgnat(address: string): boolean {
  const v4 = ipv4(address);
  return v4 !== undefined && v4[0] === 100 && v4[1]! >= 64 && v4[1]! <= 127;
}

/** A gateway URL as the reference normalizes it (`ws`/`wss`, no credentials, no trailing `/`), or null. */
export function normalizeGatewayUrl(raw: string, schemeFallback: string): string | null {
  const trimmed = raw.trim();
  if (!trimmed || /^(?:https?|wss?):(?!\/\/)/i.test(trimmed)) return null;
  const parsed = parseGatewayUrl(trimmed);
  if (parsed) return parsed;
  if (trimmed.includes("://") || /^[A-Za-z][A-Za-z0-9+.-]*:\//.test(trimmed)) return null;
  const host = trimmed.split("/", 1)[0]?.trim() ?? "";
  return host ? parseGatewayUrl(`${schemeFallback}://${host}`) : null;
}

function parseGatewayUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  const scheme = ({ "ws:": "ws", "wss:": "wss", "http:": "ws", "https:": "wss" } as Record<string, string>)[
    url.protocol.toLowerCase()
  ];
  if (!scheme || !url.hostname) return null;
  return `${scheme}://${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname === "/" ? "" : url.pathname}`;
}

function gatewayUrl(input: QrSetupInput): { url: string; source: string } | { error: string } {
  const scheme = input.tlsEnabled ? "wss" : "ws";
  if (input.publicUrl?.trim()) {
    const url = normalizeGatewayUrl(input.publicUrl, scheme);
    return url
      ? { url, source: "plugins.entries.device-pair.config.publicUrl" }
      : { error: "Configured publicUrl is invalid." };
  }
  const hasRemote = Boolean(input.remoteUrl?.trim());
  const remote = hasRemote ? normalizeGatewayUrl(input.remoteUrl!, scheme) : null;
  if (hasRemote && !remote) return { error: "Configured gateway.remote.url is invalid." };
  if (input.preferRemoteUrl && remote) return { url: remote, source: "gateway.remote.url" };
  const tailscale = input.tailscaleMode ?? "off";
  if (tailscale === "serve" || tailscale === "funnel") {
    // This gateway does not ask the tailscale CLI for the MagicDNS name (see docs/compatibility.md).
    return { error: "Tailscale Serve is enabled, but MagicDNS could not be resolved." };
  }
  if (remote) return { url: remote, source: "gateway.remote.url" };
  const bind = input.bind ?? "loopback";
  if (bind === "custom") {
    const host = input.customBindHost?.trim();
    return host
      ? { url: `${scheme}://${host}:${input.port}`, source: "gateway.bind=custom" }
      : { error: "gateway.bind=custom requires gateway.customBindHost." };
  }
  if (bind === "tailnet") {
    const host = input.addresses.find(isCgnat);
    return host
      ? { url: `${scheme}://${host}:${input.port}`, source: "gateway.bind=tailnet" }
      : { error: "gateway.bind=tailnet set, but no tailnet IP was found." };
  }
  if (bind === "lan") {
    const host = input.addresses.find((a) => ipv4(a) !== undefined && isPrivateLanHost(a) && !a.startsWith("169.254."));
    return host
      ? { url: `${scheme}://${host}:${input.port}`, source: "gateway.bind=lan" }
      : { error: "gateway.bind=lan set, but no private LAN IP was found." };
  }
  return {
    error:
      "Gateway is only bound to loopback. Set gateway.bind=lan, enable tailscale serve, or configure plugins.entries.device-pair.config.publicUrl.",
  };
}

function mobileUrlProblem(url: string, source: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "Resolved mobile pairing URL is invalid.";
  }
  if (parsed.protocol === "wss:") return null;
  const host = hostOf(parsed.hostname);
  if (parsed.protocol === "ws:" && (isLoopbackHost(host) || host === "10.0.2.2" || isPrivateLanHost(host))) return null;
  return "Tailscale and public mobile pairing require a secure gateway URL (wss://) or Tailscale Serve/Funnel." +
    ` Resolved source: ${source}.` +
    " Fix: use a private LAN address, prefer gateway.tailscale.mode=serve, or set gateway.remote.url / plugins.entries.device-pair.config.publicUrl to a wss:// URL. ws:// is only valid for localhost, private LAN addresses, .local hosts, or the Android emulator.";
}

function fullAccessUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "wss:" || (parsed.protocol === "ws:" && isLoopbackHost(parsed.hostname));
  } catch {
    return false;
  }
}

/** Decides the setup code's URL, auth label and profile, in the reference's order of checks. */
export function resolveQrSetup(input: QrSetupInput): QrSetup {
  const auth = authLabel(input);
  if ("error" in auth) return { ok: false, error: auth.error };
  const resolved = gatewayUrl(input);
  if ("error" in resolved) return { ok: false, error: resolved.error };
  const problem = mobileUrlProblem(resolved.url, resolved.source);
  if (problem) return { ok: false, error: problem };
  const requested = input.profile ?? FULL_SETUP_PROFILE;
  const accessDowngraded = profilesEqual(requested, FULL_SETUP_PROFILE) && !fullAccessUrl(resolved.url);
  return {
    ok: true,
    url: resolved.url,
    urlSource: resolved.source,
    authLabel: auth.label,
    profile: accessDowngraded ? LIMITED_SETUP_PROFILE : requested,
    accessDowngraded,
  };
}

/** The setup code: the payload's JSON as base64url without padding. */
export function encodeSetupCode(payload: { url: string; bootstrapToken: string; expiresAtMs: number }): string {
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The setup payload a setup code and a join code carry. */
export interface SetupPayload {
  url: string;
  bootstrapToken: string;
  expiresAtMs: number;
}

/**
 * A stored setup payload checked as the reference decodes one: a normalized gateway URL, a token and
 * an expiry still ahead of `now`; undefined for anything else (a join code that lapsed reads as gone).
 */
export function parseSetupPayload(value: unknown, now: number): SetupPayload | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { url, bootstrapToken, expiresAtMs } = value as Record<string, unknown>;
  if (typeof url !== "string" || normalizeGatewayUrl(url, "ws") !== url) return undefined;
  if (typeof bootstrapToken !== "string" || !bootstrapToken.trim()) return undefined;
  if (typeof expiresAtMs !== "number" || !Number.isSafeInteger(expiresAtMs) || expiresAtMs <= now) return undefined;
  return { url, bootstrapToken: bootstrapToken.trim(), expiresAtMs };
}

/**
 * Where join URLs for `gatewayUrl` live (`<base>/j/<shortcode>`): its URL as https for wss://, or plain
 * http for ws:// on loopback only, path kept without its trailing slashes; undefined for a plain ws://
 * URL off loopback, which the reference will not put behind a join URL.
 */
export function joinUrlBase(gatewayUrl: string): string | undefined {
  const parsed = new URL(gatewayUrl);
  let scheme: string;
  if (parsed.protocol === "wss:") scheme = "https:";
  else if (parsed.protocol === "ws:" && isLoopbackHost(parsed.hostname)) scheme = "http:";
  else return undefined;
  return `${scheme}//${parsed.host}${parsed.pathname.replace(/\/+$/u, "")}`;
}
