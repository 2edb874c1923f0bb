import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import { messageText, SessionStore } from "../../src/sessions/store.ts";
import { FAKE_ANSWER, FAKE_CHUNKS, startFakeUpstream } from "../support/fake_upstream.ts";

// A run's life as its callers see it, against the fake model server on loopback: de-duplication,
// abort, agent.wait, and the agent/chat events in order.

type Emitted = { event: "agent" | "chat"; payload: Record<string, unknown> };

async function withRuns(body: (runs: AgentRuns, emitted: Emitted[], sessions: SessionStore) => Promise<void>) {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: upstream.url, models: ["m1", "slow", "stall", "lines"] } } },
      agents: { defaults: { model: { primary: "fake/m1" } } },
    } as never,
    stateDir,
    "/home/test",
  );
  const emitted: Emitted[] = [];
  const sessions = new SessionStore(stateDir);
  const runs = new AgentRuns({
    sessions,
    agents: () => agents,
    emit: (event, payload) => emitted.push({ event, payload }),
  });
  try {
    await body(runs, emitted, sessions);
  } finally {
    runs.abortAll();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
}

const request = (key: string, extra: Partial<RunRequest> = {}): RunRequest => ({
  agentId: "main",
  sessionKey: "agent:main:main",
  message: "hi",
  idempotencyKey: key,
  ...extra,
});

Deno.test("AgentRuns: a retried key is in_flight while its run runs, then the same outcome, never a second run", async () => {
  await withRuns(async (runs) => {
    const first = runs.start(request("k1"));
    assert.equal(first.kind, "accepted");
    assert.deepEqual(runs.start(request("k1")), { kind: "in_flight", runId: "k1" });
    const outcome = first.kind === "accepted" ? await first.done : undefined;
    assert.equal(outcome?.status, "ok");
    assert.equal(outcome?.text, FAKE_ANSWER);
    const again = runs.start(request("k1", { message: "something else" }));
    assert.equal(again.kind, "done");
    assert.equal(again.kind === "done" && again.outcome, outcome, "the remembered outcome, not a new run");
  });
});

Deno.test("AgentRuns: runs on one session queue behind each other; the transcript keeps their order", async () => {
  await withRuns(async (runs, _emitted, sessions) => {
    const order: string[] = [];
    const a = runs.start(request("a", { model: { provider: "fake", model: "lines" }, message: "first" }));
    const b = runs.start(request("b", { message: "second" }));
    assert.ok(a.kind === "accepted" && b.kind === "accepted");
    await Promise.all([a.done.then(() => order.push("a")), b.done.then(() => order.push("b"))]);
    assert.deepEqual(order, ["a", "b"]);
    const history = await sessions.history("agent:main:main", "main");
    assert.deepEqual(history.messages.map((m) => [m.role, m.runId]), [
      ["user", "a"],
      ["assistant", "a"],
      ["user", "b"],
      ["assistant", "b"],
    ]);
  });
});

Deno.test("AgentRuns: abort by session ends the run as aborted, keeps the partial answer, emits chat aborted", async () => {
  await withRuns(async (runs, emitted, sessions) => {
    let aborted: string[] = [];
    const started = runs.start(request("slow-1", {
      model: { provider: "fake", model: "slow" },
      // Abort once the first piece arrived: the answer is partial for certain.
      onDelta: () => void (aborted.length === 0 && (aborted = runs.abort({ sessionKey: "agent:main:main" }))),
    }));
    assert.equal(started.kind, "accepted");
    const outcome = started.kind === "accepted" ? await started.done : undefined;
    assert.deepEqual(aborted, ["slow-1"]);
    assert.equal(outcome?.status, "aborted");
    assert.equal(outcome?.stopReason, "aborted");
    assert.ok(outcome && outcome.text.length > 0 && outcome.text.length < FAKE_ANSWER.length, outcome?.text);
    const chat = emitted.filter((e) => e.event === "chat").at(-1)!.payload;
    assert.equal(chat.state, "aborted");
    const last = (await sessions.history("agent:main:main", "main")).messages.at(-1)!;
    assert.equal(last.role, "assistant");
    assert.equal(messageText(last), outcome!.text);
    assert.deepEqual(runs.abort({ runId: "slow-1" }), [], "a finished run is not aborted twice");
  });
});

