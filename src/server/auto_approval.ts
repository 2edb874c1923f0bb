// A device paired without an operator, as the reference follows it up: operators hear `device.pair.resolved`
// (approved); after a silent local pairing (not a setup code's handoff) the older silent pairings of the same
// local client are retired (auth/silent_pairing_prune.ts): a retired device's connections are closed as a removed
// device's are, and a retired node is announced removed.
import type { DeviceStore } from "../auth/device_store.ts";
import type { Logger } from "../log/logger.ts";
import type { Hub } from "../protocol/hub.ts";

/** What the follow-up needs. */
export interface AutoApprovalDeps {
  hub: Hub;
  devices: DeviceStore;
  log: Logger;
}

/** Announces an approval no operator gave and retires what a silent one supersedes; a failed cleanup is logged. */
export async function autoApproved(
  deps: AutoApprovalDeps,
  approval: { deviceId: string; role: string; via: "silent" | "bootstrap" },
): Promise<void> {
  const { hub, log } = deps;
  log.info(`device pairing auto-approved device=${approval.deviceId} role=${approval.role}`);
  hub.broadcast("device.pair.resolved", {
    requestId: crypto.randomUUID(),
    deviceId: approval.deviceId,
    decision: "approved",
    ts: Date.now(),
  });
  if (approval.via !== "silent") return;
  try {
    const retired = await deps.devices.pruneSupersededSilent(approval.deviceId, (id) => hub.hasDevice(id));
    for (const entry of retired) {
      log.info(
        `device pairing pruned superseded silent pairing device=${entry.deviceId} roles=${
          entry.roles.join(",") || "none"
        }`,
      );
      // None was connected when it was picked; one that finished a handshake since loses it now.
      hub.closeDevice(entry.deviceId, { code: 4001, reason: "device removed" });
      if (entry.roles.includes("node")) {
        hub.broadcast("node.pair.resolved", {
          requestId: "",
          nodeId: entry.deviceId,
          decision: "removed",
          ts: Date.now(),
        });
      }
    }
  } catch (error) {
    log.warn(`device pairing prune failed device=${approval.deviceId} error=${error}`);
  }
}
