/**
 * Whether a WebSocket upgrade may proceed given its `Origin`. Non-browser clients send none and
 * are judged by their credentials alone. A browser page may connect only from the gateway's own
 * origin (same host and port it reached, under an IP literal, localhost, .local or .ts.net name)
 * or from an origin listed in `gateway.controlUi.allowedOrigins`: another site open in the same
 * browser must not be able to drive the gateway (cross-site WebSocket hijacking, DNS rebinding).
 */
export function originAllowed(
  input: { origin: string | null; host: string | null; allowedOrigins: readonly string[] },
): boolean {
  if (input.origin === null) return true;
  if (input.origin === "null") return false;
  let origin: URL;
  try {
    origin = new URL(input.origin);
  } catch {
    return false;
  }
  const allowed = input.allowedOrigins.map((o) => o.trim().replace(/\/+$/, "").toLowerCase());
  if (allowed.includes("*") || allowed.includes(origin.origin.toLowerCase())) return true;
  if (input.host === null || origin.host.toLowerCase() !== input.host.trim().toLowerCase()) return false;
  // Same origin is only trusted for names a DNS-rebinding page cannot claim: a domain that
  // resolves to 127.0.0.1 makes Origin and Host match while the page belongs to someone else.
  return rebindingSafeHost(origin.hostname);
}

/** IP literals, `localhost`, `.local` and `.ts.net` names: hosts an attacker's DNS cannot point here. */
export function rebindingSafeHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(":")) return true;
  return name.endsWith(".local") || name.endsWith(".ts.net");
}

/**
 * Whether a browser request's `Host` may be served the Control UI: a name DNS rebinding cannot
 * claim, or the host of an origin listed in `gateway.controlUi.allowedOrigins`.
 */
export function hostAllowed(host: string | null, allowedOrigins: readonly string[]): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (rebindingSafeHost(hostname)) return true;
  return allowedOrigins.some((origin) => {
    try {
      return origin.trim() === "*" || new URL(origin.trim()).host.toLowerCase() === host.trim().toLowerCase();
    } catch {
      return false;
    }
  });
}
