// The Profile page's GitHub reads against what the reference 2026.9.6 answered to its own Control UI
// on a host with no GitHub credential (recorded: /settings/profile).
import assert from "node:assert/strict";
import { githubStatusMethods } from "../../../src/rpc/methods/github_status.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const UNDETECTED = {
  source: "system-detected",
  credentialKind: "native",
  credentialState: "unavailable",
  account: null,
  gitAuthor: { name: null, email: null },
  evidence: "none",
  accessExpiresAtMs: null,
  refreshState: "not_applicable",
  oauthScopes: [],
  repositoryGrants: "unknown",
};

const table = githubStatusMethods({ agentIds: () => ["main"] });

Deno.test("tools.github.status: the system identity is undetected and nothing is configured", async () => {
  assert.deepEqual(await payloadOf(table, "tools.github.status", { agentId: "main", selectedScope: "system" }), {
    agentId: "main",
    selectedScope: "system",
    selected: { scope: "system", configured: false, identity: UNDETECTED },
    effective: UNDETECTED,
  });
  const unknown = await callMethod(table, "tools.github.status", { agentId: "ops", selectedScope: "agent" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "ops"');
  const scope = await callMethod(table, "tools.github.status", { agentId: "main", selectedScope: "user" });
  assert.equal(!scope.ok && scope.error.code, "INVALID_REQUEST");
});

Deno.test("users.github.status: no personal connection, the undetected system identity", async () => {
  assert.deepEqual(await payloadOf(table, "users.github.status", {}), {
    personal: {
      state: "disconnected",
      generation: null,
      account: null,
      accessExpiresAtMs: null,
      refreshState: "not_applicable",
      pending: null,
    },
    system: UNDETECTED,
  });
  const extra = await callMethod(table, "users.github.status", { profileId: "x" });
  assert.equal(
    !extra.ok && extra.error.message,
    "invalid users.github.status params: at root: unexpected property 'profileId'",
  );
});
