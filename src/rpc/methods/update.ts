// `update.status`: this gateway does not update itself, so there is never an update sentinel or a
// pending update, and it follows the stable channel (it has no `update` config section).
import { type MethodTable, validated } from "../registry.ts";

/** The `update.status` payload. */
export function updateStatusPayload() {
  return {
    sentinel: null,
    updateAvailable: null,
    effectiveChannel: "stable",
    // Installed as a single binary, not from npm or a git checkout: the reference's "unknown" install
    // kind, for which clients offer no in-place update.
    schedule: { channel: "stable", autoEnabled: false, install: { kind: "unknown" } },
  };
}

/** `update.status`. */
export function updateMethods(): MethodTable {
  return {
    "update.status": validated("operator.admin", "validateUpdateStatusParams", () => updateStatusPayload()),
  };
}
