// A stored session's run leaves the reference's trajectory runtime events in its agent database
// (`trajectory_runtime_events`): the same nine events, in the same order and envelope, as the reference's
// own turn recorded in tests/fixtures/trajectory/session_rows.json (the fake model reads notes.txt, then
// answers), masked; the reference CLI's `sessions export-trajectory` counts them; OPENCLAW_TRAJECTORY=0
// turns them off.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { runPeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import type { TrajectoryRows } from "../support/trajectory_seed.ts";

const TOKEN = "trajectory-events-token-0123456789";
const SECRET = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
const FIXTURE = new URL("../fixtures/trajectory/session_rows.json", import.meta.url);

type Event = Record<string, unknown> & { type: string; data: Record<string, unknown> };

async function turnHome(upstreamUrl: string, port: number) {
  // The reference's own config shape: its export reads the same file.
  const home = await tempHome(clientTestConfig({ port, token: TOKEN, upstreamUrl, model: "tm" }));
  const workspace = `${home.stateDir}/workspace`;
  await Deno.mkdir(workspace, { recursive: true });
  await Deno.writeTextFile(`${workspace}/notes.txt`, "remember the milk\n");
  return { home, workspace };
}

function readEvents(stateDir: string): { runId: string | null; seq: number; event: Event }[] {
  const db = new DatabaseSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`, { readOnly: true });
  try {
    const rows = db.prepare(
      "SELECT seq, run_id AS runId, event_json AS json FROM trajectory_runtime_events ORDER BY session_id, seq",
    ).all() as { seq: number; runId: string | null; json: string }[];
    return rows.map((row) => ({ runId: row.runId, seq: row.seq, event: JSON.parse(row.json) as Event }));
  } finally {
    db.close();
  }
}

/** The rows once `count` have landed (they are written just after the run answers). */
async function eventsWhen(stateDir: string, count: number): Promise<ReturnType<typeof readEvents>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = readEvents(stateDir);
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("a stored run leaves the reference's nine trajectory events, which the reference's export reads", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const { home, workspace } = await turnHome(upstream.url, port);
  upstream.script("tm", [
    { text: "Let me read it.", toolCalls: [{ name: "read", args: { path: "notes.txt" } }] },
    { text: "It says: remember the milk." },
  ]);
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const turn = await runOpenclaw(
      ["agent", "--agent", "main", "--message", `What is in notes.txt? My key is ${SECRET}`, "--json"],
      { home: home.home },
    );
    assert.equal(turn.code, 0, turn.stderr);
    const runId = JSON.parse(turn.stdout).runId as string;
    const rows = await eventsWhen(home.stateDir, 9);
    const reference = JSON.parse(await Deno.readTextFile(FIXTURE)) as TrajectoryRows;
    const expected = reference.runtime.map((row) => JSON.parse(row.json) as Event);
    assert.deepEqual(rows.map((row) => row.event.type), expected.map((event) => event.type));
    assert.deepEqual(rows.map((row) => row.seq), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [i, { runId: stored, event }] of rows.entries()) {
      assert.equal(stored, runId);
      assert.deepEqual(Object.keys(event), Object.keys(expected[i]!), `${event.type}: envelope`);
      assert.equal(event.seq, i + 1);
      assert.equal(event.sourceSeq, i + 1);
      assert.equal(event.traceId, event.sessionId);
      assert.equal(event.source, "runtime");
      assert.equal(event.sessionKey, "agent:main:main");
      assert.equal(event.provider, "fake");
      assert.equal(event.modelId, "tm");
      assert.equal(event.modelApi, "openai-completions");
    }
    const byType = new Map(rows.map((row) => [row.event.type, row.event.data]));
    const referenceData = new Map(expected.map((event) => [event.type, event.data]));
    // The tool's call and result are the reference's, word for word.
    assert.deepEqual(byType.get("tool.call"), referenceData.get("tool.call"));
    assert.deepEqual(byType.get("tool.result"), referenceData.get("tool.result"));
    for (const type of ["model.completed", "trace.artifacts", "session.ended"]) {
      const ours = byType.get(type)!;
      for (const key of ["aborted", "timedOut", "stopReason"]) {
        assert.deepEqual(ours[key], referenceData.get(type)![key], `${type}.${key}`);
      }
    }
    assert.equal(byType.get("trace.artifacts")!.finalStatus, "success");
    assert.equal(byType.get("session.ended")!.status, "success");
    assert.deepEqual(byType.get("model.completed")!.assistantTexts, ["It says: remember the milk."]);
    assert.equal((byType.get("session.started")!.toolCount as number) > 0, true);
    const usage = byType.get("model.completed")!.usage as Record<string, unknown>;
    assert.deepEqual(Object.keys(usage), Object.keys(referenceData.get("model.completed")!.usage as object));
    // The key the user pasted is masked wherever it was stored.
    const stored = JSON.stringify(rows.map((row) => row.event));
    assert.equal(stored.includes(SECRET), false);
    assert.equal(stored.includes("sk-ant…6789"), true);

    await proc.stop();
    // The reference's own export, offline over the same state dir, counts and bundles them.
    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const exported = await runPeer(
      ["sessions", "export-trajectory", "--session-key", "agent:main:main", "--workspace", workspace, "--json"],
      where,
    );
    assert.equal(exported.code, 0, exported.stderr);
    const summary = JSON.parse(exported.stdout);
    assert.equal(summary.runtimeEventCount, 9);
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("OPENCLAW_TRAJECTORY=0 leaves no trajectory events", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const { home } = await turnHome(upstream.url, port);
  const { proc } = await startGateway({ home: home.home, port, env: { OPENCLAW_TRAJECTORY: "0" } });
  try {
    const first = await runOpenclaw(["agent", "--agent", "main", "--message", "hi", "--json"], { home: home.home });
    assert.equal(first.code, 0, first.stderr);
    // A second run on the same session is queued behind the first and answers after its events would
    // have been written: none were.
    const second = await runOpenclaw(["agent", "--agent", "main", "--message", "again", "--json"], { home: home.home });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(readEvents(home.stateDir), []);
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("openclaw agent --local writes its run's trajectory events before it exits", async () => {
  const upstream = startFakeUpstream();
  const { home } = await turnHome(upstream.url, freePort());
  try {
    const turn = await runOpenclaw(["agent", "--local", "--agent", "main", "--message", "hi", "--json"], {
      home: home.home,
    });
    assert.equal(turn.code, 0, turn.stderr);
    // The process has exited: whatever it wrote is there now, with no waiting.
    assert.deepEqual(readEvents(home.stateDir).map((row) => row.event.type), [
      "session.started",
      "trace.metadata",
      "context.compiled",
      "prompt.submitted",
      "model.completed",
      "trace.artifacts",
      "session.ended",
    ]);
  } finally {
    await upstream.stop();
    await home.cleanup();
  }
});
