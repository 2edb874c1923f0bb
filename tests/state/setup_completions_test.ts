import assert from "node:assert/strict";
import {
  confirmSetupCompletion,
  readSetupCompletion,
  recordSetupCompletion,
  SETUP_COMPLETION_RETENTION_MS,
  setupOutcomePayload,
} from "../../src/state/setup_completions.ts";
import { tempStateDb } from "../support/temp_devices.ts";

const NOW = 1_800_000_000_000;
const OUTCOME = { setupId: "s1", deviceId: "d1", deviceName: "Test iPhone", access: "full", now: NOW };

Deno.test("recordSetupCompletion() writes the outcome uncertain, kept twice the token's lifetime", () => {
  const { db } = tempStateDb();
  const recorded = recordSetupCompletion(db, OUTCOME);
  assert.deepEqual(recorded, {
    setupId: "s1",
    deviceId: "d1",
    deviceName: "Test iPhone",
    access: "full",
    completedAtMs: NOW,
    deliveryState: "uncertain",
    retainUntilMs: NOW + 20 * 60_000,
  });
  assert.equal(SETUP_COMPLETION_RETENTION_MS, 1_200_000);
  assert.deepEqual(readSetupCompletion(db, "s1", NOW + 1), recorded);
});

Deno.test("confirmSetupCompletion() confirms only the same device's live row", () => {
  const { db } = tempStateDb();
  recordSetupCompletion(db, OUTCOME);
  assert.equal(confirmSetupCompletion(db, { setupId: "s1", deviceId: "other", now: NOW + 1 }), undefined);
  assert.equal(
    confirmSetupCompletion(db, { setupId: "s1", deviceId: "d1", now: NOW + SETUP_COMPLETION_RETENTION_MS }),
    undefined,
  );
  const confirmed = confirmSetupCompletion(db, { setupId: "s1", deviceId: "d1", now: NOW + 1 });
  assert.equal(confirmed?.deliveryState, "confirmed");
  assert.equal(readSetupCompletion(db, "s1", NOW + 2)?.deliveryState, "confirmed");
});

Deno.test("readSetupCompletion() prunes lapsed rows; a second use of a setup id replaces the first", () => {
  const { db } = tempStateDb();
  recordSetupCompletion(db, OUTCOME);
  recordSetupCompletion(db, { ...OUTCOME, deviceId: "d2", deviceName: undefined, now: NOW + 5 });
  assert.equal(readSetupCompletion(db, "s1", NOW + 6)?.deviceId, "d2");
  assert.equal(readSetupCompletion(db, "s1", NOW + 5 + SETUP_COMPLETION_RETENTION_MS), undefined);
  const left = db.prepare("SELECT COUNT(*) AS n FROM device_pair_setup_completions").get() as { n: number };
  assert.equal(left.n, 0);
});

Deno.test("setupOutcomePayload() is the reference's event and status shape, deviceName only when known", () => {
  const { db } = tempStateDb();
  const named = recordSetupCompletion(db, OUTCOME);
  assert.deepEqual(setupOutcomePayload(named), {
    setupId: "s1",
    deviceId: "d1",
    deviceName: "Test iPhone",
    access: "full",
    ts: NOW,
  });
  const bare = recordSetupCompletion(db, { ...OUTCOME, setupId: "s2", deviceName: undefined });
  assert.deepEqual(Object.keys(setupOutcomePayload(bare)), ["setupId", "deviceId", "access", "ts"]);
});
