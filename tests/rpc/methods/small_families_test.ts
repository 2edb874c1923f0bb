// The small families answering the reference's "feature off" shapes, each checked against what the
// reference 2026.9.6 answered in the same state (recorded from its Control UI and CLI).
import assert from "node:assert/strict";
import { validateSessionDiscussionInfoResult, validateUpdateStatusResult } from "@openclaw/gateway-protocol";
import { commandsMethods } from "../../../src/rpc/methods/commands.ts";
import { questionsMethods } from "../../../src/rpc/methods/questions.ts";
import { sessionExtrasMethods } from "../../../src/rpc/methods/session_extras.ts";
import { systemAgentMethods } from "../../../src/rpc/methods/system_agent.ts";
import { themesMethods } from "../../../src/rpc/methods/themes.ts";
import { updateMethods } from "../../../src/rpc/methods/update.ts";
import { usersMethods } from "../../../src/rpc/methods/users.ts";
import { voicewakeMethods } from "../../../src/rpc/methods/voicewake.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

Deno.test("update.status: no sentinel, no pending update, the stable channel", async () => {
  const status = await payloadOf(updateMethods(), "update.status");
  assert.ok(validateUpdateStatusResult(status));
  assert.deepEqual(status, {
    sentinel: null,
    updateAvailable: null,
    effectiveChannel: "stable",
    schedule: { channel: "stable", autoEnabled: false, install: { kind: "unknown" } },
  });
  const read = await callMethod(updateMethods(), "update.status", {}, ["operator.read"]);
  assert.equal(!read.ok && read.error.message, "missing scope: operator.admin");
});

Deno.test("users.prefs.*: no durable identity, as the reference answers a caller without a profile", async () => {
  const table = usersMethods();
  assert.deepEqual(await payloadOf(table, "users.prefs.get", { keys: ["ui.theme"] }), {
    status: "no_durable_identity",
  });
  const set = { entries: { "new-session.migration.v1": true }, expectedEntries: { "new-session.migration.v1": null } };
  assert.deepEqual(await payloadOf(table, "users.prefs.set", set), { status: "no_durable_identity" });
});

Deno.test("users.list: no durable user profiles", async () => {
  assert.deepEqual(await payloadOf(usersMethods(), "users.list", {}), { profiles: [] });
});

Deno.test("users.listModelAccounts: no model account is linked to the owner's profile", async () => {
  const expected = { profileId: "gateway-owner", accounts: [], links: [] };
  assert.deepEqual(
    await payloadOf(usersMethods(), "users.listModelAccounts", { profileId: "gateway-owner" }),
    expected,
  );
  assert.deepEqual(await payloadOf(usersMethods(), "users.listModelAccounts", {}), expected);
  const extra = await callMethod(usersMethods(), "users.listModelAccounts", { userId: "x" });
  assert.equal(
    !extra.ok && extra.error.message,
    "invalid users.listModelAccounts params: at root: unexpected property 'userId'",
  );
});

Deno.test("openclaw.chat: refused as the reference refuses a turn without a usable inference route", async () => {
  const table = systemAgentMethods({ agent: () => ({ workspace: "/w", model: "fake/m1" }) });
  const sessionId = "control-ui-onboarding-f34fe9f9-f1f1-4841-a052-a64e08ae4fac";
  const chat = await callMethod(table, "openclaw.chat", { sessionId });
  assert.deepEqual(!chat.ok && chat.error, {
    code: "UNAVAILABLE",
    message: "OpenClaw requires working inference: OpenClaw could not verify a usable inference route. " +
      "Check model setup and try again.",
    details: { code: "system_agent_inference_unavailable" },
  });
  const both = await callMethod(table, "openclaw.chat", { sessionId, message: "hi", wizardAnswer: { stepId: "s" } });
  assert.equal(!both.ok && both.error.message, "Send either message or wizardAnswer, not both.");
});

Deno.test("question.list is empty and needs operator.questions", async () => {
  assert.deepEqual(await payloadOf(questionsMethods(), "question.list"), { questions: [] });
  const read = await callMethod(questionsMethods(), "question.list", {}, ["operator.read"]);
  assert.equal(!read.ok && read.error.message, "missing scope: operator.questions");
});

