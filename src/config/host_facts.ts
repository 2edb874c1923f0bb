import type { HostFacts } from "./resolve.ts";

/** Looks at the host once: container markers and a Tailscale (100.64.0.0/10) address. */
export function detectHostFacts(): HostFacts {
  return { inContainer: detectContainer(), tailnetAddress: detectTailnetAddress() };
}

function detectContainer(): boolean {
  for (const marker of ["/.dockerenv", "/run/.containerenv"]) {
    try {
      Deno.statSync(marker);
      return true;
    } catch {
      // not this marker
    }
  }
  return false;
}

function detectTailnetAddress(): string | undefined {
  try {
    for (const nic of Deno.networkInterfaces()) {
      if (nic.family !== "IPv4") continue;
      const [a, b] = nic.address.split(".").map(Number);
      if (a === 100 && b !== undefined && b >= 64 && b <= 127) return nic.address;
    }
  } catch {
    // Without --allow-sys or on an odd platform there is simply no tailnet address.
  }
  return undefined;
}

/** The host's IPv4 addresses off loopback, in interface order (none without `--allow-sys`). */
export function externalIpv4Addresses(): string[] {
  try {
    return Deno.networkInterfaces().filter((nic) => nic.family === "IPv4" && !nic.address.startsWith("127.")).map((
      nic,
    ) => nic.address);
  } catch {
    return [];
  }
}
