// `set-heartbeats` (`openclaw system heartbeat enable|disable`): switches heartbeats on or off,
// scheduled turns and wakes alike, and echoes the switch as the reference does.
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import type { MethodTable } from "../registry.ts";

/** `set-heartbeats`, over the heartbeat's switch. */
export function heartbeatSwitchMethods(heartbeat: { setEnabled(enabled: boolean): void }): MethodTable {
  return {
    "set-heartbeats": {
      scope: "operator.admin",
      handler: ({ params }) => {
        const wanted = isJsonObject(params) ? params.enabled : undefined;
        if (typeof wanted !== "boolean") {
          throw new RpcError("INVALID_REQUEST", "invalid set-heartbeats params: enabled (boolean) required");
        }
        heartbeat.setEnabled(wanted);
        return { ok: true, enabled: wanted };
      },
    },
  };
}
