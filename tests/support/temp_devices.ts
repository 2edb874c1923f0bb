// A device store over a fresh state database in a temp dir, for in-process tests.
import type { DatabaseSync } from "node:sqlite";
import { DeviceStore } from "../../src/auth/device_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";

/** A fresh state database (created as the reference creates it) in a new temp dir. */
export function tempStateDb(): { db: DatabaseSync; stateDir: string } {
  const stateDir = Deno.makeTempDirSync();
  return { db: openStateDb(stateDir), stateDir };
}

/** A device store over a fresh state database; `now` pins the clock when given. */
export function tempDeviceStore(now?: () => number): DeviceStore {
  const { db } = tempStateDb();
  return new DeviceStore(() => Promise.resolve(db), now ? { now } : {});
}
