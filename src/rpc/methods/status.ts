// `status`: the operator summary the CLI's `status` and `gateway probe` read, in the reference's
// key order. Sections for features this gateway lacks (host desktop, worker pools, tasks until
// the task store is wired) carry the reference's off/empty values.
import type { ModelCooldown } from "../../agent/model_cooldowns.ts";
import type { HeartbeatSettings } from "../../config/heartbeat_settings.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { SessionSummary } from "../../sessions/store.ts";
import type { MethodTable } from "../registry.ts";

/** Task counts as `status.tasks` reports them. */
export interface TaskStatusSummary {
  total: number;
  active: number;
  terminal: number;
  failures: number;
  byStatus: Record<"queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled" | "lost", number>;
  byRuntime: Record<"subagent" | "acp" | "cli" | "cron", number>;
}

/** Task audit findings as `status.taskAudit` reports them. */
export interface TaskAuditSummary {
  total: number;
  warnings: number;
  errors: number;
  byCode: Record<
    "stale_queued" | "stale_running" | "lost" | "delivery_failed" | "missing_cleanup" | "inconsistent_timestamps",
    number
  >;
}

/** The task summary of a gateway that holds no tasks. */
export function noTasks(): { tasks: TaskStatusSummary; taskAudit: TaskAuditSummary } {
  return {
    tasks: {
      total: 0,
      active: 0,
      terminal: 0,
      failures: 0,
      byStatus: { queued: 0, running: 0, succeeded: 0, failed: 0, timed_out: 0, cancelled: 0, lost: 0 },
      byRuntime: { subagent: 0, acp: 0, cli: 0, cron: 0 },
    },
    taskAudit: {
      total: 0,
      warnings: 0,
      errors: 0,
      byCode: {
        stale_queued: 0,
        stale_running: 0,
        lost: 0,
        delivery_failed: 0,
        missing_cleanup: 0,
        inconsistent_timestamps: 0,
      },
    },
  };
}

/** One agent as `status` reports it. */
export interface StatusAgent {
  agentId: string;
  /** The agent's display name, when the config gives one. */
  name?: string | undefined;
  sessions: SessionSummary;
  heartbeat: HeartbeatSettings;
  /** A running heartbeat with nowhere to deliver yet (no owner chat, or `last` with no chat on record). */
  waitingForRoute?: boolean | undefined;
}

/** What one `status` answer is built from. */
export interface StatusInputs {
  version: string;
  /** Store paths and recent sessions are for admins; a read-only caller sees counts only. */
  admin: boolean;
  defaultAgentId: string;
  /** Each agent with its sessions (loaded) and heartbeat settings, in config order. */
  agents: StatusAgent[];
  queuedSystemEvents: string[];
  /** Models cooling down after a failover, soonest to end first. */
  modelCooldowns?: ModelCooldown[] | undefined;
  /** `update.channel` as configured, or null. */
  updateChannel: string | null;
  tasks: { tasks: TaskStatusSummary; taskAudit: TaskAuditSummary };
  eventLoop: unknown;
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
  pid: number;
  uptimeMs: number;
  /** `includeCliProjection`: the agent roster as the CLI's status projection reads it. */
  cliProjection: boolean;
}

function newestFirst(a: { updatedAt: number | null }, b: { updatedAt: number | null }): number {
  return (b.updatedAt ?? 0) - (a.updatedAt ?? 0);
}

/** One cooldown as `status` lists it, with the time left. */
function cooldownView(c: ModelCooldown): Record<string, unknown> {
  return {
    provider: c.provider,
    model: c.model,
    reason: c.reason,
    errorCount: c.errorCount,
    cooldownUntil: c.cooldownUntil,
    remainingMs: Math.max(0, c.cooldownUntil - Date.now()),
  };
}

