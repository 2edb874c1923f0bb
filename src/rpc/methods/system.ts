import { RpcError } from "../errors.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { HeartbeatOutcome } from "../../automation/heartbeat_control.ts";
import { emptyParams, type MethodTable, validated } from "../registry.ts";

/** One presence entry (`PresenceEntry` of the protocol); `ts` is the only required field. */
export interface PresenceEntry {
  ts: number;
  [key: string]: unknown;
}

/** Dependencies of the system methods. */
export interface SystemDeps {
  presence(): PresenceEntry[];
  /** Adds a `system-event` entry to presence and broadcasts it. */
  recordSystemEvent(entry: PresenceEntry): void;
  lastHeartbeat(): HeartbeatOutcome | null;
  /** Wakes the heartbeat: `now` runs it at once, `next-heartbeat` queues the text (for an agent or session when named). */
  wake(
    input: {
      mode: "now" | "next-heartbeat";
      text: string;
      agentId?: string | undefined;
      sessionKey?: string | undefined;
    },
  ): "queued" | "coalesced";
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

/** `system-presence`, `system-event`, `last-heartbeat` and `wake`. */
export function systemMethods(deps: SystemDeps): MethodTable {
  return {
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
      deps.wake({
        mode: p.mode,
        text: p.text,
        agentId: p.agentId?.trim() || undefined,
        sessionKey: p.sessionKey?.trim() || undefined,
      });
      return { ok: true };
    }),
  };
}
