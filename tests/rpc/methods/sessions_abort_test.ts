// `sessions.abort` answers what the reference 2026.9.6 answered, case for case
// (tests/fixtures/sessions_abort/reference_sessions_abort.json, tools/record_reference_sessions_abort.ts),
// through the real dispatcher and protocol checks, over a fake run registry.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { abortKeys, planSessionsAbort, sessionsAbortMethods } from "../../../src/rpc/methods/sessions_abort.ts";
import { callMethod } from "../../support/method_call.ts";

interface Answer {
  ok: boolean;
  payload?: unknown;
  error?: { code: string; message: string };
}
interface Fixture {
  advertised: boolean;
  idle: { params: Record<string, unknown>; answer: Answer }[];
  running: { sent: Answer; params: Record<string, unknown>; answer: Answer }[];
}

const fixture: Fixture = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/sessions_abort/reference_sessions_abort.json", import.meta.url)),
);

/** The runs of the recording: `run-x` on `agent:main:stop-x` (`run-d` on the main session). */
const RECORDED_RUNS: Record<string, string> = {
  "run-a": "agent:main:stop-a",
  "run-b": "agent:main:stop-b",
  "run-c": "agent:main:stop-c",
  "run-d": "agent:main:main",
  "run-e": "agent:main:stop-e",
};

/** The method over a registry holding `live` (run id → session key); records what it stopped and announced. */
function harness(live: Record<string, string>) {
  const runs = new Map(Object.entries(live));
  const changed: string[] = [];
  const agents = agentsFromConfig({} as never, "/tmp/sessions-abort-test", "/home/test");
  const methods = sessionsAbortMethods({
    agents: () => agents,
    abort: ({ sessionKey, runId }) => {
      const ids = [...runs].filter(([id, key]) => runId ? id === runId : key === sessionKey).map(([id]) => id);
      for (const id of ids) runs.delete(id);
      return ids;
    },
    sessionOfRun: (runId) => runs.get(runId),
    changed: (key, agentId, reason) => changed.push(`${agentId} ${key} ${reason}`),
  });
  return { methods, runs, changed };
}

/** A dispatch result in the fixture's shape. */
function asAnswer(result: Awaited<ReturnType<typeof callMethod>>): Answer {
  return result.ok
    ? { ok: true, payload: result.payload }
    : { ok: false, error: { code: result.error.code, message: result.error.message } };
}

Deno.test("sessions.abort answers the recorded requests with nothing running as the reference does", async () => {
  assert.ok(fixture.idle.length >= 8);
  for (const { params, answer } of fixture.idle) {
    const { methods, changed } = harness({});
    const got = asAnswer(await callMethod(methods, "sessions.abort", params));
    const want = answer.ok
      ? answer
      : { ok: false, error: { code: answer.error!.code, message: answer.error!.message } };
    assert.deepEqual(got, want, JSON.stringify(params));
    assert.deepEqual(changed, []);
  }
});

Deno.test("sessions.abort stops the recorded runs by key, by run id and by bare key as the reference does", async () => {
  for (const { sent, params, answer } of fixture.running) {
    const runId = (sent.payload as { runId: string }).runId;
    const { methods, runs, changed } = harness({ [runId]: RECORDED_RUNS[runId]! });
    const got = asAnswer(await callMethod(methods, "sessions.abort", params, ["operator.write"]));
    assert.deepEqual(got, answer, JSON.stringify(params));
    assert.equal(runs.has(runId), !answer.ok, "a refused request stops nothing");
    assert.deepEqual(changed, answer.ok ? [`main ${RECORDED_RUNS[runId]} abort`] : []);
  }
});

Deno.test("sessions.abort needs operator.write, as the reference scopes it", async () => {
  const { methods } = harness({});
  assert.equal(methods["sessions.abort"]!.scope, "operator.write");
  const refused = await callMethod(methods, "sessions.abort", { key: "main" }, ["operator.read"]);
  assert.equal(refused.ok, false);
});

