import assert from "node:assert/strict";
import { heartbeatSettings } from "../../src/config/heartbeat_settings.ts";
import { buildHealthSnapshot } from "../../src/rpc/methods/health.ts";

const base = {
  stateDir: "/s",
  eventLoop: {} as never,
  configReload: {} as never,
  channels: {},
  channelOrder: [],
  channelLabels: {},
};

Deno.test("health lists every agent with its sessions, the default agent's sessions at the top, and storage", () => {
  const mainSessions = {
    path: "/s/agents/main/sessions",
    count: 1,
    recent: [{ key: "agent:main:main", updatedAt: 5, age: 1 }],
  };
  const failure = { at: 9, agentId: "main", sessionKey: "agent:main:main", operation: "append", error: "disk full" };
  const snapshot = buildHealthSnapshot({
    ...base,
    defaultAgentId: "main",
    agents: [
      {
        agentId: "main",
        name: "main",
        isDefault: true,
        heartbeat: heartbeatSettings({}, "main"),
        sessions: mainSessions,
      },
      {
        agentId: "ops",
        name: "Ops",
        isDefault: false,
        heartbeat: heartbeatSettings({}, "ops"),
        sessions: { path: "/s/agents/ops/sessions", count: 0, recent: [] },
      },
    ],
    storage: { ok: false, writeFailures: 1, lastWriteError: failure },
  });
  assert.deepEqual(snapshot.agents.map((a) => [a.agentId, a.isDefault, a.sessions.count]), [
    ["main", true, 1],
    ["ops", false, 0],
  ]);
  assert.deepEqual([snapshot.agents[0]!.heartbeat.enabled, snapshot.agents[1]!.heartbeat.enabled], [true, false]);
  assert.deepEqual(snapshot.sessions, mainSessions);
  assert.equal(snapshot.defaultAgentId, "main");
  assert.deepEqual(snapshot.storage.lastWriteError, failure);
});
