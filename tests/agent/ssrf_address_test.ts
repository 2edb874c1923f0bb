import assert from "node:assert/strict";
import { blockedAddressReason, parseIpv6 } from "../../src/agent/ssrf_address.ts";
import { checkHost, SsrfBlockedError } from "../../src/agent/web_fetch_guard.ts";
import { resolveWebFetch } from "../../src/config/resolve_web_fetch.ts";

Deno.test("IPv6 text parses with ::, an IPv4 tail, brackets and zones", () => {
  assert.deepEqual(parseIpv6("::1"), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6("[::ffff:127.0.0.1]"), [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
  assert.deepEqual(parseIpv6("fe80::1%eth0"), [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6("2001:db8:0:0:0:0:2:1"), [0x2001, 0xdb8, 0, 0, 0, 0, 2, 1]);
  assert.equal(parseIpv6("1::2::3"), undefined);
  assert.equal(parseIpv6("12345::"), undefined);
  assert.equal(parseIpv6("1:2:3:4:5:6:7"), undefined);
});

Deno.test("loopback, private, link-local, CGNAT, metadata and reserved IPv4 ranges are blocked; public ones are not", () => {
  const blocked: [string, string][] = [
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.100.100.200", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["192.0.2.1", "reserved"],
    ["240.0.0.1", "reserved"],
    ["198.18.0.1", "benchmarking"],
  ];
  for (const [address, range] of blocked) assert.equal(blockedAddressReason(address), range, address);
  for (const address of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "1.1.1.1"]) {
    assert.equal(blockedAddressReason(address), undefined, address);
  }
  assert.equal(blockedAddressReason("198.18.0.1", { allowRfc2544BenchmarkRange: true }), undefined);
});

Deno.test("IPv6 special-use ranges and IPv4 embedded in IPv6 are blocked", () => {
  const blocked: [string, string][] = [
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fec0::1", "siteLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["64:ff9b:1::1", "nat64LocalUse"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["64:ff9b::10.0.0.1", "private"],
    ["2002:c0a8:0101::1", "private"],
    ["::127.0.0.1", "loopback"],
  ];
  for (const [address, range] of blocked) assert.equal(blockedAddressReason(address), range, address);
  for (const address of ["2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8"]) {
    assert.equal(blockedAddressReason(address), undefined, address);
  }
  assert.equal(blockedAddressReason("fd00::1", { allowIpv6UniqueLocalRange: true }), undefined);
  // Forms a URL parser would not produce are refused as such.
  assert.equal(blockedAddressReason("0x7f.1"), "legacyIpv4Literal");
  assert.equal(blockedAddressReason("017700000001"), "legacyIpv4Literal");
});

const noDns = () => Promise.reject(new Error("no DNS in this test"));

Deno.test("host checks refuse blocked names and literals before any lookup, with the reference's messages", async () => {
  const policy = resolveWebFetch({}).ssrfPolicy;
  for (
    const host of [
      "localhost",
      "LOCALHOST.",
      "app.localhost",
      "printer.local",
      "metadata.google.internal",
      "127.0.0.1",
      "[::1]",
    ]
  ) {
    await assert.rejects(
      checkHost(host, policy, noDns),
      (e: Error) =>
        e instanceof SsrfBlockedError && e.message === "Blocked hostname or private/internal/special-use IP address",
      host,
    );
  }
});

Deno.test("a name that resolves to any private address is refused; all-public answers pass", async () => {
  const policy = resolveWebFetch({}).ssrfPolicy;
  const answers = (...addresses: string[]) => () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));
  await assert.rejects(
    checkHost("rebind.example", policy, answers("93.184.216.34", "10.0.0.5")),
    (e: Error) =>
      e instanceof SsrfBlockedError && e.message === "Blocked: resolves to private/internal/special-use IP address",
  );
  await assert.rejects(checkHost("v6.example", policy, answers("::ffff:127.0.0.1")), SsrfBlockedError);
  await checkHost("public.example", policy, answers("93.184.216.34", "2606:4700:4700::1111"));
  await assert.rejects(checkHost("none.example", policy, answers()), /Unable to resolve hostname: none\.example/);
});

Deno.test("ssrfPolicy: private network opt-in, exact allowed host names, and the blocklist that wins over both", async () => {
  const open = resolveWebFetch({ tools: { web: { fetch: { ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } } } } });
  await checkHost("127.0.0.1", open.ssrfPolicy, noDns);
  await checkHost("localhost", open.ssrfPolicy, () => Promise.resolve([{ address: "127.0.0.1", family: 4 }]));
  const allowed =
    resolveWebFetch({ tools: { web: { fetch: { ssrfPolicy: { allowedHostnames: ["intranet.example"] } } } } })
      .ssrfPolicy;
  await checkHost("intranet.example", allowed, () => Promise.resolve([{ address: "10.0.0.7", family: 4 }]));
  // An allowed name still may not land on metadata, link-local or (unless it says so) loopback.
  await assert.rejects(
    checkHost("intranet.example", allowed, () => Promise.resolve([{ address: "169.254.169.254", family: 4 }])),
    SsrfBlockedError,
  );
  await assert.rejects(
    checkHost("intranet.example", allowed, () => Promise.resolve([{ address: "127.0.0.1", family: 4 }])),
    SsrfBlockedError,
  );
  await assert.rejects(
    checkHost("other.example", allowed, () => Promise.resolve([{ address: "10.0.0.7", family: 4 }])),
    SsrfBlockedError,
  );
  const blocked = resolveWebFetch({
    tools: {
      web: { fetch: { ssrfPolicy: { dangerouslyAllowPrivateNetwork: true, blockedHostnames: ["*.ads.example"] } } },
    },
  }).ssrfPolicy;
  await assert.rejects(
    checkHost("x.ads.example", blocked, noDns),
    /^SsrFBlockedError: Domain policy: Blocked hostname \(configured blocklist\): x\.ads\.example\./,
  );
});

Deno.test("tools.web.fetch settings take the reference's defaults and clamps", () => {
  const defaults = resolveWebFetch({});
  assert.equal(defaults.enabled, true);
  assert.equal(defaults.maxChars, 20_000);
  assert.equal(defaults.maxResponseBytes, 750_000);
  assert.equal(defaults.timeoutSeconds, 30);
  assert.equal(defaults.maxRedirects, 3);
  assert.equal(defaults.ssrfPolicy.dangerouslyAllowPrivateNetwork, false);
  const clamped = resolveWebFetch({
    tools: {
      web: {
        fetch: { enabled: false, maxChars: 50_000, maxCharsCap: 30_000, maxResponseBytes: 10, timeoutSeconds: 5 },
      },
    },
  });
  assert.equal(clamped.enabled, false);
  assert.equal(clamped.maxChars, 30_000);
  assert.equal(clamped.maxResponseBytes, 32_000);
  assert.equal(clamped.timeoutSeconds, 5);
  const headers = resolveWebFetch({
    tools: {
      web: {
        fetch: {
          headers: {
            "X-Route": "a",
            "x-route": "b",
            "User-Agent": "mine",
            "Bad Name": "c",
            "X-Crlf": "a\r\nb",
            "X-Ok": "ok",
          },
        },
      },
    },
  }).headers;
  assert.deepEqual(headers, { "X-Ok": "ok", "x-route": "b" });
});
