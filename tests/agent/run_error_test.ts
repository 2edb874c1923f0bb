import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunErrorKind } from "../../src/agent/run_error.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";

Deno.test("a run the config cannot serve ends with its own kind, status and message, before any model call", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-run-error-" });
  try {
    const agents = agentsFromConfig(
      {
        agents: { list: [{ id: "main", default: true, model: { primary: "nope/x" } }, { id: "bare" }] },
      },
      stateDir,
      "/home/test",
    );
    const lines: string[] = [];
    const runs = new AgentRuns({
      sessions: new SessionStore(stateDir),
      agents: () => agents,
      emit: () => {},
      log: { info: (line) => lines.push(line), warn: (line) => lines.push(line) },
    });
    const ending = async (request: Partial<RunRequest>) => {
      const started = runs.start({
        agentId: "main",
        sessionKey: `agent:main:test:${crypto.randomUUID()}`,
        message: "hi",
        idempotencyKey: crypto.randomUUID(),
        ephemeral: true,
        ...request,
      });
      assert.equal(started.kind, "accepted");
      const outcome = started.kind === "accepted" ? await started.done : undefined;
      // The run-end line is written one timer turn after `done` (off a streamed answer's last step).
      await new Promise((resolve) => setTimeout(resolve, 0));
      return { kind: outcome?.errorKind, status: outcome?.upstreamStatus, error: outcome?.error };
    };
    const expect = (kind: RunErrorKind, status: number | undefined, error: RegExp) => ({ kind, status, error });
    const cases = [
      [await ending({ agentId: "ghost" }), expect("unknown_agent", undefined, /^Unknown agent 'ghost'\.$/)],
      [await ending({}), expect("unknown_model", 404, /^Unknown model: nope\/x\. Declare the provider/)],
    ] as const;
    for (const [got, want] of cases) {
      assert.equal(got.kind, want.kind);
      assert.equal(got.status, want.status);
      assert.match(got.error ?? "", want.error);
    }
    const bare = await ending({ agentId: "bare", sessionKey: "agent:bare:test:x" });
    assert.equal(bare.kind, "no_model");
    assert.match(bare.error ?? "", /^No model configured for agent bare\./);
    // The log keeps its own words: a request the config cannot serve is `unsupported`.
    assert.match(lines[0]!, /status=error .*kind=unsupported reason="Unknown agent 'ghost'\."/);
    assert.match(lines[1]!, /kind=unsupported status=404 reason="Unknown model: nope\/x/);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
