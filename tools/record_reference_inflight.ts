// Records what the reference OpenClaw 2026.9.6 gateway answers to `chat.history` while a run is in
// flight (its `inFlightRun`: what its Control UI shows when a page loads mid-run), for a `chat.send`
// run and for an `agent` run, full and `cursor` answers, and how each run's stop reads on the wire
// (`chat.abort` with text already streamed). The fake model "drip" streams three pieces, then stalls.
// Writes tests/fixtures/inflight/reference_inflight.json.
//
//   deno run -A tools/record_reference_inflight.ts [--port 19613]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~20-60 s to start.
import { FAKE_CHUNKS, startFakeUpstream } from "../tests/support/fake_upstream.ts";
import type { ReferenceSession } from "../tests/support/reference_client.ts";
import { clientTestConfig } from "../tests/support/reference_gateway.ts";
import { withRecordedSession } from "../tests/support/recorded_session.ts";
import { eventsSince } from "./record_reference_sessions_abort.ts";

const TOKEN = "record-inflight-token-0123456789abcdef";
/** The text a "drip" run has streamed before it stalls. */
const DRIPPED = FAKE_CHUNKS.slice(0, 3).join("");

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** A request's answer or its error frame, as data. */
async function answer(session: ReferenceSession, method: string, params: unknown): Promise<Record<string, unknown>> {
  try {
    return { ok: true, payload: await session.request(method, params) };
  } catch (error) {
    const e = error as { message?: string; gatewayCode?: string; code?: string; details?: unknown };
    return { ok: false, error: { code: e.gatewayCode ?? e.code, message: e.message, details: e.details } };
  }
}

/** Waits until an event matching `pick` arrived after index `from`. */
async function waitFor(
  session: ReferenceSession,
  from: number,
  pick: (e: { event: string; payload: unknown }) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!session.events.slice(from).some(pick)) {
    if (Date.now() > deadline) throw new Error("event did not arrive");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether an event is the run's `assistant` agent event carrying all the dripped text. */
const dripped = (runId: string) => (e: { event: string; payload: unknown }) => {
  const p = e.payload as { runId?: string; stream?: string; data?: { text?: string } };
  return e.event === "agent" && p.runId === runId && p.stream === "assistant" && p.data?.text === DRIPPED;
};

/** `chat.history` mid-run: full, small `maxBytes`, and a `cursor` delta from the full answer's cursor. */
async function histories(session: ReferenceSession, sessionKey: string) {
  const full = await answer(session, "chat.history", { sessionKey });
  const cursor = (full.payload as { deltaCursor?: string } | undefined)?.deltaCursor;
  const small = await answer(session, "chat.history", { sessionKey, maxBytes: 1024 });
  const delta = cursor ? await answer(session, "chat.history", { sessionKey, cursor }) : undefined;
  return { full, small, ...(cursor ? { cursor, delta } : {}) };
}

/** Starts a run by `method`, reads the history mid-run, stops it with `chat.abort`, reads it again. */
async function inFlight(session: ReferenceSession, method: "chat.send" | "agent", sessionKey: string, runId: string) {
  const from = session.events.length;
  // Both methods take the same three fields; only `chat.send` makes the run the chat's own.
  const sent = await answer(session, method, { sessionKey, message: "Talk slowly", idempotencyKey: runId });
  await waitFor(session, from, dripped(runId));
  // The chat delta of the last piece goes out after the agent event; give it a moment.
  await new Promise((r) => setTimeout(r, 300));
  const during = await histories(session, sessionKey);
  const abortFrom = session.events.length;
  const stopped = await answer(session, "chat.abort", { sessionKey, runId });
  await new Promise((r) => setTimeout(r, 1500));
  const after = await answer(session, "chat.history", { sessionKey });
  return {
    method,
    sent,
    during,
    abort: { answer: stopped, events: eventsSince(session.events, abortFrom) },
    afterInFlightRun: (after.payload as { inFlightRun?: unknown } | undefined)?.inFlightRun ?? null,
    runEvents: eventsSince(session.events, from),
  };
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19613;
  const upstream = startFakeUpstream();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "drip" });
  try {
    await withRecordedSession("ref", { root: "/tmp/record-inflight", port, config, token: TOKEN }, async (session) => {
      say("reference gateway ready");
      await answer(session, "sessions.subscribe", {});
      const idle = await answer(session, "chat.history", { sessionKey: "agent:main:inflight-idle" });
      const chat = await inFlight(session, "chat.send", "agent:main:inflight-chat", "run-chat");
      say("chat.send run recorded");
      const agent = await inFlight(session, "agent", "agent:main:inflight-agent", "run-agent");
      say("agent run recorded");
      const recorded = "OpenClaw 2026.9.6 gateway with the fake model 'drip', through @openclaw/gateway-client " +
        "(cli, operator.read/write/admin), by tools/record_reference_inflight.ts";
      const out = new URL("../tests/fixtures/inflight/reference_inflight.json", import.meta.url);
      await Deno.mkdir(new URL(".", out), { recursive: true });
      const idleInFlightRun = (idle.payload as { inFlightRun?: unknown } | undefined)?.inFlightRun ?? null;
      await Deno.writeTextFile(out, JSON.stringify({ recorded, idleInFlightRun, chat, agent }, null, 2) + "\n");
      say(`wrote ${out.pathname}`);
    });
  } finally {
    await upstream.stop();
  }
}

if (import.meta.main) await main();
