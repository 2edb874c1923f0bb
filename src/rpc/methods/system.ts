import type { SessionSummary } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { emptyParams, type MethodTable, validated } from "../registry.ts";

/** One presence entry (`PresenceEntry` of the protocol); `ts` is the only required field. */
export interface PresenceEntry {
  ts: number;
  [key: string]: unknown;
}

/** A heartbeat outcome, as the `heartbeat` event carries it. */
export interface HeartbeatOutcome {
  ts: number;
  status: "sent" | "skipped" | "failed";
  reason?: string;
  message?: string;
  preview?: string;
  hasMedia: boolean;
  durationMs: number;
}

/** Dependencies of the system methods. */
export interface SystemDeps {
  presence(): PresenceEntry[];
  /** Adds a `system-event` entry to presence and broadcasts it. */
  recordSystemEvent(entry: PresenceEntry): void;
  lastHeartbeat(): HeartbeatOutcome | null;
  /** Wakes the heartbeat: `now` runs it at once, `next-heartbeat` queues the text. */
  wake(input: { mode: "now" | "next-heartbeat"; text: string }): "queued" | "coalesced";
  queuedSystemEvents(): string[];
  /** Each agent's sessions (loaded first), for `status.sessions`. */
  sessions(): Promise<{ agentId: string; sessions: SessionSummary }[]>;
  version: string;
  uptimeMs(): number;
  eventLoop(): unknown;
}

const SYSTEM_EVENT_FIELDS = new Set([
  "text",
  "host",
  "ip",
  "version",
  "platform",
  "deviceFamily",
  "modelIdentifier",
  "mode",
  "reason",
  "instanceId",
  "tags",
  "lastInputSeconds",
]);

function systemEventParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  const p = params;
  if (typeof p.text !== "string" || p.text.trim() === "") return "must have required property 'text'";
  const extra = Object.keys(p).find((key) => !SYSTEM_EVENT_FIELDS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

function statusParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (typeof params !== "object" || Array.isArray(params)) return "must be object";
  return undefined;
}

function newestFirst(a: { updatedAt: number | null }, b: { updatedAt: number | null }): number {
  return (b.updatedAt ?? 0) - (a.updatedAt ?? 0);
}

/** `status`, `system-presence`, `system-event`, `last-heartbeat` and `wake`. */
export function systemMethods(deps: SystemDeps): MethodTable {
  return {
    status: {
      scope: "operator.read",
      check: statusParams,
      handler: async ({ params, caller }) => {
        const admin = caller.scopes.includes("operator.admin");
        const memory = Deno.memoryUsage();
        // As in the reference, store paths are for admins; a read-only caller sees counts only.
        const byAgent = (await deps.sessions()).map(({ agentId, sessions }) => ({
          agentId,
          path: admin ? sessions.path : "[redacted]",
          count: sessions.count,
          recent: sessions.recent,
        }));
        const payload: Record<string, unknown> = {
          runtimeVersion: deps.version,
          heartbeat: { defaultAgentId: "main", agents: [] },
          channelSummary: [],
          queuedSystemEvents: deps.queuedSystemEvents(),
          degradedSecretOwners: [],
          degradedPlugins: [],
          sessions: {
            paths: admin ? byAgent.map((a) => a.path) : [],
            count: byAgent.reduce((sum, a) => sum + a.count, 0),
            defaults: { model: null, contextTokens: null },
            recent: byAgent.flatMap((a) => a.recent).sort(newestFirst).slice(0, 5),
            byAgent,
          },
          modelRuntime: { degraded: false, pendingAgents: [] },
          eventLoop: deps.eventLoop(),
          processMemory: admin
            ? {
              rssBytes: memory.rss,
              heapUsedBytes: memory.heapUsed,
              heapTotalBytes: memory.heapTotal,
              externalBytes: memory.external,
            }
            : undefined,
          pid: admin ? Deno.pid : undefined,
          uptimeMs: deps.uptimeMs(),
        };
        if (isJsonObject(params) && params.includeCliProjection) {
          payload.cliProjection = {
            agents: { defaultId: "main", ownership: "sole", selectionRequired: false, rows: [] },
            updateChannel: "stable",
          };
        }
        return JSON.parse(JSON.stringify(payload));
      },
    },
    "system-presence": { scope: "operator.read", check: emptyParams, handler: () => deps.presence() },
    "system-event": {
      scope: "operator.admin",
      check: systemEventParams,
      handler: ({ params }) => {
        // systemEventParams accepted only an object, so the spread copies the event's fields.
        deps.recordSystemEvent({ ...(isJsonObject(params) ? params : {}), ts: Date.now() });
        return { ok: true };
      },
    },
    "last-heartbeat": { scope: "operator.read", check: emptyParams, handler: () => deps.lastHeartbeat() },
    wake: validated("operator.write", "validateWakeParams", ({ params: p }) => {
      if (p.text.trim() === "") throw new RpcError("INVALID_REQUEST", "invalid wake params: text must not be empty");
      deps.wake({ mode: p.mode, text: p.text });
      return { ok: true };
    }),
  };
}
