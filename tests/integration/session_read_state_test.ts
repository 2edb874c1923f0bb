// A session's read and pin state through the reference client against our gateway: `sessions.patch` with
// `unread`, `expectedMarkedUnreadAt` and `pinned` answers, stores (the entry fields and the columns the
// reference indexes them by, in the agent database both gateways share), lists and announces
// (`sessions.changed`) what the reference did in tests/fixtures/session_read_state/ref.json
// (tools/record_reference_session_read_state.ts), and a person's turn after a read makes the session unread.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { changedOf, READ_STATE_KEY, readStateSteps } from "../support/read_state_steps.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "read-state-test-token-0123456789abcdef";

type Step = { params: unknown; answer: unknown; changed: Record<string, unknown>[]; row: unknown; stored: unknown };
type Facts = { fresh: { row: unknown }; afterRun: { row: unknown }; afterNewRun: { row: unknown }; steps: Step[] };

/** What the reference answered, listed, stored and announced (its entry's other times aside: see below). */
const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/session_read_state/ref.json", import.meta.url)),
) as Facts;

/** The stored facts without `times`: which other times the entry holds differs by design (docs/compatibility.md). */
function withoutTimes(stored: unknown): unknown {
  const { times: _times, ...rest } = stored as Record<string, unknown>;
  return rest;
}

Deno.test("sessions.patch unread/pinned: answers, stored entry, rows and sessions.changed as the reference's", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }));
  const { proc } = await startGateway({ home: home.home, port });
  const client = await connectReference({
    port,
    token: TOKEN,
    mode: "cli",
    clientName: "cli",
    scopes: ["operator.read", "operator.write", "operator.admin"],
  });
  try {
    const ours = await readStateSteps(client, home.stateDir, 0) as unknown as Facts;
    assert.deepEqual(ours.fresh.row, RECORDED.fresh.row, "a session just created is read");
    assert.deepEqual(ours.afterRun.row, RECORDED.afterRun.row, "the turn that created a session leaves it read");
    assert.deepEqual(ours.afterNewRun.row, RECORDED.afterNewRun.row, "a turn after the read makes it unread");
    assert.equal(ours.steps.length, RECORDED.steps.length);
    ours.steps.forEach((step, i) => {
      const recorded = RECORDED.steps[i]!;
      const what = JSON.stringify(recorded.params);
      assert.deepEqual(step.params, recorded.params);
      assert.deepEqual(step.answer, recorded.answer, `the answer to ${what}`);
      assert.deepEqual(step.row, recorded.row, `the row after ${what}`);
      assert.deepEqual(withoutTimes(step.stored), withoutTimes(recorded.stored), `the stored entry after ${what}`);
    });
    // Every applied patch is announced once, as the reference's were; the refused and the stale are not.
    const expected = RECORDED.steps.flatMap((s) => s.changed);
    const patches = () => changedOf(client, READ_STATE_KEY).filter((e) => e.reason === "patch");
    await until(() => patches().length >= expected.length, "the patches' sessions.changed", 15_000);
    assert.deepEqual(patches(), expected);
  } finally {
    client.stop();
    await proc.stop();
    await home.cleanup();
    await upstream.stop();
  }
});
