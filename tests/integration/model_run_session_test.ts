// `openclaw infer model run --gateway` (the reference OpenClaw 2026.9.6's CLI) against our gateway: the one-shot
// model run answers, and its session (`agent:main:explicit:model-run-<uuid>`) is gone when the answer arrives, as
// the reference removes its model run's session at the run's end.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { FAKE_ANSWER } from "../support/fake_upstream.ts";
import { runPeer } from "../support/peer.ts";
import { startReferenceCliGateway } from "../support/reference_cli_gateway.ts";
import { connectReference } from "../support/reference_client.ts";
import { agentDbPath } from "../../src/state/agent_db.ts";

const TOKEN = "model-run-session-token-0123456789";

Deno.test("a model run from the reference CLI answers and leaves no session, transcript or task behind", async () => {
  // The port in the config: the reference CLI reaches the gateway the config names.
  const gateway = await startReferenceCliGateway(TOKEN);
  const { port, upstream, where: peerHome } = gateway;
  const operator = await connectReference({ port, token: TOKEN });
  try {
    // An ordinary session beside it stays.
    const kept = await operator.request<{ status: string }>("agent", {
      message: "stay",
      sessionKey: "agent:main:main",
      idempotencyKey: "kept-1",
    }, { expectFinal: true });
    assert.equal(kept.status, "ok");

    const run = await runPeer(["infer", "model", "run", "--gateway", "--prompt", "hello", "--json"], peerHome);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.ok(run.stdout.includes(FAKE_ANSWER), run.stdout);
    assert.ok(upstream.requests.length >= 2, "the model run reached the model");

    const listed = await operator.request<{ sessions: { key: string }[] }>("sessions.list", {});
    assert.deepEqual(listed.sessions.map((s) => s.key).filter((k) => k.includes("model-run")), []);
    assert.ok(listed.sessions.some((s) => s.key === "agent:main:main"), "the other session stays");

    // Nothing of it in the store: no row, no window, no transcript event, no archive, no task.
    const db = new DatabaseSync(agentDbPath(peerHome.stateDir, "main"), { readOnly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      assert.equal(count("SELECT count(*) AS n FROM session_nodes WHERE session_key LIKE '%model-run%'"), 0);
      assert.equal(count("SELECT count(*) AS n FROM session_windows WHERE session_key LIKE '%model-run%'"), 0);
      assert.equal(
        count(
          "SELECT count(*) AS n FROM transcript_events WHERE session_id NOT IN (SELECT session_id FROM session_windows)",
        ),
        0,
      );
      assert.equal(count("SELECT count(*) AS n FROM session_transcript_archives"), 0);
    } finally {
      db.close();
    }
    const tasks = await runPeer(["tasks", "list", "--json"], peerHome);
    assert.equal(tasks.code, 0, tasks.stderr);
    const runs = (JSON.parse(tasks.stdout) as { tasks: { runId: string; task?: string }[] }).tasks;
    assert.deepEqual(runs.map((t) => t.runId), ["kept-1"], "a model run is not tracked as a task, as the reference's");
  } finally {
    operator.stop();
    await gateway.stop();
  }
});
