import assert from "node:assert/strict";
import { mergePairedRows } from "../../../src/cli/commands/nodes_list.ts";

Deno.test("paired rows take the live view's fields but keep their own creation time", () => {
  const paired = [
    { nodeId: "a", displayName: "old name", createdAtMs: 1, approvedAtMs: 2, token: "secret" },
    { nodeId: "b", displayName: "offline", lastConnectedAtMs: 5 },
  ];
  const live = [
    { nodeId: "a", displayName: "new name", createdAtMs: 99, connectedAtMs: 50, connected: true },
    { nodeId: "stray", connected: true },
    { nodeId: "c", paired: true, connectedAtMs: 7 },
  ];
  const rows = mergePairedRows(paired, live);
  assert.deepEqual(rows.map((r) => r.nodeId), ["a", "c", "b"], "live order first, then paired rows not live");
  assert.equal(rows[0]!.displayName, "new name");
  assert.equal(rows[0]!.createdAtMs, 1);
  assert.equal(rows[0]!.lastConnectedAtMs, 50);
  assert.equal(rows[1]!.lastConnectedAtMs, 7);
  assert.deepEqual(mergePairedRows(paired, undefined), paired, "without the live view: the pairing records");
});
