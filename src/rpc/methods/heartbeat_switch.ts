// `set-heartbeats` (`openclaw system heartbeat enable|disable`): switches whether session events
// wake the heartbeat. This gateway runs no heartbeat turns (see server/heartbeat.ts), so the switch
// is kept and echoed as the reference echoes it, and changes nothing else.
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import type { MethodTable } from "../registry.ts";

/** `set-heartbeats`. */
export function heartbeatSwitchMethods(): MethodTable {
  let enabled = true;
  return {
    "set-heartbeats": {
      scope: "operator.admin",
      handler: ({ params }) => {
        const wanted = isJsonObject(params) ? params.enabled : undefined;
        if (typeof wanted !== "boolean") {
          throw new RpcError("INVALID_REQUEST", "invalid set-heartbeats params: enabled (boolean) required");
        }
        enabled = wanted;
        return { ok: true, enabled };
      },
    },
  };
}
