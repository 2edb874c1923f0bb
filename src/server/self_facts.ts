import type { SelfFacts } from "../protocol/presence.ts";

/** Facts for the gateway's own presence entry, read from the host once per start. */
export function selfFacts(version: string): SelfFacts {
  let host = "localhost";
  let ip: string | undefined;
  let release = "";
  try {
    host = Deno.hostname();
    release = Deno.osRelease();
    ip = Deno.networkInterfaces().find((nic) => nic.family === "IPv4" && !nic.address.startsWith("127."))?.address;
  } catch {
    // Without --allow-sys the entry simply carries less detail.
  }
  const families: Record<string, string> = { linux: "Linux", darwin: "macOS", windows: "Windows" };
  return {
    host,
    ip,
    version,
    platform: `${Deno.build.os}${release ? ` ${release}` : ""}`,
    deviceFamily: families[Deno.build.os] ?? Deno.build.os,
    instanceId: crypto.randomUUID(),
  };
}