Deno.test("commands.list: the chat commands this gateway runs; an unknown agent is refused", async () => {
  const table = commandsMethods({ agentIds: () => ["main"] });
  const listed = await payloadOf(table, "commands.list", { agentId: "main" }) as { commands: { name: string }[] };
  assert.deepEqual(listed.commands.map((c) => c.name), [
    "help",
    "status",
    "approve",
    "whoami",
    "usage",
    "stop",
    "activation",
    "send",
    "reset",
    "new",
    "name",
    "compact",
    "think",
    "model",
    "models",
  ]);
  const unknown = await callMethod(table, "commands.list", { agentId: "ops" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "ops"');
});

Deno.test("the chat page's extras answer the reference's empty shapes; projects are the agents' workspaces", async () => {
  const table = sessionExtrasMethods({ agents: () => [{ id: "main", workspace: "/s/workspace" }], instanceId: "i-1" });
  const session = { sessionKey: "agent:main:main", agentId: "main" };
  assert.deepEqual(await payloadOf(table, "board.get", session), {
    sessionKey: "agent:main:main",
    revision: 0,
    tabs: [],
    widgets: [],
  });
  assert.deepEqual(await payloadOf(table, "progressCard.get", { sessionKey: "agent:main:main" }), { card: null });
  assert.deepEqual(await payloadOf(table, "taskSuggestions.list", { agentId: "main" }), { suggestions: [] });
  assert.deepEqual(await payloadOf(table, "mentions.list"), { gatewayInstanceId: "i-1", revision: 0, items: [] });
  const discussion = await payloadOf(table, "session.discussion.info", session);
  assert.ok(validateSessionDiscussionInfoResult(discussion));
  assert.deepEqual(discussion, { state: "none" });
  assert.deepEqual(await payloadOf(table, "controlUi.sessionPullRequests.subscribe", { sessionKeys: ["a"] }), {
    subscribed: true,
  });
  assert.deepEqual(await payloadOf(table, "controlUi.sessionPullRequests.subscribe", { sessionKeys: [] }), {
    subscribed: false,
  });
  assert.deepEqual(await payloadOf(table, "projects.list"), {
    projects: [{
      id: "workspace:main",
      displayName: "workspace",
      repoRoot: "/s/workspace",
      source: "workspace",
      agentId: "main",
    }],
    recents: [],
  });
  const talk = (await payloadOf(table, "talk.catalog")) as Record<string, unknown>;
  assert.deepEqual(Object.keys(talk), ["modes", "transports", "brains", "speech", "transcription", "realtime"]);
  const noKey = await callMethod(table, "board.get", {});
  assert.equal(!noKey.ok && noKey.error.code, "INVALID_REQUEST");
});

Deno.test("openclaw.setup.detect: the default agent's model is the candidate; setup is complete with one", async () => {
  const configured: { model?: string } = {};
  const table = systemAgentMethods({
    agent: (agentId) =>
      agentId === undefined || agentId === "main" ? { workspace: "/s/ws", model: configured.model } : undefined,
  });
  assert.deepEqual(await payloadOf(table, "openclaw.setup.detect", { agentId: "main" }), {
    manualProviders: [],
    authOptions: [],
    prepareOptions: [],
    nativeSessionCatalogs: [],
    nativeSessionCatalogPreferenceRequired: false,
    workspace: "/s/ws",
    setupComplete: false,
    candidates: [],
    unavailableCandidates: [],
    recommendedInstalls: [],
  });
  configured.model = "fake/slow";
  const detected = (await payloadOf(table, "openclaw.setup.detect")) as {
    candidates: unknown[];
    setupComplete: boolean;
  };
  assert.equal(detected.setupComplete, true);
  assert.deepEqual(detected.candidates, [{
    kind: "existing-model",
    label: "fake/slow",
    detail: "Configured default model",
    modelRef: "fake/slow",
    recommended: true,
  }]);
  const unknown = await callMethod(table, "openclaw.setup.detect", { agentId: "ops" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "ops"');
});

Deno.test("themes.list answers the built-in catalog with the gateway-wide default selected", async () => {
  const result = await callMethod(themesMethods(), "themes.list");
  assert.ok(result.ok);
  const answer = result.payload as {
    current: { id: string; scope: string };
    theme: { id: string };
    themes: { id: string }[];
  };
  assert.deepEqual([answer.current.id, answer.current.scope, answer.theme.id], ["claw", "gateway", "claw"]);
  assert.equal(answer.themes.length, 11);
  assert.equal(new Set(answer.themes.map((t) => t.id)).size, 11, "ids are unique");
});

Deno.test("users.prefs.set checks the 2026.9.6 params (entries, expectedEntries) itself", async () => {
  const table = usersMethods();
  const missing = await callMethod(table, "users.prefs.set", {});
  assert.equal(
    !missing.ok && missing.error.message,
    "invalid users.prefs.set params: must have required property 'entries'",
  );
  const stray = await callMethod(table, "users.prefs.set", { entries: {}, other: 1 });
  assert.equal(
    !stray.ok && stray.error.message,
    "invalid users.prefs.set params: at root: unexpected property 'other'",
  );
});

Deno.test("users.self refuses as for a caller without a profile; voicewake.get keeps no wake words", async () => {
  const self = await callMethod(usersMethods(), "users.self");
  assert.deepEqual(!self.ok && self.error, { code: "FORBIDDEN", message: "users.self requires an authenticated user" });
  assert.deepEqual(await payloadOf(voicewakeMethods(), "voicewake.get"), { triggers: [] });
});
