// `chat.history` while a run is in flight, against the real program through the reference client:
// the fake model "drip" streams three pieces and stalls, and the history answers the run with the text
// streamed so far, as the reference's does (recorded: tests/fixtures/inflight/reference_inflight.json)
// and its Control UI reads when a page loads mid-run: a chat.send run as the chat's own, an `agent` run
// as session-abortable; nothing once the run is stopped.
import assert from "node:assert/strict";
import { FAKE_CHUNKS, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "chat-history-in-flight-token-0123456789";
const DRIPPED = FAKE_CHUNKS.slice(0, 3).join("");

type Answer = { payload: { inFlightRun?: Record<string, unknown>; messages: unknown[] } };
type Recorded = { during: { full: Answer; small: Answer }; afterInFlightRun: unknown };
const RECORDING = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/inflight/reference_inflight.json", import.meta.url)),
) as { idleInFlightRun: unknown; chat: Recorded; agent: Recorded };

/** Whether the run's chat delta carrying all the dripped text arrived. */
function dripped(session: ReferenceSession, runId: string): boolean {
  return session.events.some((e) => {
    const p = e.payload as { runId?: string; state?: string; message?: { content: { text: string }[] } };
    return e.event === "chat" && p.runId === runId && p.state === "delta" && p.message?.content[0]?.text === DRIPPED;
  });
}

/**
 * The reference's snapshot with what cannot match left as its type: `startedAt` and each event's `ts` (clocks). For
 * a chat.send run with no tool call its `events` hold only the bare `assistant` event that replaced its start-up
 * `run_status` event once it answered (a tool run's events are compared in
 * reference_control_ui_in_flight_tools_test.ts).
 */
function comparable(snapshot: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!snapshot) return snapshot;
  const { events, startedAt, ...rest } = snapshot;
  const kept = (events as Record<string, unknown>[] | undefined)?.map((e) => ({ ...e, ts: typeof e.ts }));
  return { ...rest, startedAt: typeof startedAt, ...(kept ? { events: kept } : {}) };
}

/** Starts a run by `method`, waits for the dripped text, and reads the history as the recorder did. */
async function midRun(session: ReferenceSession, method: "chat.send" | "agent", sessionKey: string, runId: string) {
  const sent = session.request(method, { sessionKey, message: "Talk slowly", idempotencyKey: runId });
  // An `agent` request answers when the run ends; chat.send at once.
  if (method === "chat.send") await sent;
  else sent.catch(() => {});
  await until(() => dripped(session, runId), `the dripped text of ${runId}`);
  const full = await session.request<Answer["payload"]>("chat.history", { sessionKey });
  const small = await session.request<Answer["payload"]>("chat.history", { sessionKey, maxBytes: 1024 });
  await session.request("chat.abort", { sessionKey, runId });
  const after = await session.request<Answer["payload"]>("chat.history", { sessionKey });
  return { full, small, after };
}

Deno.test("chat.history answers the run in flight with its text so far, as the reference's", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "drip" }));
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN });
  try {
    const idle = await session.request<Answer["payload"]>("chat.history", { sessionKey: "agent:main:inflight-idle" });
    assert.equal(idle.inFlightRun ?? null, RECORDING.idleInFlightRun, "no run, no inFlightRun");

    const startedBefore = Date.now();
    const chat = await midRun(session, "chat.send", "agent:main:inflight-chat", "run-chat");
    const recordedChat = RECORDING.chat.during;
    assert.deepEqual(comparable(chat.full.inFlightRun), comparable(recordedChat.full.payload.inFlightRun));
    assert.deepEqual(chat.full.inFlightRun, {
      runId: "run-chat",
      text: DRIPPED,
      startedAt: chat.full.inFlightRun?.startedAt,
      events: [{
        runId: "run-chat",
        seq: 6,
        stream: "assistant",
        ts: (chat.full.inFlightRun?.events as { ts: number }[] | undefined)?.[0]?.ts,
        data: {},
        sessionKey: "agent:main:inflight-chat",
        agentId: "main",
      }],
    });
    const startedAt = Number(chat.full.inFlightRun?.startedAt);
    assert.ok(startedAt >= startedBefore && startedAt <= Date.now(), "started when the send was accepted");
    assert.equal(chat.full.messages.length, recordedChat.full.payload.messages.length, "the user message already kept");
    assert.deepEqual(comparable(chat.small.inFlightRun), comparable(recordedChat.small.payload.inFlightRun));
    assert.equal(chat.after.inFlightRun ?? null, RECORDING.chat.afterInFlightRun, "a stopped run is not in flight");

    const agent = await midRun(session, "agent", "agent:main:inflight-agent", "run-agent");
    const recordedAgent = RECORDING.agent.during;
    assert.deepEqual(comparable(agent.full.inFlightRun), comparable(recordedAgent.full.payload.inFlightRun));
    assert.equal(agent.full.inFlightRun?.sessionAbortable, true, "an agent run: Stop by session key");
    assert.deepEqual(comparable(agent.small.inFlightRun), comparable(recordedAgent.small.payload.inFlightRun));
    assert.equal(agent.after.inFlightRun ?? null, RECORDING.agent.afterInFlightRun);
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