/** The `status` payload in the reference's key order. */
export function buildStatusPayload(input: StatusInputs): Record<string, unknown> {
  // As in the reference, which sessions were active lately is for admins; others see counts.
  const byAgent = input.agents.map(({ agentId, sessions }) => ({
    agentId,
    path: input.admin ? sessions.path : "[redacted]",
    count: sessions.count,
    recent: input.admin ? sessions.recent : [],
  }));
  const payload: Record<string, unknown> = {
    runtimeVersion: input.version,
    ...input.cliProjection
      ? {
        cliProjection: {
          agents: {
            defaultId: input.defaultAgentId,
            ownership: "sole",
            selectionRequired: false,
            rows: input.agents.map(({ agentId, name }) => ({ id: agentId, ...name ? { name } : {} })),
          },
          updateChannel: input.updateChannel,
        },
      }
      : {},
    // This gateway has no host desktop (remote screen) service: the reference's "off" value.
    hostDesktop: { enabled: false, state: "disabled", port: 5900 },
    heartbeat: {
      defaultAgentId: input.defaultAgentId,
      agents: input.agents.map(({ agentId, heartbeat, waitingForRoute }) => ({
        agentId,
        enabled: heartbeat.enabled,
        every: heartbeat.every,
        everyMs: heartbeat.everyMs,
        // Only a running heartbeat waits for a delivery route.
        waitingForRoute: waitingForRoute ?? false,
      })),
    },
    channelSummary: [],
    queuedSystemEvents: input.queuedSystemEvents,
    degradedSecretOwners: [],
    degradedPlugins: [],
    tasks: input.tasks.tasks,
    taskAudit: input.tasks.taskAudit,
    sessions: {
      paths: input.admin ? byAgent.map((a) => a.path) : [],
      count: byAgent.reduce((sum, a) => sum + a.count, 0),
      defaults: { model: null, contextTokens: null },
      recent: byAgent.flatMap((a) => a.recent).sort(newestFirst).slice(0, 10),
      byAgent,
    },
    modelRuntime: {
      degraded: false,
      pendingAgents: [],
      // Listed only while a model is cooling down, so a healthy gateway's answer stays the reference's.
      ...(input.modelCooldowns?.length ? { cooldowns: input.modelCooldowns.map(cooldownView) } : {}),
    },
    eventLoop: input.eventLoop,
    processMemory: {
      rssBytes: input.memory.rss,
      heapUsedBytes: input.memory.heapUsed,
      heapTotalBytes: input.memory.heapTotal,
      externalBytes: input.memory.external,
    },
    // This gateway runs no worker pools; the reference lists its pools here.
    workerPools: {},
    pid: input.pid,
    uptimeMs: input.uptimeMs,
  };
  return JSON.parse(JSON.stringify(payload));
}

/** Dependencies of `status`. */
export interface StatusDeps {
  version: string;
  defaultAgentId(): string;
  /** Each agent's sessions (loaded first) and heartbeat settings. */
  agents(): Promise<StatusAgent[]>;
  queuedSystemEvents(): string[];
  /** Models cooling down after a failover (none when not wired). */
  modelCooldowns?: (() => ModelCooldown[]) | undefined;
  updateChannel(): string | null;
  /** Task counts; a gateway without a task store reports {@link noTasks}. */
  tasks?: (() => { tasks: TaskStatusSummary; taskAudit: TaskAuditSummary }) | undefined;
  eventLoop(): unknown;
  uptimeMs(): number;
}

function statusParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (typeof params !== "object" || Array.isArray(params)) return "must be object";
  return undefined;
}

/** `status`: sessions per agent, heartbeat settings, tasks, event loop and process facts. */
export function statusMethods(deps: StatusDeps): MethodTable {
  return {
    status: {
      scope: "operator.read",
      check: statusParams,
      handler: async ({ params, caller }) =>
        buildStatusPayload({
          version: deps.version,
          admin: caller.scopes.includes("operator.admin"),
          defaultAgentId: deps.defaultAgentId(),
          agents: await deps.agents(),
          queuedSystemEvents: deps.queuedSystemEvents(),
          modelCooldowns: deps.modelCooldowns?.(),
          updateChannel: deps.updateChannel(),
          tasks: deps.tasks?.() ?? noTasks(),
          eventLoop: deps.eventLoop(),
          memory: Deno.memoryUsage(),
          pid: Deno.pid,
          uptimeMs: deps.uptimeMs(),
          cliProjection: isJsonObject(params) && params.includeCliProjection === true,
        }),
    },
  };
}
