// What follows a connect that used up a setup code issued with a setup id, as the reference settles
// it: once the device's hello-ok was written, the outcome is confirmed and pairing operators hear
// `device.pair.setup.completed`; when it could not be written (or the confirmation lapsed), they hear
// `device.pair.setup.deliveryUncertain` and the row stays `uncertain` for `device.pair.setupStatus`.
import type { DeviceStore, SetupCompletion } from "../auth/device_store.ts";
import { messageOf } from "../log/error_text.ts";
import type { Logger } from "../log/logger.ts";
import { setupOutcomePayload } from "../state/setup_completions.ts";

/** What settling a setup handoff needs. */
export interface SetupHandoffDeps {
  devices: Pick<DeviceStore, "confirmSetupCompletion">;
  /** Sends an event to the operators allowed to see it (`operator.pairing` for these). */
  broadcast(event: string, payload: unknown): void;
  log: Logger;
}

/** One setup handoff: the outcome the connect recorded, and whether its hello-ok was written. */
export interface SetupHandoff {
  completion: SetupCompletion;
  delivered: boolean;
}

/** Confirms a delivered handoff and tells pairing operators the outcome; never rejects. */
export async function settleSetupHandoff(deps: SetupHandoffDeps, handoff: SetupHandoff): Promise<void> {
  const { completion, delivered } = handoff;
  const uncertain = () => deps.broadcast("device.pair.setup.deliveryUncertain", setupOutcomePayload(completion));
  if (!delivered) return uncertain();
  try {
    const confirmed = await deps.devices.confirmSetupCompletion(completion);
    if (confirmed) deps.broadcast("device.pair.setup.completed", setupOutcomePayload(confirmed));
    else uncertain();
  } catch (error) {
    deps.log.warn(`setup completion confirmation failed device=${completion.deviceId}: ${messageOf(error)}`);
    uncertain();
  }
}
