import assert from "node:assert/strict";
import { cronMethods, emptySnapshotRevision } from "../../../src/rpc/methods/cron.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = cronMethods({ stateDir: "/state" });

Deno.test("an empty job list has the reference's revision form", async () => {
  assert.match(await emptySnapshotRevision(), /^sha256:[A-Za-z0-9_-]{43}$/);
});

Deno.test("cron is off: status disabled with no jobs, empty pages in the reference's shapes", async () => {
  assert.deepEqual(await payloadOf(table, "cron.status"), {
    enabled: false,
    triggersEnabled: false,
    storePath: "/state/state/openclaw.sqlite",
    storage: "sqlite",
    sqlitePath: "/state/state/openclaw.sqlite",
    jobs: 0,
    nextWakeAtMs: null,
  });
  // The params the Automations page sends.
  const list = await payloadOf(table, "cron.list", {
    includeDisabled: true,
    compact: true,
    limit: 50,
    offset: 0,
    enabled: "all",
    sortBy: "nextRunAtMs",
    sortDir: "asc",
  });
  assert.deepEqual(list, {
    jobs: [],
    snapshotRevision: await emptySnapshotRevision(),
    total: 0,
    offset: 0,
    limit: 50,
    hasMore: false,
    nextOffset: null,
    deliveryPreviews: {},
  });
  const page = (await payloadOf(table, "cron.list", { includeDeliveryPreviews: false })) as Record<string, unknown>;
  assert.ok(!("deliveryPreviews" in page), "no previews when the caller asks for none");
  const runs = await payloadOf(table, "cron.runs", {
    scope: "all",
    limit: 50,
    offset: 0,
    status: "all",
    sortDir: "desc",
  });
  assert.deepEqual(runs, { entries: [], total: 0, offset: 0, limit: 50, hasMore: false, nextOffset: null });
  const bad = await callMethod(table, "cron.list", { limit: 500 });
  assert.equal(!bad.ok && bad.error.code, "INVALID_REQUEST");
});
