// The reference's silent pairing supersede cleanup: a client whose state dir is ephemeral (a temp home, a
// container, a per-run sandbox) mints a fresh device key per run and each run pairs silently on loopback,
// so without cleanup the paired list grows a stale row per run. When a device is approved silently, older
// silent rows of the same client cluster (client id, mode and display name) that are not connected and not
// approved within the last minute are retired. Rows approved any other way are never touched.

/** What the decision reads of a paired row. */
export interface PairedForPrune {
  deviceId: string;
  clientId?: string | undefined;
  clientMode?: string | undefined;
  displayName?: string | undefined;
  approvedVia?: string | undefined;
  approvedAtMs: number;
}

/** A row approved within this long is kept: simultaneous pairing handshakes must not retire each other. */
export const PRUNE_RECENT_APPROVAL_GRACE_MS = 60_000;

/** The cluster a local client's rows share; undefined for a row that names none of the three. */
export function silentPairingClusterKey(device: PairedForPrune): string | undefined {
  const parts = [device.clientId, device.clientMode, device.displayName].map((v) => v?.trim().toLowerCase() ?? "");
  return parts.every((part) => part === "") ? undefined : parts.join("\0");
}

/**
 * The device ids a silent approval of `anchorId` retires from `paired`: silent rows of its cluster but
 * itself, older than the grace period, not connected. Nothing when the anchor is not a silent row.
 */
export function supersededSilentPairings(
  anchorId: string,
  paired: readonly PairedForPrune[],
  options: { nowMs: number; connected: (deviceId: string) => boolean },
): string[] {
  const anchor = paired.find((device) => device.deviceId === anchorId);
  if (anchor?.approvedVia !== "silent") return [];
  const key = silentPairingClusterKey(anchor);
  if (key === undefined) return [];
  return paired.filter((device) =>
    device.deviceId !== anchorId && device.approvedVia === "silent" && silentPairingClusterKey(device) === key &&
    options.nowMs - device.approvedAtMs >= PRUNE_RECENT_APPROVAL_GRACE_MS && !options.connected(device.deviceId)
  ).map((device) => device.deviceId);
}
