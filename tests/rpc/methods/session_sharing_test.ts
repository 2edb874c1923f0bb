// The chat page's sharing and GitHub-publication reads against what the reference 2026.9.6 answered
// to its own Control UI on a chat send (recorded: one owner, no members, no GitHub connection).
import assert from "node:assert/strict";
import { sessionSharingMethods } from "../../../src/rpc/methods/session_sharing.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = sessionSharingMethods({
  agents: () => ({ ids: ["main", "ops"], defaultAgentId: "main" }),
  hasSession: (key) => Promise.resolve(key === "agent:ops:chat-1" || key === "agent:main:main"),
});

Deno.test("session.members.listEvidence: the gateway owner owns the session and shares it with nobody", async () => {
  assert.deepEqual(
    await payloadOf(table, "session.members.listEvidence", { sessionKey: "agent:main:main", agentId: "main" }),
    {
      sessionKey: "agent:main:main",
      owner: { type: "human", id: "gateway-owner", identity: { type: "profile", id: "gateway-owner" } },
      members: [],
      identities: [{
        type: "human",
        id: "gateway-owner",
        identity: { type: "profile", id: "gateway-owner" },
        label: "gateway-owner",
      }],
      role: "admin",
      allowedVisibilities: ["shared", "read-only", "suggest", "draft"],
    },
  );
  const stored = await payloadOf(table, "session.members.listEvidence", { sessionKey: "agent:ops:chat-1" });
  assert.equal((stored as { sessionKey: string }).sessionKey, "agent:ops:chat-1");
});

Deno.test("session.members.listEvidence: unknown sessions and agents are refused as the reference refuses them", async () => {
  const missing = await callMethod(table, "session.members.listEvidence", { sessionKey: "agent:main:nope" });
  assert.equal(!missing.ok && missing.error.message, "unknown session: agent:main:nope");
  const unstored = await callMethod(table, "session.members.listEvidence", { sessionKey: "agent:ops:main" });
  assert.equal(
    !unstored.ok && unstored.error.message,
    "unknown session: agent:ops:main",
    "a main key needs a stored session",
  );
  const agent = await callMethod(table, "session.members.listEvidence", { sessionKey: "agent:zed:main" });
  assert.equal(!agent.ok && agent.error.message, 'unknown agent id "zed"');
  const bad = await callMethod(table, "session.members.listEvidence", { agentId: "main" });
  assert.equal(bad.ok, false);
});

Deno.test("sessions.github.options: no GitHub connection, nothing shared", async () => {
  assert.deepEqual(
    await payloadOf(table, "sessions.github.options", { sessionKey: "agent:main:main", agentId: "main" }),
    {
      personal: {
        state: "disconnected",
        generation: null,
        account: null,
        accessExpiresAtMs: null,
        refreshState: "not_applicable",
        pending: null,
      },
      shared: null,
      pendingPersonal: null,
      latestShared: null,
    },
  );
  const extra = await callMethod(table, "sessions.github.options", { sessionKey: "k", repo: "x" });
  assert.equal(!extra.ok && extra.error.message.includes("unexpected property 'repo'"), true);
  const unknown = await callMethod(table, "sessions.github.options", { sessionKey: "agent:main:zzz" });
  assert.deepEqual(!unknown.ok && [unknown.error.code, unknown.error.message], [
    "FORBIDDEN",
    "GitHub publication session was not found.",
  ]);
  const read = await callMethod(table, "sessions.github.options", { sessionKey: "main" }, ["operator.read"]);
  assert.equal(read.ok, true);
});
