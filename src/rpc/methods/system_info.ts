// `system.info`: the host and process facts the Control UI's system and connection pages show,
// read live from the machine on each request.
import type { EventLoopStats } from "./health.ts";
import { emptyParams, type MethodTable } from "../registry.ts";

/** Host facts as node:os reports them, gathered per request. */
export interface HostFacts {
  hostname: string;
  platform: string;
  release: string;
  arch: string;
  cpuCount: number;
  cpuModel: string | undefined;
  loadAverage: [number, number, number];
  memoryTotalBytes: number;
  memoryFreeBytes: number;
  nodeVersion: string;
  /** Total and available bytes of the file system holding each path; undefined where it cannot be read. */
  disk(path: string): { totalBytes: number; availableBytes: number } | undefined;
}

/** Dependencies of `system.info`. */
export interface SystemInfoDeps {
  host(): Promise<HostFacts>;
  port(): number;
  stateDir: string;
  processInstanceId: string;
  uptimeMs(): number;
  eventLoop(): EventLoopStats;
  /** The default agent's model, `provider/model`, when one is configured. */
  defaultModel(): string | undefined;
}

const OS_LABELS: Readonly<Record<string, string>> = { linux: "Linux", darwin: "macOS", win32: "Windows" };

/** The `system.info` payload from the gathered facts. */
export function systemInfoPayload(deps: SystemInfoDeps, host: HostFacts) {
  const memory = Deno.memoryUsage();
  const root = host.disk("/");
  const state = host.disk(deps.stateDir);
  const model = deps.defaultModel();
  return {
    machineName: host.hostname,
    hostname: host.hostname,
    platform: host.platform,
    release: host.release,
    arch: host.arch,
    osLabel: `${OS_LABELS[host.platform] ?? host.platform} ${host.release}`.trim(),
    port: deps.port(),
    nodeVersion: host.nodeVersion,
    pid: Deno.pid,
    processInstanceId: deps.processInstanceId,
    uptimeMs: Math.round(deps.uptimeMs()),
    cpuCount: host.cpuCount,
    ...(host.cpuModel ? { cpuModel: host.cpuModel } : {}),
    loadAverage: host.loadAverage,
    memoryTotalBytes: host.memoryTotalBytes,
    memoryFreeBytes: host.memoryFreeBytes,
    eventLoop: deps.eventLoop(),
    processMemory: {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
    },
    ...(root ? { disks: [{ path: "/", ...root }] } : {}),
    ...(state
      ? { diskTotalBytes: state.totalBytes, diskAvailableBytes: state.availableBytes, diskPath: deps.stateDir }
      : {}),
    // "configured" names the model the default agent runs on; without one the reference reports "unavailable".
    defaultAgentUtilityModel: model ? { status: "configured", model } : { status: "unavailable" },
  };
}

/** Reads the host facts through node:os and node:fs, loaded on the first `system.info`. */
export async function readHostFacts(): Promise<HostFacts> {
  const [{ default: os }, { statfsSync }, { default: process }] = await Promise.all([
    import("node:os"),
    import("node:fs"),
    import("node:process"),
  ]);
  const cpus = os.cpus();
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpuCount: cpus.length,
    cpuModel: cpus[0]?.model,
    loadAverage: [one, five, fifteen],
    memoryTotalBytes: os.totalmem(),
    memoryFreeBytes: os.freemem(),
    nodeVersion: `v${process.versions.node}`,
    disk(path) {
      try {
        const stats = statfsSync(path);
        return { totalBytes: stats.blocks * stats.bsize, availableBytes: stats.bavail * stats.bsize };
      } catch {
        return undefined;
      }
    },
  };
}

/** `system.info`. */
export function systemInfoMethods(deps: SystemInfoDeps): MethodTable {
  return {
    "system.info": {
      scope: "operator.read",
      check: emptyParams,
      handler: async () => systemInfoPayload(deps, await deps.host()),
    },
  };
}
