import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";

// The run engine loads with the first run (docs/performance.md). A load that fails must end the
// run as a failure its callers and chat clients see, not leave it running forever.

Deno.test("AgentRuns: a run engine that fails to load ends the run as an error, with its events, and frees its key", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-engine-" });
  const emitted: { event: string; payload: Record<string, unknown> }[] = [];
  const warnings: string[] = [];
  const runs = new AgentRuns({
    sessions: new SessionStore(stateDir),
    agents: () => agentsFromConfig({}, stateDir, "/home/test"),
    emit: (event, payload) => emitted.push({ event, payload }),
    log: { info: () => {}, warn: (line) => warnings.push(line) },
    loadEngine: () => Promise.reject(new Error('Module not found "file:///x/run_turn-AB12.js"')),
  });
  try {
    const started = runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "hi", idempotencyKey: "k1" });
    assert.equal(started.kind, "accepted");
    const outcome = started.kind === "accepted" ? await started.done : undefined;
    assert.equal(outcome?.status, "error");
    assert.equal(outcome?.errorKind, "internal");
    assert.match(outcome?.error ?? "", /could not load its run engine; restart the gateway/);
    assert.equal(
      runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "hi", idempotencyKey: "k1" }).kind,
      "done",
    );
    assert.deepEqual(
      emitted.map(({ event, payload }) => `${event}:${payload.state ?? (payload.data as { phase?: string }).phase}`),
      ["agent:start", "agent:error", "chat:error"],
    );
    assert.ok(warnings.some((line) => line.includes("run_turn-AB12.js")), "the cause is in the operator's log");
  } finally {
    runs.abortAll();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AgentRuns: the run engine is loaded once for every run; a failed load fails the later runs too", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-engine-" });
  let loads = 0;
  const runs = new AgentRuns({
    sessions: new SessionStore(stateDir),
    agents: () => agentsFromConfig({}, stateDir, "/home/test"),
    emit: () => {},
    log: { info: () => {}, warn: () => {} },
    loadEngine: () => {
      loads++;
      return Promise.reject(new Error('Module not found "file:///x/run_turn-AB12.js"'));
    },
  });
  try {
    for (const key of ["k1", "k2", "k3"]) {
      const started = runs.start({
        agentId: "main",
        sessionKey: `agent:main:${key}`,
        message: "hi",
        idempotencyKey: key,
      });
      const outcome = started.kind === "accepted" ? await started.done : undefined;
      assert.equal(outcome?.errorKind, "internal");
    }
    assert.equal(loads, 1);
  } finally {
    runs.abortAll();
    await Deno.remove(stateDir, { recursive: true });
  }
});
