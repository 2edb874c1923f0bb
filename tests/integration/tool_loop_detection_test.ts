// Our gateway with `tools.loopDetection` on, against the reference's recording of the same scripted model
// (tests/fixtures/loop_detection/ref.json, tools/record_reference_loop_detection.ts): the model reads the same
// missing file 35 times; it gets the reference's warning note and blocked results at the same calls, and the run
// ends as the reference's does. Agent `loose` turns it off for itself: the same script runs to its answer.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { LOOP_ANSWER, loopConfig, type LoopRun, loopSteps, runLoop } from "../support/loop_script.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "tool-loop-detection-token-0123456789";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/loop_detection/ref.json", import.meta.url)),
) as { on: LoopRun; off: LoopRun };

/** A result with the run's temporary workspace written `$WORKSPACE`: the two recordings ran in different ones. */
function loopShape(text: string): string {
  return text.replace(/\/tmp\/loop-ws-[^/]+\//g, "$WORKSPACE/");
}

type Item = { stream: string; data: { toolCallId?: string; phase?: string; status?: string; error?: string } };

/** The end of each blocked call's tool item: its id, status and error. */
function blockedItems(run: LoopRun): unknown[] {
  return (run.agentEvents as Item[]).filter((e) =>
    e.stream === "item" && e.data.phase === "end" && e.data.status === "blocked"
  ).map((e) => ({ id: e.data.toolCallId, status: e.data.status, error: e.data.error }));
}

function lastMessage(run: LoopRun): unknown {
  const last = run.lastMessages.at(-1) as { role?: string; stopReason?: string; content?: { text?: string }[] };
  return { role: last.role, stopReason: last.stopReason, text: last.content?.[0]?.text };
}

Deno.test("tools.loopDetection: a repeated no-progress call is warned, blocked, then stops the run, as the reference's", async () => {
  const upstream = startFakeUpstream();
  upstream.script("loopy", loopSteps());
  upstream.script("loose", loopSteps());
  const workspace = await Deno.makeTempDir({ prefix: "loop-ws-" });
  const port = freePort();
  const home = await tempHome(loopConfig({ port, token: TOKEN, upstreamUrl: upstream.url, workspace }));
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli" });
  try {
    const on = await runLoop(session, upstream, { model: "loopy", sessionKey: "agent:main:loop", runId: "loop-on" });
    // The 11th result carries the note, the 21st and 22nd calls are blocked, and no 23rd request is made.
    assert.equal(on.modelRequests, recorded.on.modelRequests);
    assert.deepEqual(
      on.toolResults.map((r) => loopShape(r.text)),
      recorded.on.toolResults.map((r) => loopShape(r.text)),
    );
    assert.deepEqual(blockedItems(on), blockedItems(recorded.on));
    const error = (run: LoopRun) => run.chatEvents.filter((e) => e.state === "error").map((e) => e.errorMessage);
    assert.deepEqual(error(on), error(recorded.on));
    assert.deepEqual([on.wait.status, on.wait.error], [recorded.on.wait.status, recorded.on.wait.error]);
    // The stop is the model's failure, unclassified, with no kind; the wait reports the run's empty reply.
    const errorFacts = (run: LoopRun) =>
      run.chatEvents.filter((e) => e.state === "error").map((e) => [e.errorKind, e.errorDetail]);
    assert.deepEqual(errorFacts(on), errorFacts(recorded.on));
    assert.deepEqual(on.wait.terminalReply, recorded.on.wait.terminalReply);
    assert.deepEqual(lastMessage(on), lastMessage(recorded.on));
    assert.match(proc.output, /\[agents\/tools\] Loop warning for read: WARNING: You have called read 10 times/);
    assert.match(proc.output, /\[agents\/tools\] Blocking read due to critical loop: CRITICAL: Called read with/);

    const off = await runLoop(session, upstream, { model: "loose", sessionKey: "agent:loose:loop", runId: "loop-off" });
    assert.equal(off.modelRequests, recorded.off.modelRequests);
    assert.deepEqual(
      off.toolResults.map((r) => loopShape(r.text)),
      recorded.off.toolResults.map((r) => loopShape(r.text)),
    );
    assert.ok(off.toolResults.every((r) => r.text.startsWith('{\n  "status": "error"')), "no note, nothing blocked");
    const final = off.chatEvents.find((e) => e.state === "final") as { message?: { content?: { text?: string }[] } };
    assert.equal(final?.message?.content?.[0]?.text, LOOP_ANSWER);
    assert.deepEqual(blockedItems(off), []);
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
});
