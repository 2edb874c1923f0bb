import assert from "node:assert/strict";
import { heartbeatSettings } from "../../../src/config/heartbeat_settings.ts";
import { buildStatusPayload, noTasks, type StatusInputs } from "../../../src/rpc/methods/status.ts";

function inputs(overrides: Partial<StatusInputs> = {}): StatusInputs {
  return {
    version: "2026.11.0",
    admin: false,
    defaultAgentId: "main",
    agents: [
      {
        agentId: "main",
        sessions: {
          path: "/s/agents/main/sessions",
          count: 2,
          recent: [{ key: "agent:main:a", updatedAt: 5, age: 1 }],
        },
        heartbeat: heartbeatSettings({}, "main"),
      },
      {
        agentId: "ops",
        name: "Ops",
        sessions: { path: "/s/agents/ops/sessions", count: 1, recent: [{ key: "agent:ops:b", updatedAt: 9, age: 0 }] },
        heartbeat: heartbeatSettings({}, "ops"),
      },
    ],
    queuedSystemEvents: ["wake up"],
    updateChannel: null,
    tasks: noTasks(),
    eventLoop: { degraded: false },
    memory: { rss: 10, heapUsed: 2, heapTotal: 3, external: 1 },
    pid: 42,
    uptimeMs: 7,
    cliProjection: false,
    ...overrides,
  };
}

Deno.test("status reports the reference's sections in its key order, with real sessions and heartbeat settings", () => {
  const status = buildStatusPayload(inputs());
  assert.deepEqual(Object.keys(status), [
    "runtimeVersion",
    "hostDesktop",
    "heartbeat",
    "channelSummary",
    "queuedSystemEvents",
    "degradedSecretOwners",
    "degradedPlugins",
    "tasks",
    "taskAudit",
    "sessions",
    "modelRuntime",
    "eventLoop",
    "processMemory",
    "workerPools",
    "pid",
    "uptimeMs",
  ]);
  assert.deepEqual(status.heartbeat, {
    defaultAgentId: "main",
    agents: [
      { agentId: "main", enabled: true, every: "30m", everyMs: 1_800_000, waitingForRoute: false },
      { agentId: "ops", enabled: false, every: "disabled", everyMs: null, waitingForRoute: false },
    ],
  });
  const sessions = buildStatusPayload(inputs({ admin: true })).sessions as {
    count: number;
    paths: string[];
    recent: { key: string }[];
  };
  assert.equal(sessions.count, 3);
  assert.deepEqual(sessions.recent.map((r) => r.key), ["agent:ops:b", "agent:main:a"], "newest first");
  assert.deepEqual(status.queuedSystemEvents, ["wake up"]);
  assert.equal((status.tasks as { total: number }).total, 0);
  assert.equal(status.pid, 42);
});

Deno.test("status hides store paths and recent sessions from read-only callers and shows them to admins", () => {
  const read = buildStatusPayload(inputs()).sessions as {
    paths: string[];
    count: number;
    recent: unknown[];
    byAgent: { path: string; count: number; recent: unknown[] }[];
  };
  assert.deepEqual(read.paths, []);
  assert.deepEqual(read.recent, []);
  assert.deepEqual(read.byAgent.map((a) => [a.path, a.count, a.recent]), [["[redacted]", 2, []], [
    "[redacted]",
    1,
    [],
  ]]);
  assert.equal(read.count, 3);
  const admin = buildStatusPayload(inputs({ admin: true })).sessions as { paths: string[] };
  assert.deepEqual(admin.paths, ["/s/agents/main/sessions", "/s/agents/ops/sessions"]);
});

Deno.test("status with includeCliProjection lists the agent roster and the configured update channel", () => {
  const status = buildStatusPayload(inputs({ cliProjection: true, updateChannel: "beta" }));
  assert.deepEqual(status.cliProjection, {
    agents: {
      defaultId: "main",
      ownership: "sole",
      selectionRequired: false,
      rows: [{ id: "main" }, { id: "ops", name: "Ops" }],
    },
    updateChannel: "beta",
  });
});

Deno.test("status lists models cooling down under modelRuntime.cooldowns, and nothing when none is", () => {
  assert.deepEqual(buildStatusPayload(inputs()).modelRuntime, { degraded: false, pendingAgents: [] });
  const until = Date.now() + 30_000;
  const status = buildStatusPayload(inputs({
    modelCooldowns: [{
      provider: "fake",
      model: "m1",
      reason: "rate_limit",
      errorCount: 1,
      lastFailureAt: until - 30_000,
      cooldownUntil: until,
    }],
  }));
  const runtime = status.modelRuntime as { cooldowns: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(runtime.cooldowns[0]!), [
    "provider",
    "model",
    "reason",
    "errorCount",
    "cooldownUntil",
    "remainingMs",
  ]);
  assert.equal(runtime.cooldowns[0]!.cooldownUntil, until);
  assert.ok((runtime.cooldowns[0]!.remainingMs as number) > 0);
});
