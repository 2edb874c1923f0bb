// Interning a loaded job's short strings changes no value, key or key order (jobs are written back
// from these objects byte for byte), and long strings are left alone.
import assert from "node:assert/strict";
import { internJobStrings } from "../../src/automation/cron_row_codec.ts";

const ROW_JSON =
  '{"id":"j1","name":"n","enabled":true,"schedule":{"kind":"cron","expr":"0 9 * * *","tz":"Europe/Vienna"},' +
  '"sessionTarget":"isolated","wakeMode":"next-heartbeat","payload":{"kind":"agentTurn","message":"' +
  "x".repeat(40) + '","toolsAllow":["read","exec"]},"delivery":{"mode":"announce","channel":"irc"},' +
  '"state":{"nextRunAtMs":1796039800000,"lastRunStatus":"ok"}}';

Deno.test("cron row codec: interned jobs keep every value, key and key order", () => {
  const table = new Map<string, string>();
  const first = internJobStrings(JSON.parse(ROW_JSON), table);
  const second = internJobStrings(JSON.parse(ROW_JSON), table);
  assert.equal(JSON.stringify(first), ROW_JSON);
  assert.equal(JSON.stringify(second), ROW_JSON);
  assert.ok(table.has("next-heartbeat") && table.has("Europe/Vienna") && table.has("exec"));
  assert.ok(!table.has("x".repeat(40)), "a job's own long text is not tabled");
});
