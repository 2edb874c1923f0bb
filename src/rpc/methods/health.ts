import type { HeartbeatSettings } from "../../config/heartbeat_settings.ts";
import type { SessionSummary, StorageStatus } from "../../sessions/store.ts";
import type { MethodTable } from "../registry.ts";

/** Event-loop health as the `health` snapshot reports it. */
export interface EventLoopStats {
  degraded: boolean;
  degradedSinceMs: number | null;
  reasons: string[];
  intervalMs: number;
  delayP99Ms: number;
  delayMaxMs: number;
  utilization: number;
  cpuCoreRatio: number;
  /** Where the CPU time goes: this process's threads, and the host as a whole. */
  cpuBreakdown: CpuBreakdown;
}

/** `eventLoop.cpuBreakdown`: core ratios of this process's threads and the host's load. */
export interface CpuBreakdown {
  mainThreadCoreRatio: number;
  hostUtilization: number;
  hostCpuCount: number;
  workerCoreRatio: number;
  otherThreadsCoreRatio: number;
}

/** How config reload stands: the mode, the last error, what waits for a restart. */
export interface ConfigReloadStatus {
  /** `active` while edits are watched and applied; `disabled` for mode off; `unavailable` without a watcher. */
  hotReloadStatus: "active" | "disabled" | "unavailable";
  mode: string;
  /** The last rejected edit, until a valid edit applies. */
  lastError: string | null;
  /** Changed keys that need a restart which has not happened yet (`hot` mode, or a failed restart). */
  pendingRestart: string[];
  lastAppliedAt: number | null;
  /** Keys of the config in force that this gateway does not implement (loaded, but without effect). */
  ignoredKeys: string[];
}

/** What the health snapshot is built from. */
export interface HealthInputs {
  stateDir: string;
  eventLoop: EventLoopStats;
  configReload: ConfigReloadStatus;
  channels: Record<string, unknown>;
  channelOrder: string[];
  channelLabels: Record<string, string>;
  defaultAgentId: string;
  /** Each agent of the config in force, with its sessions and heartbeat settings. */
  agents: {
    agentId: string;
    name: string;
    isDefault: boolean;
    heartbeat: HeartbeatSettings;
    sessions: SessionSummary;
  }[];
  /** Whether transcript writes land (this gateway's addition). */
  storage: StorageStatus;
}

/**
 * The `health` payload in the reference's key order: every agent with its sessions, and the
 * default agent's sessions at the top level. `sessions.recent` is always an array: the real CLI
 * iterates it without a guard. `storage` is this gateway's own: the last failed transcript write.
 */
export function buildHealthSnapshot(input: HealthInputs, started = performance.now()) {
  const agents = input.agents.map((agent) => ({
    agentId: agent.agentId,
    name: agent.name,
    isDefault: agent.isDefault,
    heartbeat: agent.heartbeat,
    sessions: agent.sessions,
  }));
  const defaultAgent = agents.find((a) => a.isDefault);
  const sessions = defaultAgent?.sessions ??
    { path: `${input.stateDir}/agents/${input.defaultAgentId}/sessions`, count: 0, recent: [] };
  // This gateway loads no plugins and has no model runtime to wait on: the lists are always empty.
  const plugins: { loaded: string[]; errors: unknown[]; unavailable: unknown[] } = {
    loaded: [],
    errors: [],
    unavailable: [],
  };
  const modelRuntime: { degraded: boolean; pendingAgents: string[] } = { degraded: false, pendingAgents: [] };
  return {
    // As in the reference, `ok` says the snapshot was produced; a slow event loop shows in `eventLoop`.
    ok: true,
    ts: Date.now(),
    durationMs: Math.round(performance.now() - started),
    plugins,
    configReload: input.configReload,
    channels: input.channels,
    channelOrder: input.channelOrder,
    channelLabels: input.channelLabels,
    // The default agent's heartbeat interval, 0 when it does not run (as in the reference).
    heartbeatSeconds: Math.round((defaultAgent?.heartbeat.everyMs ?? 0) / 1000),
    defaultAgentId: input.defaultAgentId,
    agents,
    sessions,
    modelRuntime,
    eventLoop: input.eventLoop,
    storage: input.storage,
  };
}

/** The health snapshot's type. */
export type HealthSnapshot = ReturnType<typeof buildHealthSnapshot>;

/** Dependencies of the `health` method. */
export interface HealthDeps {
  /** The snapshot; may first load what it reports (the session indexes). */
  snapshot(): HealthSnapshot | Promise<HealthSnapshot>;
}

function healthParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (typeof params !== "object" || Array.isArray(params)) return "must be object";
  for (const [key, value] of Object.entries(params)) {
    if (key !== "probe") return `at root: unexpected property '${key}'`;
    if (typeof value !== "boolean") return "at /probe: must be boolean";
  }
  return undefined;
}

/** `health`: the cached snapshot; callable with no scope at all, as in the reference. */
export function healthMethods(deps: HealthDeps): MethodTable {
  return { health: { scope: undefined, check: healthParams, handler: () => deps.snapshot() } };
}
