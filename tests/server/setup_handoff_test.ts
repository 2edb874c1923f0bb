import assert from "node:assert/strict";
import type { SetupCompletion } from "../../src/auth/device_store.ts";
import { getLogger } from "../../src/log/logger.ts";
import { settleSetupHandoff } from "../../src/server/setup_handoff.ts";

const COMPLETION: SetupCompletion = {
  setupId: "s1",
  deviceId: "d1",
  deviceName: "Test iPhone",
  access: "full",
  completedAtMs: 5,
  deliveryState: "uncertain",
  retainUntilMs: 1_200_005,
};
const OUTCOME = { setupId: "s1", deviceId: "d1", deviceName: "Test iPhone", access: "full", ts: 5 };

async function settle(delivered: boolean, confirm: () => Promise<SetupCompletion | undefined>) {
  const events: { event: string; payload: unknown }[] = [];
  const confirmed: string[] = [];
  await settleSetupHandoff(
    {
      devices: {
        confirmSetupCompletion: (completion) => {
          confirmed.push(completion.setupId);
          return confirm();
        },
      },
      broadcast: (event, payload) => events.push({ event, payload }),
      log: getLogger("test"),
    },
    { completion: COMPLETION, delivered },
  );
  return { events, confirmed };
}

Deno.test("a delivered handoff is confirmed, then device.pair.setup.completed goes out", async () => {
  const { events, confirmed } = await settle(
    true,
    () => Promise.resolve({ ...COMPLETION, deliveryState: "confirmed" }),
  );
  assert.deepEqual(confirmed, ["s1"]);
  assert.deepEqual(events, [{ event: "device.pair.setup.completed", payload: OUTCOME }]);
});

Deno.test("an undelivered, lapsed or failed confirmation is announced as device.pair.setup.deliveryUncertain", async () => {
  const uncertain = [{ event: "device.pair.setup.deliveryUncertain", payload: OUTCOME }];
  const undelivered = await settle(false, () => Promise.reject(new Error("not called")));
  assert.deepEqual(undelivered, { events: uncertain, confirmed: [] });
  assert.deepEqual((await settle(true, () => Promise.resolve(undefined))).events, uncertain);
  assert.deepEqual((await settle(true, () => Promise.reject(new Error("database is locked")))).events, uncertain);
});
