// Our gateway against the reference's recording of the same transient model failures (tests/fixtures/run_retries/
// ref.json, tools/record_reference_run_retries.ts): a 503, a 429 with retry-after and a dropped connection are retried
// on the same model, each retry announced as the reference's (the attempt's lifecycle `finishing`, a chat `status`
// and the `run_status` `retrying` event with its numbers, then a fresh answer item, the context status and a new
// lifecycle start), after the reference's jittered backoff; a 400 is not retried; `retry.provider.maxRetries` in the
// agent's settings.json bounds the retries (1: one, then the run fails; 0: none); retries come before the fallback
// model, and a rate limit asking too long a wait goes to the fallback at once; an `agent` method run retries alike.
// Each attempt ends (`finishing`, the model let go) and each fallback step is told as the reference's, and a session
// answered by a fallback gets the reference's notice; the failure's words are the reference's.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import {
  type RecordedRetry,
  recordRetry,
  RECOVERED,
  retriesConfig,
  RETRY_CASES,
  scriptRetryModels,
  writeRetrySettings,
} from "../support/run_retries_script.ts";
import { normalized, runPayloads, startUp } from "../support/run_status_script.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "run-retries-token-0123456789abcdef";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/run_retries/ref.json", import.meta.url)),
) as { runs: Record<string, RecordedRetry> };

type Payload = Record<string, unknown>;

const dataOf = (p: Payload) => (p.data ?? {}) as Record<string, unknown>;
const isRetrying = (p: Payload) => p.stream === "run_status" && dataOf(p).phase === "retrying";
const isModel = (p: Payload) => p.stream === "lifecycle" && dataOf(p).phase === "model" && dataOf(p).model !== null;

/**
 * A frame as compared: normalized, without the reference-only envelope fields, with what differs by chance as its
 * kind: a retry's jittered delay (and the seconds its message
 * rounds it to), the fresh answer item's id.
 */
function comparable(p: Payload): unknown {
  const { isHeartbeat: _h, sessionId: _s, ...rest } = p;
  const data = dataOf(p);
  const shown = data.phase === "retrying"
    ? { ...data, delayMs: typeof data.delayMs, message: String(data.message).replace(/in \d+s/, "in Ns") }
    : rest.stream === "assistant" && data.replace === true
    ? { ...data, itemId: typeof data.itemId }
    : data;
  return normalized(p.data === undefined ? rest : { ...rest, data: shown });
}

/** The run through its last retry's new model call (through its first model call when it made no retry). */
function retrySegment(payloads: Payload[]): Payload[] {
  const last = payloads.findLastIndex(isRetrying);
  if (last < 0) return startUp(payloads);
  const model = payloads.findIndex((p, i) => i > last && isModel(p));
  return payloads.slice(0, model + 1);
}

/** chat.history's `inFlightRun` as compared: its start time as its kind (each gateway's clock). */
function inFlightShape(run: unknown): unknown {
  if (!run || typeof run !== "object") return run;
  const { startedAt, ...rest } = run as Payload;
  return normalized({ ...rest, startedAt: typeof startedAt });
}

/** The lifecycle and status events that say where a run's attempts went (not its answer's pieces). */
const isBookkeeping = (p: Payload) => p.stream === "lifecycle" || p.stream === "run_status" || p.state === "status";

/**
 * A bookkeeping event as compared: the end's data by phase alone and the error's by phase and words (the reference's
 * carry its receipts, docs/compatibility.md), the rest whole (a failed attempt's words included).
 */
function kept(p: Payload): unknown {
  const data = dataOf(p);
  if (p.event === "chat") return ["chat", p.state, p.phase];
  if (data.phase === "end") return [p.stream, data.phase];
  if (data.phase === "error") return [p.stream, data.phase, data.error];
  const { sessionId: _s, isHeartbeat: _h, seq: _q, ts: _t, ...rest } = p;
  return comparable(rest);
}

/**
 * The chat event sent after the run's own, without the agent id, as clients read it: a `final` carrying the fallback
 * notice, or an `error` carrying the reply to a run that failed before replying.
 */
function unnumbered(frames: RecordedRetry["frames"], runId: string, state: "final" | "error"): unknown {
  const found = frames.find((f) => {
    const p = f.payload as Payload;
    return f.event === "chat" && p.runId === runId && p.state === state && p.agentId === undefined;
  });
  if (!found) return undefined;
  const { seq, message, errorMessage } = found.payload as { seq: number; message?: Payload; errorMessage?: string };
  return { seq, ...(message ? { message: normalized(message) } : {}), ...(errorMessage ? { errorMessage } : {}) };
}

