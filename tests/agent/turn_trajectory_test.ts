import assert from "node:assert/strict";
import type { RunTrajectory } from "../../src/agent/run_trajectory.ts";
import type { RunRequest } from "../../src/agent/runs.ts";
import type { TrajectoryWriter } from "../../src/agent/trajectory_writer.ts";
import { startTurnTrajectory } from "../../src/agent/turn_trajectory.ts";
import type { TranscriptMessage } from "../../src/sessions/store.ts";

const HEADER = {
  sessionId: "s1",
  sessionKey: "agent:main:cron:job-1",
  runId: "r1",
  agentId: "main",
  workspaceDir: "/w",
  provider: "fake",
  modelId: "tm",
  modelApi: "openai-completions",
};

const HARNESS = {
  version: "0",
  os: { platform: "linux", arch: "x64", release: "6", label: "linux" },
  runtime: {},
  invocation: [],
  entrypoint: "main.js",
};

/** A writer that keeps what it is handed (the real one stores rows in the agent database). */
function keepingWriter(): { writer: TrajectoryWriter; written: RunTrajectory[] } {
  const written: RunTrajectory[] = [];
  const writer = { harness: HARNESS, write: (run: RunTrajectory) => void written.push(run) };
  return { writer: writer as unknown as TrajectoryWriter, written };
}

const message = (role: string, text: string) => ({ role, content: [{ type: "text", text }] }) as TranscriptMessage;

Deno.test("a run's trajectory ends with the transcript it opened with and what it wrote, once, and its compactions", () => {
  const { writer, written } = keepingWriter();
  const history = [message("user", "earlier"), message("assistant", "before")];
  const user = message("user", "now");
  const request = {
    sessionKey: HEADER.sessionKey,
    agentId: "main",
    message: "now",
    idempotencyKey: "r1",
    systemEvent: true,
    timeoutMs: 5000,
  } as RunRequest;
  const turn = startTurnTrajectory(writer, { header: HEADER, request, tools: [], config: { a: 1 } }, { history, user });
  const answer = message("assistant", "done");
  turn.wrote(user);
  turn.wrote(answer);
  turn.compacted();
  turn.compacted();
  assert.equal(written.length, 0, "nothing is handed over before the run ends");
  turn.end({
    status: "success",
    aborted: false,
    timedOut: false,
    usage: undefined,
    assistantTexts: ["done"],
    stopReason: "stop",
  });
  assert.equal(written.length, 1);
  const events = written[0]!.events;
  assert.deepEqual(events.map((event) => event.type), [
    "session.started",
    "trace.metadata",
    "model.completed",
    "trace.artifacts",
    "session.ended",
  ]);
  // A cron session's system event is the reference's `cron` trigger; no tools means tools were off.
  assert.equal(events[0]!.data.trigger, "cron");
  assert.equal(events[0]!.data.toolCount, 0);
  const runtime = (events[1]!.data.config as { runtime: Record<string, unknown> }).runtime;
  assert.deepEqual(runtime, { timeoutMs: 5000, trigger: "cron", disableTools: true, toolResultFormat: "markdown" });
  assert.deepEqual(events[2]!.data.messagesSnapshot, [...history, user, answer]);
  assert.equal(events[2]!.data.compactionCount, 2);
  assert.equal(events[2]!.data.finalPromptText, "now");
});
