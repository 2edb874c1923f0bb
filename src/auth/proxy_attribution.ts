import { isLoopbackHost } from "../config/resolve.ts";
import { attributeClient } from "./proxy_trust.ts";

/** How often one source is warned about unattributable proxy traffic, at most. */
const WARN_EVERY_MS = 60_000;
/** Sources remembered for that; past it the memory starts over rather than grow. */
const WARNED_MAX = 1000;

/** The reference's refusal for proxied requests from an untrusted source. */
export function proxyAttributionRequired(): Response {
  return Response.json({
    error: {
      message:
        "Proxy client attribution is required. Configure gateway.trustedProxies narrowly and make the proxy overwrite or safely rebuild forwarded client headers.",
      type: "proxy_attribution_required",
    },
  }, { status: 403 });
}

/** A loopback peer that sent no proxy headers: the only caller whose device pairs without approval. */
export function directLoopback(headers: Headers, socketAddr: string): boolean {
  const proxied = ["forwarded", "x-forwarded-for", "x-real-ip"].some((h) => headers.has(h));
  return isLoopbackHost(socketAddr) && !proxied;
}

/**
 * Whether `source` is due a warning at `now`, recording it when so: once a minute per source,
 * because a flood of proxied requests must not become a flood of log lines.
 */
export function warningDue(warnedAt: Map<string, number>, source: string, now: number): boolean {
  if (now - (warnedAt.get(source) ?? 0) <= WARN_EVERY_MS) return false;
  if (warnedAt.size > WARNED_MAX) warnedAt.clear();
  warnedAt.set(source, now);
  return true;
}

/**
 * The client address of a request, or undefined when it carries proxy headers from a source not
 * in `trustedProxies`; such a source is warned about through `warn`, at most once a minute.
 */
export function attributeRequest(input: {
  headers: Headers;
  remoteAddr: string;
  trustedProxies: readonly string[];
  allowRealIpFallback: boolean;
  /** When each source was last warned about; the caller keeps it across requests. */
  warnedAt: Map<string, number>;
  warn(message: string): void;
}): string | undefined {
  const { remoteAddr } = input;
  const result = attributeClient({
    headers: input.headers,
    remoteAddr,
    trustedProxies: input.trustedProxies,
    allowRealIpFallback: input.allowRealIpFallback,
  });
  if (result.ok) return result.address;
  if (warningDue(input.warnedAt, remoteAddr, Date.now())) {
    input.warn(
      `observed unattributable proxy-shaped traffic from ${remoteAddr}; configure gateway.trustedProxies narrowly to allow it`,
    );
  }
  return undefined;
}