/** The run's own terminal chat event. */
const ending = (payloads: Payload[]) =>
  payloads.filter((p) => p.event === "chat" && ["final", "error"].includes(p.state as string)).at(-1)!;

/** The models the run called, in order. */
const models = (payloads: Payload[]) => payloads.filter(isModel).map((p) => dataOf(p).model);

Deno.test("a transient model failure is retried as the reference retries it, before any fallback; a 400 is not", async () => {
  const upstream = startFakeUpstream();
  scriptRetryModels(upstream);
  const port = freePort();
  const home = await tempHome(retriesConfig({ port, token: TOKEN, upstream }));
  await writeRetrySettings(home.stateDir);
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({
    port,
    token: TOKEN,
    mode: "cli",
    clientName: "cli",
    scopes: ["operator.read", "operator.write", "operator.admin"],
    caps: ["tool-events"],
  });
  try {
    await session.request("sessions.subscribe", {});
    for (const c of RETRY_CASES) {
      const runId = `status-${c.agent}`;
      const ours = await recordRetry(session, upstream, c);
      const ref = recorded.runs[c.agent]!;
      const own = runPayloads(ours.frames, runId);
      const theirs = runPayloads(ref.frames, runId);
      // chat.history asked while the run waits for its retry shows the run in flight as the reference's does.
      if (ref.retryingInFlight !== undefined) {
        assert.deepEqual(inFlightShape(ours.retryingInFlight), inFlightShape(ref.retryingInFlight), c.agent);
      }
      // As many calls to each model: the same retries, the same failover.
      assert.deepEqual(ours.requests, ref.requests, `${c.agent}: requests per model`);
      // The start-up and every retry as the reference's, numbered alike.
      assert.deepEqual(retrySegment(own).map(comparable), retrySegment(theirs).map(comparable), c.agent);
      // Each retry waited the reference's backoff: 1 s doubling, jittered by ±50 %, never under the retry-after.
      const retryAfterFloor = c.retryFloorMs ?? 0;
      for (const [i, p] of own.entries()) {
        if (!isRetrying(p)) continue;
        const { retryAttempt, delayMs } = dataOf(p) as { retryAttempt: number; delayMs: number };
        const base = Math.min(30_000, 1000 * 2 ** (retryAttempt - 1));
        assert.ok(
          delayMs >= Math.max(retryAfterFloor, base / 2) && delayMs <= Math.max(retryAfterFloor, base * 1.5),
          `${c.agent}: retry ${retryAttempt} waits ${delayMs} ms`,
        );
        const start = own.find((q, j) => j > i && q.stream === "lifecycle" && dataOf(q).phase === "start")!;
        assert.ok((dataOf(start).startedAt as number) - (p.ts as number) >= delayMs - 20, `${c.agent}: waited`);
      }
      // The end: the answer from the same models, or the same failure's kind and detail.
      const [oursEnd, refEnd] = [ending(own), ending(theirs)];
      assert.equal(oursEnd.state, refEnd.state, c.agent);
      assert.deepEqual(models(own), models(theirs), `${c.agent}: models called`);
      if (refEnd.state === "final") {
        assert.equal((oursEnd.message as { content: { text: string }[] }).content[0]!.text, RECOVERED, c.agent);
      } else {
        assert.deepEqual(
          [oursEnd.errorMessage, oursEnd.errorKind, oursEnd.errorDetail],
          [refEnd.errorMessage, refEnd.errorKind, refEnd.errorDetail],
          c.agent,
        );
      }
      // After the last retry, as the reference's: each attempt's `finishing`, the model let go, the fallback steps
      // (to the next model, its success, or the chain's end) and a fresh attempt on the fallback, then the end.
      const tail = (payloads: Payload[]) =>
        payloads.slice(retrySegment(payloads).length).filter(isBookkeeping).map(kept);
      assert.deepEqual(tail(own), tail(theirs), `${c.agent}: the attempts' ends and the fallback steps`);
      // A session moved onto a fallback hears of it once, as the reference's notice (not in the transcript).
      assert.deepEqual(
        unnumbered(ours.frames, runId, "final"),
        unnumbered(ref.frames, runId, "final"),
        `${c.agent}: the fallback notice`,
      );
      // A run that failed before replying gets the reference's reply, in its words.
      assert.deepEqual(
        unnumbered(ours.frames, runId, "error"),
        unnumbered(ref.frames, runId, "error"),
        `${c.agent}: the failed run's reply`,
      );
    }
    assert.equal(session.gaps.length, 0, "no seq gap seen by the client");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
