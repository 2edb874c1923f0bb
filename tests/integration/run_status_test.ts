// Our gateway against the reference's recording of the same runs (tests/fixtures/run_status/ref.json,
// tools/record_reference_run_status.ts), through the reference client connected as the Control UI connects (tool
// events, sessions.subscribe): each run's start-up statuses (`chat` `status` and `agent` `run_status`, before and
// after its lifecycle start) with the reference's payloads and seq, an exec call's live updates (`tool` update,
// the item's update, `command_output` delta) and its end (`command_output` end), and a failed model call's end
// numbered as the reference's first attempt would be. The failing agents run here with `retry.provider.maxRetries` 0
// in their settings.json (the reference's knob; it then fails at once), so this test does not wait the reference's
// minute of retries: those are compared in run_retries_test.ts. Difference kept (docs/compatibility.md): the
// reference coalesces answer deltas.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import {
  normalized,
  type RecordedFrame,
  recordRun,
  RUN_STATUS_AGENTS,
  runPayloads,
  runStatusConfig,
  short,
  startUp,
} from "../support/run_status_script.ts";
import { writeProviderRetry } from "../support/run_retries_script.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "run-status-token-0123456789abcdef";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/run_status/ref.json", import.meta.url)),
) as { runs: Record<string, RecordedFrame[]> };

/**
 * A frame as compared: normalized, without the two envelope fields only the reference's `agent` events carry
 * (`isHeartbeat: false`, and the `sessionId` of its lifecycle events; docs/compatibility.md).
 */
function comparable(p: Record<string, unknown>): unknown {
  const { isHeartbeat: _h, sessionId: _s, ...rest } = p;
  return normalized(rest);
}

/**
 * A run's `agent` events of `streams`: stream, seq and data, normalized (the reference's tool events also carry a
 * snapshot of the session's row, which ours do not: docs/compatibility.md).
 */
function of(payloads: Record<string, unknown>[], streams: string[]): Record<string, unknown>[] {
  return payloads.filter((p) => streams.includes(p.stream as string)).map((p) =>
    normalized({ stream: p.stream, seq: p.seq, data: p.data }) as Record<string, unknown>
  );
}

