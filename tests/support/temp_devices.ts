// A device store over a fresh state database in a temp dir, for in-process tests.
import type { DatabaseSync } from "node:sqlite";
import { DeviceStore } from "../../src/auth/device_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";

/** A fresh state database (created as the reference creates it) in a new temp dir. */
export function tempStateDb(): { db: DatabaseSync; stateDir: string } {
  const stateDir = Deno.makeTempDirSync({ prefix: "oc-state-db-" });
  const db = openStateDb(stateDir);
  // Removed when the test process ends (tests share no hook to do it sooner).
  globalThis.addEventListener("unload", () => {
    db.close();
    Deno.removeSync(stateDir, { recursive: true });
  });
  return { db, stateDir };
}

/** A device store over a fresh state database; `now` pins the clock when given. */
export function tempDeviceStore(now?: () => number): DeviceStore {
  const { db } = tempStateDb();
  return new DeviceStore(() => Promise.resolve(db), now ? { now } : {});
}
