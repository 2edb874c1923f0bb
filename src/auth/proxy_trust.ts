function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function ipv6ToBigInt(ip: string): bigint | undefined {
  const clean = ip.replace(/^\[|\]$/g, "").toLowerCase();
  if (!clean.includes(":")) return undefined;
  const [head, tail] = clean.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const left = groups(head);
  const right = groups(tail);
  if (tail === undefined && left.length !== 8) return undefined;
  const all = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as plain IPv4. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/** True when `ip` is inside `cidr` (`10.0.0.0/8`, `fd00::/8`) or equal to a bare address. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.trim().split("/");
  const address = normalizeIp(ip);
  const network = normalizeIp(base ?? "");
  const v4 = ipv4ToInt(address);
  const net4 = ipv4ToInt(network);
  if (v4 !== undefined && net4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return ((v4 & mask) >>> 0) === ((net4 & mask) >>> 0);
  }
  const v6 = ipv6ToBigInt(address);
  const net6 = ipv6ToBigInt(network);
  if (v6 === undefined || net6 === undefined) return false;
  const bits = bitsText === undefined ? 128 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 128) return false;
  const shift = BigInt(128 - bits);
  return (v6 >> shift) === (net6 >> shift);
}

/** The outcome of attributing a request to a client address. */
export type Attribution = { ok: true; address: string; viaProxy: boolean } | { ok: false };

const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip"];

/**
 * Decides who a request comes from. Loopback is not an identity: a request carrying proxy
 * headers is only believed when it arrives from `gateway.trustedProxies`; from anywhere else it
 * is refused, so a local reverse proxy cannot make remote traffic look local. From a trusted
 * proxy, the client is the right-most X-Forwarded-For hop that is not itself a trusted proxy.
 */
export function attributeClient(input: {
  headers: Headers;
  remoteAddr: string;
  trustedProxies: readonly string[];
  allowRealIpFallback: boolean;
}): Attribution {
  const proxied = PROXY_HEADERS.some((h) => input.headers.has(h));
  if (!proxied) return { ok: true, address: input.remoteAddr, viaProxy: false };
  const trusted = (ip: string) => input.trustedProxies.some((cidr) => ipInCidr(ip, cidr));
  if (!trusted(input.remoteAddr)) return { ok: false };
  const hops = (input.headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted(hops[i]!)) return { ok: true, address: normalizeIp(hops[i]!), viaProxy: true };
  }
  const realIp = input.headers.get("x-real-ip")?.trim();
  if (input.allowRealIpFallback && realIp) return { ok: true, address: normalizeIp(realIp), viaProxy: true };
  return { ok: true, address: input.remoteAddr, viaProxy: true };
}
