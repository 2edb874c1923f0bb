// A stopped run's events against the real program, through the reference client, compared with the
// reference's field by field: the `chat` `aborted` event (with the text streamed so far, none when none
// was), the lifecycle `end` of the cancelled run at the same seq, then the run's lifecycle `error`
// (recorded: tests/fixtures/inflight/reference_inflight.json for chat.abort of a chat.send and an
// `agent` run mid-stream; tests/fixtures/sessions_abort/reference_sessions_abort.json for sessions.abort).
import assert from "node:assert/strict";
import { FAKE_CHUNKS, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { type Recorded, stopShape } from "../support/stop_events.ts";
import { until } from "../support/until.ts";

const TOKEN = "run-abort-events-token-0123456789abcdef";
const DRIPPED = FAKE_CHUNKS.slice(0, 3).join("");

const fixture = async (path: string) =>
  JSON.parse(await Deno.readTextFile(new URL(`../fixtures/${path}`, import.meta.url)));
const INFLIGHT = await fixture("inflight/reference_inflight.json") as Record<
  "chat" | "agent",
  { abort: { events: Recorded[] } }
>;
const SESSIONS_ABORT = await fixture("sessions_abort/reference_sessions_abort.json") as {
  running: { events: Recorded[] }[];
};

/** The run's events from index `from`, as recorded (chat, lifecycle), once its lifecycle error arrived. */
async function stopEvents(session: ReferenceSession, runId: string, from: number): Promise<Recorded[]> {
  const mine = () =>
    (session.events.slice(from) as Recorded[]).filter((e) =>
      e.payload.runId === runId && (e.event === "chat" || e.payload.stream === "lifecycle")
    );
  await until(() => mine().some((e) => e.payload.data?.phase === "error"), `the lifecycle error of ${runId}`);
  return mine();
}

/** A chat or lifecycle payload with its clocks, seq and the reference-only fields left out. */
function fields(e: Recorded | undefined): Record<string, unknown> | undefined {
  if (!e) return undefined;
  const { seq: _seq, ts: _ts, sessionId: _id, isHeartbeat: _hb, lane: _lane, ...rest } = e.payload;
  const message = rest.message as Record<string, unknown> | undefined;
  const data = rest.data &&
    Object.fromEntries(Object.entries(rest.data).map(([k, v]) => [k, k.endsWith("At") ? typeof v : v]));
  return {
    ...rest,
    ...(message ? { message: { ...message, timestamp: typeof message.timestamp } } : {}),
    ...(data ? { data } : {}),
  };
}

/** Starts a run mid-stream by `method` and stops it with chat.abort; its events from the stop on. */
async function stopMidStream(session: ReferenceSession, method: "chat.send" | "agent", key: string, runId: string) {
  const sent = session.request(method, { sessionKey: key, message: "Talk slowly", idempotencyKey: runId });
  if (method === "chat.send") await sent;
  else sent.catch(() => {});
  await until(
    () =>
      session.events.some((e) => {
        const p = e.payload as { runId?: string; state?: string; message?: { content: { text: string }[] } };
        return e.event === "chat" && p.runId === runId && p.state === "delta" &&
          p.message?.content[0]?.text === DRIPPED;
      }),
    `the dripped text of ${runId}`,
  );
  const from = session.events.length;
  await session.request("chat.abort", { sessionKey: key, runId });
  return await stopEvents(session, runId, from);
}

Deno.test("a stopped run sends the reference's chat aborted, lifecycle end and lifecycle error", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "drip" });
  // The model that never answers, for the sessions.abort recording (no text streamed).
  const fake = (config.models as { providers: { fake: { models: unknown[] } } }).providers.fake;
  fake.models.push({ id: "stall", name: "stall" });
  const home = await tempHome(config);
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN });
  try {
    for (const [method, name] of [["chat.send", "chat"], ["agent", "agent"]] as const) {
      const key = `agent:main:inflight-${name}`;
      const ours = await stopMidStream(session, method, key, `run-${name}`);
      const theirs = INFLIGHT[name].abort.events;
      assert.deepEqual(stopShape(ours), stopShape(theirs), `the stop of a ${method} run, in order`);
      const pick = (events: Recorded[], test: (e: Recorded) => boolean) => fields(events.find(test));
      for (const test of [(e: Recorded) => e.event === "chat", (e: Recorded) => e.payload.data?.phase === "end"]) {
        assert.deepEqual(pick(ours, test), pick(theirs, test), `the ${method} run's stop, field by field`);
      }
      const error = (e: Recorded) => e.payload.data?.phase === "error";
      assert.deepEqual(fields(ours.find(error))?.data, fields(theirs.find(error))?.data);
    }

    // sessions.abort by key (the Control UI's Stop without a run id) of a run that streamed nothing.
    const stalled = SESSIONS_ABORT.running[0]!.events.filter((e) => e.payload.runId === "run-a");
    await session.request("sessions.patch", { key: "agent:main:stop-a", model: "fake/stall" });
    const from = session.events.length;
    const asked = upstream.requests.length;
    await session.request("chat.send", {
      sessionKey: "agent:main:stop-a",
      message: "Talk slowly",
      idempotencyKey: "run-a",
    });
    // The run is stopped once its model call is under way, as the recorder's was.
    await until(() => upstream.requests.length > asked, "the model call of run-a");
    await session.request("sessions.abort", { key: "agent:main:stop-a" });
    const ours = await stopEvents(session, "run-a", from);
    const atStop = (events: Recorded[]) => events.filter((e) => e.payload.state === "aborted").length;
    assert.equal(atStop(ours), 1);
    const fromStop = (events: Recorded[]) => events.slice(events.findIndex((e) => e.payload.state === "aborted"));
    assert.deepEqual(stopShape(fromStop(ours)), stopShape(fromStop(stalled)), "no text: no message");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
