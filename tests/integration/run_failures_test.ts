// Our gateway against the reference's recording of the same failed runs (tests/fixtures/run_failures/ref.json,
// tools/record_reference_run_failures.ts): a model refusing the request (HTTP 400), one rate-limited (429) and a
// run aborted mid-answer. The run's chat `error` event carries the reference's `errorKind` (only `rate_limit`
// here) and `errorDetail` (the model and how its failure is classed); `agent.wait` reports no `terminalReply` for
// a failed model call or an abort, as the reference's does; the failure's words and the reply that follows are the
// reference's.
// The rate-limited agent runs with `retry.provider.maxRetries` 0 (the reference's knob): its nine retries, ~3 min in
// the recording, are compared in run_retries_test.ts; the end they come to is the same.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { type FailedRun, failure, FAILURES, failuresConfig } from "../support/run_failures_script.ts";
import { writeProviderRetry } from "../support/run_retries_script.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "run-failures-token-0123456789abcdef";

const recorded = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/run_failures/ref.json", import.meta.url)),
) as { runs: FailedRun[] };

/**
 * What a client reads of the run's end: the run's own terminal chat event, in the reference's words, then the reply
 * its `chat.send` adds for a run that failed before replying (no agent id), and the wait.
 */
function shape(run: FailedRun): unknown {
  const own = run.chat.find((c) => c.agentId !== undefined)!;
  const reply = run.chat.find((c) => c.agentId === undefined && c.state === "error");
  return {
    state: own.state,
    errorMessage: own.errorMessage,
    errorKind: own.errorKind,
    errorDetail: own.errorDetail,
    reply: reply?.errorMessage,
    waitStatus: run.wait.status,
    terminalReply: run.wait.terminalReply,
  };
}

Deno.test("a failed run's chat error and agent.wait carry the reference's errorKind, errorDetail and terminalReply", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(failuresConfig({ port, token: TOKEN, upstreamUrl: upstream.url }));
  await writeProviderRetry(home.stateDir, "limited", { maxRetries: 0 });
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli" });
  try {
    await session.request("sessions.subscribe", {});
    for (const [model, abort] of FAILURES) {
      const ours = await failure(session, model, abort);
      const ref = recorded.runs.find((r) => r.model === model)!;
      assert.deepEqual(shape(ours), shape(ref), model);
    }
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