Deno.test("sessions.abort stops every run filed under either spelling of the session's key", async () => {
  const { methods, runs } = harness({ one: "main", two: "agent:main:main", other: "agent:main:elsewhere" });
  const got = asAnswer(await callMethod(methods, "sessions.abort", { key: "main" }));
  assert.deepEqual(got, { ok: true, payload: { ok: true, abortedRunId: "one", status: "aborted" } });
  assert.deepEqual([...runs.keys()], ["other"]);
});

Deno.test("abortKeys() gives the key as asked and as the store keeps it", () => {
  assert.deepEqual(abortKeys("main", "main"), ["main", "agent:main:main"]);
  assert.deepEqual(abortKeys("agent:main:x", "main"), ["agent:main:x"]);
  assert.deepEqual(abortKeys("Agent:Ops:x", "main"), ["Agent:Ops:x", "agent:ops:x"]);
});

Deno.test("planSessionsAbort() lets a live run of an unconfigured agent be stopped", () => {
  const facts = { agentIds: ["main"], defaultAgentId: "main", runSession: "agent:gone:x" };
  assert.deepEqual(planSessionsAbort({ key: "agent:gone:x", runId: "r" }, facts), {
    kind: "run",
    runId: "r",
    key: "agent:gone:x",
    agentId: "gone",
  });
  assert.throws(
    () => planSessionsAbort({ key: "agent:gone:x" }, { ...facts, runSession: undefined }),
    /agent "gone" not found/,
  );
});

interface MainKeyFixture {
  mainKey: string;
  idle: { params: Record<string, unknown>; answer: Answer }[];
  running: { sent: Answer; params: Record<string, unknown>; answer: Answer }[];
}

const mainKeyFixture: MainKeyFixture = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/sessions_abort/reference_main_key.json", import.meta.url)),
);

/**
 * The runs live at each stop of the `--main-key` recording, filed under the key their chat.send gave, as our runs
 * keep it (the reference's events show where each landed: `main` on agent:main:main, the configured key's agent key
 * on its own session). run-m2 was not stopped by `main`, so it was still live with run-m3 behind it.
 */
const MAIN_KEY_LIVE: Record<string, string>[] = [
  { "run-m1": "main" },
  { "run-m2": "agent:main:work" },
  { "run-m2": "agent:main:work", "run-m3": "agent:main:work" },
  { "run-m4": "agent:main:main" },
  { "run-m5": "agent:main:work" },
  { "run-m6": "main" },
];

Deno.test("sessions.abort with a custom session.mainKey answers as the reference, which ignores it: `main` is agent:<id>:main", async () => {
  assert.equal(mainKeyFixture.mainKey, "work");
  for (const { params, answer } of mainKeyFixture.idle) {
    const got = asAnswer(await callMethod(harness({}).methods, "sessions.abort", params));
    assert.deepEqual(got, answer, JSON.stringify(params));
  }
  assert.equal(mainKeyFixture.running.length, MAIN_KEY_LIVE.length);
  for (const [index, { params, answer }] of mainKeyFixture.running.entries()) {
    const live = MAIN_KEY_LIVE[index]!;
    const { methods, runs } = harness(live);
    const got = asAnswer(await callMethod(methods, "sessions.abort", params, ["operator.write"]));
    const stopped = (answer.payload as { status?: string } | undefined)?.status === "aborted";
    if (stopped) {
      // Which of a session's runs the answer names (in flight or queued) is the registry's order; the session is not.
      assert.equal((got.payload as { status: string }).status, "aborted", JSON.stringify(params));
      assert.ok(Object.keys(live).includes((got.payload as { abortedRunId: string }).abortedRunId));
      assert.equal(runs.size, 0, "every run of the session stopped");
    } else {
      assert.deepEqual(got, answer, JSON.stringify(params));
      assert.equal(runs.size, Object.keys(live).length, "a request for another session stops nothing");
    }
  }
});