Deno.test("AgentRuns.wait answers agent.wait: the outcome once ended, timeout for a running or unknown run", async () => {
  await withRuns(async (runs) => {
    const stalled = runs.start(request("stalled", { model: { provider: "fake", model: "stall" }, sessionKey: "s2" }));
    assert.equal(stalled.kind, "accepted");
    assert.deepEqual(await runs.wait("stalled", 30), { runId: "stalled", status: "timeout" });
    assert.deepEqual(await runs.wait("never-started", 10), { runId: "never-started", status: "timeout" });
    const started = runs.start(request("w1"));
    const waited = await runs.wait("w1", 15_000);
    const outcome = started.kind === "accepted" ? await started.done : undefined;
    assert.deepEqual(waited, {
      runId: "w1",
      status: "ok",
      endedAt: outcome?.endedAt,
      stopReason: "stop",
      terminalReply: { disposition: "visible", text: FAKE_ANSWER },
    });
  });
});

Deno.test("AgentRuns: agent events run start, model, deltas, usage, end with seq 1..n; chat deltas then final", async () => {
  await withRuns(async (runs, emitted) => {
    const started = runs.start(request("ev1"));
    if (started.kind === "accepted") await started.done;
    const agent = emitted.filter((e) => e.event === "agent").map((e) => e.payload);
    const stages = agent.map((p) =>
      p.stream === "lifecycle" ? `lifecycle:${(p.data as { phase: string }).phase}` : p.stream
    );
    assert.deepEqual(stages, [
      "lifecycle:start",
      "lifecycle:model",
      ...FAKE_CHUNKS.map(() => "assistant"),
      "usage",
      "lifecycle:finishing",
      "lifecycle:model",
      "lifecycle:end",
    ]);
    assert.deepEqual(agent.map((p) => p.seq), agent.map((_, i) => i + 1));
    assert.ok(agent.every((p) => p.runId === "ev1" && p.sessionKey === "agent:main:main" && p.agentId === "main"));
    const deltas = agent.filter((p) => p.stream === "assistant").map((p) => (p.data as { delta: string }).delta);
    assert.deepEqual(deltas, FAKE_CHUNKS);
    const chat = emitted.filter((e) => e.event === "chat").map((e) => e.payload);
    assert.deepEqual(chat.map((p) => p.state), [...FAKE_CHUNKS.map(() => "delta"), "final"]);
    assert.equal(chat.map((p) => p.deltaText ?? "").join(""), FAKE_ANSWER);
    const final = chat.at(-1)!;
    assert.deepEqual((final.message as { content: { text: string }[] }).content[0]!.text, FAKE_ANSWER);
    // Each chat event carries the seq of the agent event it followed: clients can merge both streams.
    const seqs = chat.map((p) => p.seq as number);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
    // An ephemeral run (a stateless HTTP call) emits nothing.
    const before = emitted.length;
    const quiet = runs.start(request("ev2", { ephemeral: true, sessionKey: "s3" }));
    if (quiet.kind === "accepted") await quiet.done;
    assert.equal(emitted.length, before);
  });
});

Deno.test("AgentRuns.sessionOfRun names the session of a run in flight or queued, none once it ended", async () => {
  await withRuns(async (runs) => {
    const stall = { model: { provider: "fake", model: "stall" }, sessionKey: "agent:main:s3" };
    const first = runs.start(request("s3-1", stall));
    const queued = runs.start(request("s3-2", stall));
    assert.equal(first.kind, "accepted");
    assert.equal(queued.kind, "accepted");
    assert.equal(runs.sessionOfRun("s3-1"), "agent:main:s3");
    assert.equal(runs.sessionOfRun("s3-2"), "agent:main:s3", "a queued run is the session's too");
    assert.equal(runs.sessionOfRun("never-started"), undefined);
    assert.deepEqual(runs.abort({ sessionKey: "agent:main:s3" }), ["s3-1", "s3-2"]);
    if (first.kind === "accepted") await first.done;
    if (queued.kind === "accepted") await queued.done;
    assert.equal(runs.sessionOfRun("s3-1"), undefined);
  });
});
