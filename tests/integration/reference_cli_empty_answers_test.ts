// Reference CLI commands for features this gateway keeps empty (the activity audit, standing exec grants): against
// our gateway they exit 0 with the answer the reference gave on a fresh state, not "unknown method".
import assert from "node:assert/strict";
import { requirePeer, runPeer } from "../support/peer.ts";
import { startReferenceCliGateway } from "../support/reference_cli_gateway.ts";

const TOKEN = "reference-cli-empty-token-0123456789abcdef";

Deno.test("the reference CLI's audit and approvals grants revoke answer as on a fresh reference gateway", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN);
  const { where, env } = gateway;
  try {
    const [audit, revoke] = await Promise.all([
      runPeer(["audit", "--json"], where, env),
      runPeer(["approvals", "grants", "revoke", "g1", "--json"], where, env),
    ]);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    assert.deepEqual(JSON.parse(audit.stdout), { events: [] });
    assert.equal(revoke.code, 0, revoke.stdout + revoke.stderr);
    assert.deepEqual(JSON.parse(revoke.stdout), { outcome: "not-found" });
  } finally {
    await gateway.stop();
  }
});
