// Which addresses web_fetch may not reach, as a table (the reference's special-use ranges): IPv4
// loopback, private, link-local, CGNAT, multicast, reserved, benchmarking; IPv6 loopback, ULA,
// link-local, site-local, multicast, documentation, NAT64 local use; and an IPv4 address embedded
// in an IPv6 one (mapped `::ffff:a.b.c.d`, NAT64, 6to4, Teredo, compatible) is judged as IPv4.

/** Opt-ins that narrow the blocked ranges (`tools.web.fetch.ssrfPolicy`). */
export interface RangeOptions {
  allowRfc2544BenchmarkRange?: boolean | undefined;
  allowIpv6UniqueLocalRange?: boolean | undefined;
}

/** Parses dotted-decimal IPv4 (four decimal parts, no leading zeros beyond "0"). */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const octets = parts.map((part) => /^(0|[1-9]\d{0,2})$/.test(part) ? Number(part) : NaN);
  return octets.every((octet) => octet >= 0 && octet <= 255) ? octets : undefined;
}

/** Parses IPv6 text (with `::`, an IPv4 tail, brackets or a zone) into eight 16-bit groups. */
export function parseIpv6(text: string): number[] | undefined {
  let value = (text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text).replace(/%.*$/, "");
  if (!value.includes(":")) return undefined;
  let tail: number[] = [];
  const lastColon = value.lastIndexOf(":");
  if (value.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(value.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    value = value.slice(0, lastColon + 1);
    if (!value.endsWith("::")) value = value.slice(0, -1);
  }
  const halves = value.split("::");
  if (halves.length > 2) return undefined;
  const group = (part: string) => part === "" ? [] : part.split(":");
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const fill: string[] = halves.length === 2 ? Array(8 - explicit).fill("0") : [];
  const words = [...head, ...fill, ...rest].map((word) => /^[0-9a-f]{1,4}$/i.test(word) ? parseInt(word, 16) : NaN);
  const all = [...words, ...tail];
  return all.every((word) => Number.isInteger(word)) ? all : undefined;
}

function inV4(octets: number[], base: [number, number, number, number], bits: number): boolean {
  const value = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const start = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((value & mask) >>> 0) === ((start & mask) >>> 0);
}

function inV6(words: number[], base: number[], bits: number): boolean {
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((words[i]! & mask) !== ((base[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** IPv4 ranges web_fetch refuses (name, base, prefix length). */
const BLOCKED_V4: [string, [number, number, number, number], number][] = [
  ["unspecified", [0, 0, 0, 0], 8],
  ["loopback", [127, 0, 0, 0], 8],
  ["private", [10, 0, 0, 0], 8],
  ["private", [172, 16, 0, 0], 12],
  ["private", [192, 168, 0, 0], 16],
  ["linkLocal", [169, 254, 0, 0], 16],
  ["carrierGradeNat", [100, 64, 0, 0], 10],
  ["multicast", [224, 0, 0, 0], 4],
  ["broadcast", [255, 255, 255, 255], 32],
  ["reserved", [192, 0, 0, 0], 24],
  ["reserved", [192, 0, 2, 0], 24],
  ["reserved", [192, 88, 99, 0], 24],
  ["reserved", [198, 51, 100, 0], 24],
  ["reserved", [203, 0, 113, 0], 24],
  ["reserved", [240, 0, 0, 0], 4],
];

/** The range name a blocked IPv4 address falls in, or undefined when it is public. */
export function blockedIpv4Range(octets: number[], options: RangeOptions = {}): string | undefined {
  if (inV4(octets, [198, 18, 0, 0], 15)) return options.allowRfc2544BenchmarkRange ? undefined : "benchmarking";
  return BLOCKED_V4.find(([, base, bits]) => inV4(octets, base, bits))?.[0];
}

/** IPv6 ranges in first-match order; `null` marks ranges that are not blocked themselves. */
const V6_RANGES: [string | null, number[], number][] = [
  ["unspecified", [0, 0, 0, 0, 0, 0, 0, 0], 128],
  ["loopback", [0, 0, 0, 0, 0, 0, 0, 1], 128],
  ["linkLocal", [0xfe80], 10],
  ["siteLocal", [0xfec0], 10],
  ["multicast", [0xff00], 8],
  ["uniqueLocal", [0xfc00], 7],
  ["nat64LocalUse", [0x64, 0xff9b, 1], 48],
  ["discard", [0x100, 0, 0, 0], 64],
  [null, [0x2001, 0], 32], // Teredo: judged by its embedded address
  ["benchmarking", [0x2001, 2, 0], 48],
  [null, [0x2001, 3], 32], // AMT
  [null, [0x2001, 4, 0x112], 48], // AS112
  [null, [0x2001, 0x10], 28], // deprecated ORCHID
  ["orchid2", [0x2001, 0x20], 28],
  [null, [0x2001, 0x30], 28], // DRIP
  ["reserved", [0x2001, 0xdb8], 32],
  ["reserved", [0x2001, 0], 23],
];

/** The IPv4 address an IPv6 address carries (mapped, translated, NAT64, 6to4, Teredo, compatible, ISATAP). */
export function embeddedIpv4(words: number[]): number[] | undefined {
  const v4 = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff];
  const zeros = (count: number) => words.slice(0, count).every((word) => word === 0);
  if (zeros(5) && words[5] === 0xffff) return v4(words[6]!, words[7]!); // ::ffff:a.b.c.d
  if (zeros(4) && words[4] === 0xffff && words[5] === 0) return v4(words[6]!, words[7]!); // ::ffff:0:a.b.c.d
  if (inV6(words, [0x64, 0xff9b, 0, 0, 0, 0], 96)) return v4(words[6]!, words[7]!); // NAT64
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!); // 6to4
  if (inV6(words, [0x2001, 0], 32)) return v4(words[6]! ^ 0xffff, words[7]! ^ 0xffff); // Teredo
  if (zeros(6)) return v4(words[6]!, words[7]!); // IPv4-compatible
  if ((words[4]! & 0xfcff) === 0 && words[5] === 0x5efe) return v4(words[6]!, words[7]!); // ISATAP
  return undefined;
}

/** The range name a blocked IPv6 address falls in (its own or its embedded IPv4's), or undefined. */
export function blockedIpv6Range(words: number[], options: RangeOptions = {}): string | undefined {
  const own = V6_RANGES.find(([, base, bits]) => inV6(words, base, bits));
  if (own?.[0] === "uniqueLocal" && options.allowIpv6UniqueLocalRange) return undefined;
  if (own?.[0]) return own[0];
  // Only the unspecified and loopback addresses are skipped as "compatible": they matched above.
  const embedded = embeddedIpv4(words);
  return embedded ? blockedIpv4Range(embedded, options) : undefined;
}

/** The cloud metadata addresses (Alibaba's 100.100.100.200 and AWS's IPv6 one), blocked in every mode. */
export function isCloudMetadata(address: string): boolean {
  const v6 = parseIpv6(address);
  const v4 = parseIpv4(address) ?? (v6 ? embeddedIpv4(v6) : undefined);
  if (v4 && (v4.join(".") === "100.100.100.200" || v4.join(".") === "169.254.169.254")) return true;
  return v6 !== undefined && inV6(v6, [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254], 128);
}

/**
 * Why an IP literal may not be fetched, or undefined when it may: the range it is in. Text that
 * looks like an address but does not parse cleanly (octal, hex, short forms) is refused as such.
 */
export function blockedAddressReason(address: string, options: RangeOptions = {}): string | undefined {
  const v4 = parseIpv4(address);
  if (v4) return blockedIpv4Range(v4, options);
  const v6 = parseIpv6(address);
  if (v6) return blockedIpv6Range(v6, options);
  if (address.includes(":")) return "unparsable";
  const parts = address.split(".");
  if (parts.length <= 4 && parts.every((part) => /^(0x[0-9a-f]*|[0-9]+)$/i.test(part))) return "legacyIpv4Literal";
  return undefined;
}
