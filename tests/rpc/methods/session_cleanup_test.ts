// `sessions.cleanup` runs the recorded cleanup through the gateway's own SessionStore: the recorded
// summary, a `sessions.changed` for each session it archived or removed, and the reference's refusal of
// an agent that is not configured.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { sessionMaintenance } from "../../../src/config/session_maintenance.ts";
import { sessionCleanupMethods } from "../../../src/rpc/methods/session_cleanup.ts";
import { SessionStore } from "../../../src/sessions/store.ts";
import { loadCleanupRecording, normalizeSummary, seedRecording } from "../../support/sessions_cleanup_replay.ts";

Deno.test("sessions.cleanup answers the recorded summary and announces each session it changed", async () => {
  const recording = await loadCleanupRecording();
  const stateDir = await Deno.makeTempDir({ prefix: "sessions-cleanup-rpc-" });
  seedRecording(stateDir, recording, Date.now());
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const changed: string[] = [];
    const logged: string[] = [];
    const methods = sessionCleanupMethods({
      sessions,
      agents: () => agents,
      maintenance: () => ({ settings: sessionMaintenance({}), dmScopeMain: true }),
      busy: () => false,
      log: (line) => logged.push(line),
      changed: (key, agentId, reason) => changed.push(`${agentId} ${key} ${reason}`),
    });
    const call = async (params: Record<string, unknown>): Promise<unknown> =>
      await methods["sessions.cleanup"]!.handler({
        params,
        caller: { scopes: ["operator.admin"] } as never,
        accept: () => {},
      });
    await assert.rejects(
      call({ agent: "Work" }),
      /^RpcError: Unknown agent id "Work"\. Run openclaw agents list to see configured agents\.$/,
    );
    const result = await call({}) as Record<string, unknown>;
    assert.deepEqual(
      normalizeSummary(result, stateDir),
      normalizeSummary(recording.appliedJson.stdout, "<root>/state"),
    );
    assert.deepEqual(changed.toSorted(), [
      "main agent:main:cron:job1 cleanup",
      "main agent:main:cron:job1:run:r1 cleanup",
      "main agent:main:dashboard:d-old cleanup",
      "main agent:main:hook:gmail:h1 cleanup",
      "main agent:main:scratch-old cleanup",
      "main agent:main:subagent:s1 cleanup",
    ]);
    assert.equal((await sessions.get("agent:main:scratch-old", "main"))?.archivedAt !== undefined, true);
    assert.equal(await sessions.get("agent:main:hook:gmail:h1", "main"), undefined);
    assert.deepEqual(logged, [`sessions.cleanup applied ${stateDir}/agents/main/agent/openclaw-agent.sqlite: 11 -> 7`]);
    const all = await call({ allAgents: true }) as Record<string, unknown>;
    assert.equal(all.wouldMutate, false, "one configured agent: its summary alone, nothing left to do");
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("sessions.cleanup leaves a session with a run in flight alone", async () => {
  const recording = await loadCleanupRecording();
  const stateDir = await Deno.makeTempDir({ prefix: "sessions-cleanup-busy-" });
  seedRecording(stateDir, recording, Date.now());
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const methods = sessionCleanupMethods({
      sessions,
      agents: () => agents,
      maintenance: () => ({ settings: sessionMaintenance({}), dmScopeMain: true }),
      busy: (key) => key === "agent:main:subagent:s1" || key === "agent:main:scratch-old",
      changed: () => {},
      log: () => {},
    });
    const result = await methods["sessions.cleanup"]!.handler({
      params: {},
      caller: { scopes: ["operator.admin"] } as never,
      accept: () => {},
    }) as { pruned: number; archived: number; afterCount: number };
    assert.deepEqual([result.pruned, result.archived, result.afterCount], [3, 1, 8]);
    assert.ok(await sessions.get("agent:main:subagent:s1", "main"));
    assert.equal((await sessions.get("agent:main:scratch-old", "main"))?.archivedAt, undefined);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
