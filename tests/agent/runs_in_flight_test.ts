import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { FAKE_CHUNKS, startFakeUpstream } from "../support/fake_upstream.ts";
import { until } from "../support/until.ts";
import { type Recorded, stopShape } from "../support/stop_events.ts";

// A run caught mid-stream (the fake model "drip" streams three pieces, then stalls): the registry's
// in-flight snapshot, and the events its stop sends, compared with the reference's (recorded:
// tests/fixtures/inflight/reference_inflight.json, tools/record_reference_inflight.ts).

type Emitted = { event: "agent" | "chat"; payload: Record<string, unknown> };

const RECORDING = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/inflight/reference_inflight.json", import.meta.url)),
) as { chat: { abort: { events: Recorded[] } } };
const DRIPPED = FAKE_CHUNKS.slice(0, 3).join("");
const KEY = "agent:main:main";

Deno.test("AgentRuns: a chat.send run mid-stream is in flight with its text; its stop sends the reference's events", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-inflight-" });
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: upstream.url, models: ["drip"] } } },
      agents: { defaults: { model: { primary: "fake/drip" } } },
    } as never,
    stateDir,
    "/home/test",
  );
  const emitted: Emitted[] = [];
  const runs = new AgentRuns({
    sessions: new SessionStore(stateDir),
    agents: () => agents,
    emit: (event, payload) => emitted.push({ event, payload }),
  });
  try {
    assert.equal(await runs.inFlight(KEY), undefined, "nothing in flight before a run");
    const started = runs.start({
      agentId: "main",
      sessionKey: KEY,
      message: "hi",
      idempotencyKey: "r1",
      chatSend: true,
    });
    assert.ok(started.kind === "accepted");
    await until(async () => (await runs.inFlight(KEY))?.text === DRIPPED, "the dripped text in flight");
    // Its progress: the bare `assistant` event that replaced its start-up status once it answered, as the reference's.
    const snapshot = await runs.inFlight(KEY);
    assert.deepEqual(snapshot, {
      runId: "r1",
      text: DRIPPED,
      startedAt: started.acceptedAt,
      events: [{
        runId: "r1",
        seq: 6,
        stream: "assistant",
        ts: snapshot?.events?.[0]?.ts,
        data: {},
        sessionKey: KEY,
        agentId: "main",
      }],
    });
    const from = emitted.length;
    assert.deepEqual(runs.abort({ sessionKey: KEY }), ["r1"]);
    assert.equal(await runs.inFlight(KEY), undefined, "a stopped run is no longer in flight");
    const outcome = await started.done;
    assert.equal(outcome.status, "aborted");
    const ours = emitted.slice(from) as Recorded[];
    assert.deepEqual(stopShape(ours), stopShape(RECORDING.chat.abort.events));
    const end = ours.find((e) => e.payload.data?.phase === "end")!;
    assert.equal(end.payload.data!.startedAt, started.acceptedAt, "the cancelled run's start is its acceptance");
  } finally {
    runs.abortAll();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("AgentRuns: a run caught after a tool call is in flight with its progress; an agent run's calls in summary", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-inflight-tools-" });
  let release = () => {};
  const hold = new Promise<void>((resolve) => release = resolve);
  upstream.script("tooler", [
    { toolCalls: [{ id: "call_list", name: "agents_list", args: {} }] },
    { text: "Both agents are listed.", hold },
  ]);
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: upstream.url, models: ["tooler"] } } },
      agents: { defaults: { model: { primary: "fake/tooler" } } },
    } as never,
    stateDir,
    "/home/test",
  );
  const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
  try {
    const started = runs.start({ agentId: "main", sessionKey: KEY, message: "hi", idempotencyKey: "a1" });
    assert.ok(started.kind === "accepted");
    await until(async () => (await runs.inFlight(KEY))?.text === "Both agents", "the held half of the answer");
    const snapshot = await runs.inFlight(KEY);
    assert.equal(snapshot?.sessionAbortable, true, "an agent run");
    const tools = snapshot?.events?.filter((e) => e.stream === "tool").map((e) => e.data);
    assert.deepEqual(tools, [
      { phase: "start", name: "agents_list", toolCallId: "call_list" },
      { phase: "result", name: "agents_list", toolCallId: "call_list" },
    ], "its calls without their payload");
    assert.ok(snapshot?.events?.some((e) => e.stream === "item" && e.data.phase === "end"), "the call's item, ended");
    release();
    assert.equal((await started.done).status, "ok");
    assert.equal(await runs.inFlight(KEY), undefined, "a finished run is not in flight");
  } finally {
    release();
    runs.abortAll();
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});
