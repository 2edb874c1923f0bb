// `sessions.abort` against the real program, through the reference client: a chat run on a model
// that never answers is stopped by session key (what the reference Control UI's Stop sends when
// it holds no run id) and by run id, and ends aborted as the reference's does (recorded:
// tests/fixtures/sessions_abort/reference_sessions_abort.json).
import assert from "node:assert/strict";
import { type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "sessions-abort-token-0123456789abcdef";

/** The reference's `chat` `aborted` event of the run it stopped by key, as recorded. */
const RECORDED_ABORTED_CHAT = (JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/sessions_abort/reference_sessions_abort.json", import.meta.url)),
) as { running: { events: { event: string; payload: Record<string, unknown> }[] }[] }).running[0]!.events
  .find((e) => e.event === "chat" && e.payload.state === "aborted")!.payload;

type Event = ReferenceSession["events"][number];
const payloadOf = (e: Event) => e.payload as Record<string, unknown> & { data?: Record<string, unknown> };

/** Whether the run's agent lifecycle reached `phase`. */
function lifecycle(session: ReferenceSession, runId: string, phases: string[]): boolean {
  return session.events.some((e) =>
    e.event === "agent" && payloadOf(e).runId === runId && payloadOf(e).stream === "lifecycle" &&
    phases.includes(String(payloadOf(e).data?.phase))
  );
}

/** The run's `chat` event in state `aborted`, if it came. */
function abortedChat(session: ReferenceSession, runId: string): Record<string, unknown> | undefined {
  const found = session.events.find((e) =>
    e.event === "chat" && payloadOf(e).runId === runId && payloadOf(e).state === "aborted"
  );
  return found ? payloadOf(found) : undefined;
}

/**
 * Starts a chat run on the stalling model and waits until the model request is at the upstream, so a stop
 * cancels that request (a stop before the call would end the run without one to cancel).
 */
async function startStalledRun(
  session: ReferenceSession,
  upstream: FakeUpstream,
  sessionKey: string,
  runId: string,
): Promise<void> {
  const before = upstream.requests.length;
  const sent = await session.request<{ status: string }>("chat.send", {
    sessionKey,
    message: "Talk slowly",
    idempotencyKey: runId,
  });
  assert.equal(sent.status, "started");
  await until(() => lifecycle(session, runId, ["start"]), `the lifecycle start of ${runId}`);
  await until(() => upstream.requests.length > before, `the model request of ${runId} at the upstream`);
}

Deno.test("sessions.abort stops a streaming chat run by session key and by run id; the run ends aborted", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["stall"] } } },
    agents: { defaults: { model: { primary: "fake/stall" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    const methods = (session.hello.features as { methods: string[] }).methods;
    assert.ok(methods.includes("sessions.abort"), "hello-ok advertises sessions.abort, as the reference's does");
    await session.request("sessions.subscribe", {});

    // By key, as the Control UI's Stop sends it when the page holds no run id.
    await startStalledRun(session, upstream, "agent:main:main", "stop-1");
    const byKey = await session.request("sessions.abort", { key: "agent:main:main", clearQueued: true });
    assert.deepEqual(byKey, { ok: true, abortedRunId: "stop-1", status: "aborted" });
    await until(() => abortedChat(session, "stop-1") !== undefined, "the aborted chat event of stop-1");
    const { runId: _ours, seq: _seq, message: _partial, ...ours } = abortedChat(session, "stop-1")!;
    const { runId: _theirs, seq: _theirSeq, ...theirs } = RECORDED_ABORTED_CHAT;
    assert.deepEqual(ours, { ...theirs, sessionKey: "agent:main:main" }, "the reference's aborted chat event");
    await until(() => lifecycle(session, "stop-1", ["end", "error"]), "the lifecycle end of stop-1");
    await until(() => upstream.cancelled.includes("stall"), "the model request of stop-1 cancelled");
    const waited = await session.request<{ status: string }>("agent.wait", { runId: "stop-1", timeoutMs: 5000 });
    assert.notEqual(waited.status, "ok");
    assert.ok(
      session.events.some((e) => e.event === "sessions.changed" && payloadOf(e).sessionKey === "agent:main:main"),
      "the session's subscribers hear of the change",
    );
    // Nothing is left to stop.
    assert.deepEqual(await session.request("sessions.abort", { key: "main" }), {
      ok: true,
      abortedRunId: null,
      status: "no-active-run",
    });

    // By run id alone, and refused for a run of another session.
    await startStalledRun(session, upstream, "agent:main:side", "stop-2");
    await assert.rejects(
      session.request("sessions.abort", { key: "agent:main:main", runId: "stop-2" }),
      /runId does not match session/,
    );
    assert.deepEqual(await session.request("sessions.abort", { runId: "stop-2" }), {
      ok: true,
      abortedRunId: "stop-2",
      status: "aborted",
    });
    await until(() => abortedChat(session, "stop-2") !== undefined, "the aborted chat event of stop-2");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
