// A client's media URL (`image_url` with images.allowUrl, `input_image`/`input_file` URL sources),
// fetched for it as the reference fetches it: through the SSRF guard web_fetch uses (private,
// loopback and metadata addresses refused, every redirect hop checked again, pinned addresses),
// the host allowlist, a redirect bound, one deadline and a byte cap enforced while reading.
import { lookup as dnsLookup } from "node:dns/promises";
import { guardedFetch, type LookupFn, normalizeHostname } from "../agent/web_fetch_guard.ts";
import type { WebFetchSsrfPolicy } from "../config/resolve_web_fetch.ts";
import type { MediaSourceLimits } from "../config/resolve_http_media.ts";
import { MediaInputError } from "./media_input_error.ts";

/** The policy every client URL is fetched under: no private network, no exceptions. */
const CLIENT_URL_POLICY: WebFetchSsrfPolicy = {
  dangerouslyAllowPrivateNetwork: false,
  allowedHostnames: [],
  blockedHostnames: [],
  allowRfc2544BenchmarkRange: false,
  allowIpv6UniqueLocalRange: false,
};

/** What a test may replace: DNS, and the policy (to reach a loopback server). */
export interface MediaFetchHooks {
  lookup?: LookupFn | undefined;
  policy?: WebFetchSsrfPolicy | undefined;
}

async function systemLookup(hostname: string): Promise<{ address: string; family: number }[]> {
  return await dnsLookup(hostname, { all: true });
}

function allowedByList(hostname: string, list: string[] | undefined): boolean {
  if (!list) return true;
  const host = normalizeHostname(hostname);
  return list.some((entry) => {
    const pattern = normalizeHostname(entry);
    if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host !== pattern.slice(2);
    return host === pattern;
  });
}

async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) throw new MediaInputError(`Content too large: exceeds ${maxBytes} bytes`);
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

/** GETs a client's media URL under `limits`; any refusal is a {@link MediaInputError}. */
export async function fetchMediaUrl(
  url: string,
  limits: MediaSourceLimits,
  kind: string,
  signal: AbortSignal,
  hooks: MediaFetchHooks = {},
): Promise<{ bytes: Uint8Array; contentType: string | undefined }> {
  if (!limits.allowUrl) throw new MediaInputError(`${kind} URL sources are disabled by config`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MediaInputError(`${kind} URL is not a valid URL`);
  }
  if (!allowedByList(parsed.hostname, limits.urlAllowlist)) {
    throw new MediaInputError(`${kind} URL host is not in urlAllowlist: ${parsed.hostname}`);
  }
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(limits.timeoutMs)]);
  try {
    const { response } = await guardedFetch({
      url,
      policy: hooks.policy ?? CLIENT_URL_POLICY,
      maxRedirects: limits.maxRedirects,
      headers: { "User-Agent": "OpenClaw-Gateway/1.0", "Accept-Encoding": "identity" },
      signal: deadline,
      lookup: hooks.lookup ?? systemLookup,
      // Every redirect hop too, as the reference's guard checks its hostnameAllowlist per hop.
      hostAllowed: (hostname) => allowedByList(hostname, limits.urlAllowlist),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new MediaInputError(`Failed to fetch: ${response.status} ${response.statusText}`);
    }
    const declared = Number(response.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await response.body?.cancel();
      throw new MediaInputError(`Content too large: ${declared} bytes (limit: ${limits.maxBytes} bytes)`);
    }
    const bytes = await readCapped(response.body, limits.maxBytes);
    return { bytes, contentType: response.headers.get("content-type") ?? undefined };
  } catch (error) {
    if (error instanceof MediaInputError) throw error;
    signal.throwIfAborted();
    // The guard's own refusal (blocked address, too many redirects) or a network failure.
    throw new MediaInputError(`${kind} URL fetch failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
