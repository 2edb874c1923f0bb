/**
 * Whether a WebSocket upgrade may proceed given its `Origin`. Non-browser clients send none and
 * are judged by their credentials alone. A browser page may connect only from the gateway's own
 * origin (same host and port it reached) or from an origin listed in
 * `gateway.controlUi.allowedOrigins`: another site open in the same browser must not be able to
 * drive the gateway (cross-site WebSocket hijacking).
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
  return input.host !== null && origin.host.toLowerCase() === input.host.trim().toLowerCase();
}