Deno.test("a chat.send run's start-up statuses, an exec call's live output and a failed call's end go out as the reference's", async () => {
  const upstream = startFakeUpstream();
  const workspace = await Deno.makeTempDir({ prefix: "run-status-ws-" });
  const port = freePort();
  const home = await tempHome(runStatusConfig({ port, token: TOKEN, upstream, workspace }));
  for (const agent of ["http500", "hangup"]) await writeProviderRetry(home.stateDir, agent, { maxRetries: 0 });
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
    const ours: Record<string, Record<string, unknown>[]> = {};
    const ref: Record<string, Record<string, unknown>[]> = {};
    const oursFrames: Record<string, RecordedFrame[]> = {};
    for (const agent of RUN_STATUS_AGENTS) {
      const runId = `status-${agent}`;
      // The workspace's path differs between the recording and this run.
      const frames = JSON.parse(JSON.stringify(await recordRun(session, agent)).replaceAll(workspace, "$WS"));
      oursFrames[agent] = frames;
      ours[agent] = runPayloads(frames, runId);
      ref[agent] = runPayloads(recorded.runs[agent]!, runId);
    }
    // (a)-(c): every run starts as the reference's: workspace and context before the lifecycle start, the model's
    // start after it, each as a chat `status` numbered as the `run_status` event that follows it; same payloads.
    for (const agent of RUN_STATUS_AGENTS) {
      assert.deepEqual(startUp(ours[agent]!).map(comparable), startUp(ref[agent]!).map(comparable), agent);
      assert.deepEqual(startUp(ours[agent]!).map(short), [
        ["chat", "status", "preparing_workspace", 1],
        ["agent", "run_status", "preparing_workspace", 1],
        ["chat", "status", "preparing_context", 2],
        ["agent", "run_status", "preparing_context", 2],
        ["agent", "lifecycle", "start", 3],
        ["chat", "status", "starting_model", 4],
        ["agent", "run_status", "starting_model", 4],
        ["agent", "lifecycle", "model", 5],
      ], agent);
    }
    // (a) The answer ends as the reference's: the attempt's end, the model let go, lifecycle end, then the chat
    // final numbered as it.
    const plainEnd = (run: Record<string, unknown>[]) => run.slice(-4).map((p) => short(p).slice(0, 3));
    assert.deepEqual(plainEnd(ours.plain!), [
      ["agent", "lifecycle", "finishing"],
      ["agent", "lifecycle", "model"],
      ["agent", "lifecycle", "end"],
      ["chat", "final", null],
    ]);
    const finishing = (run: Record<string, unknown>[]) =>
      normalized(run.findLast((p) => (p.data as { phase?: string } | undefined)?.phase === "finishing")?.data);
    assert.deepEqual(finishing(ours.plain!), finishing(ref.plain!));
    const [end, final] = ours.plain!.slice(-2);
    assert.equal(final!.seq, end!.seq);
    // (b) The exec call: its start, then each live update as the reference's three events in a row (the first's
    // payloads as the reference's), then its result, the item's end and the command's end with the reference's payloads.
    const calls = (run: Record<string, unknown>[]) => of(run, ["tool", "item", "command_output"]);
    const oursCall = calls(ours.exec!);
    const refCall = calls(ref.exec!);
    // How many lines an update carries depends on when they came (the reference's own exec batched the three lines
    // into one update or two in its recordings): the output's text is left out here, checked to be the first lines.
    const live = (e: unknown): unknown =>
      Array.isArray(e) ? e.map(live) : e !== null && typeof e === "object"
        ? Object.fromEntries(
          Object.entries(e).map(([k, v]) => [k, ["output", "text", "tail"].includes(k) ? "1…" : live(v)]),
        )
        : e;
    assert.deepEqual(oursCall.slice(0, 5).map(live), refCall.slice(0, 5).map(live), "the start and the first update");
    assert.ok("1\n2\n3".startsWith((oursCall[4]!.data as { output: string }).output), "the first lines so far");
    const updates = (call: unknown[]) => (call.length - 5) / 3;
    assert.ok(Number.isInteger(updates(oursCall)) && updates(oursCall) >= 1, "whole update triples");
    for (let i = 2; i < oursCall.length - 3; i += 3) {
      assert.deepEqual(oursCall.slice(i, i + 3).map((e) => [e.stream, (e.data as { phase: string }).phase]), [
        ["tool", "update"],
        ["item", "update"],
        ["command_output", "delta"],
      ]);
    }
    const ending = (call: Record<string, unknown>[]) => call.slice(-2).map((e) => e.data);
    assert.deepEqual(ending(oursCall), ending(refCall), "the item's end and the command's end");
    assert.equal((oursCall.at(-1) as { data: { output: string } }).data.output, "1\n2\n3");
    // Every event of the run is numbered one after the other, with no gap a client would report.
    const agentSeqs = ours.exec!.filter((p) => p.event === "agent").map((p) => p.seq as number);
    assert.deepEqual(agentSeqs, agentSeqs.map((_, i) => i + 1));
    // (c) A failed call: the attempt's end, the model let go, the chain's end (the reference's `fallback_step`, with
    // the provider's own words), then the lifecycle error and the chat error, numbered alike, right after the model's
    // start (the reference's first attempt fails there too; with no retries allowed it would end there, as rmax0 of
    // tests/fixtures/run_retries shows).
    const lastStep = (run: Record<string, unknown>[]) =>
      run.findLast((p) => (p.data as { phase?: string } | undefined)?.phase === "fallback_step")?.data;
    for (const agent of ["http500", "hangup"]) {
      const run = ours[agent]!;
      assert.deepEqual(run.slice(8).map(short), [
        ["agent", "lifecycle", "finishing", 6],
        ["agent", "lifecycle", "model", 7],
        ["agent", "lifecycle", "fallback_step", 8],
        ["agent", "lifecycle", "error", 9],
        ["chat", "error", null, 9],
      ], agent);
      assert.deepEqual(
        ref[agent]!.slice(-5).map((p) => short(p).slice(0, 3)),
        run.slice(8).map((p) => short(p).slice(0, 3)),
      );
      assert.deepEqual(lastStep(run), lastStep(ref[agent]!), agent);
      // The failure in the reference's words: the attempt's end, the lifecycle error and the chat error.
      const words = (r: Record<string, unknown>[]) =>
        r.slice(-5).map((p) => (p.data as { error?: unknown } | undefined)?.error ?? p.errorMessage ?? null);
      assert.deepEqual(words(run), words(ref[agent]!), agent);
      // Then the reply to a run that failed before replying (no agent id, numbered afresh), as the reference's.
      const reply = (frames: RecordedFrame[]) =>
        frames.map((f) => f.payload as Record<string, unknown>).find((p) =>
          p.runId === `status-${agent}` && p.state === "error" && p.agentId === undefined
        );
      assert.deepEqual(reply(oursFrames[agent]!), reply(recorded.runs[agent]!), agent);
    }
    assert.equal(session.gaps.length, 0, "no seq gap seen by the client");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
});
